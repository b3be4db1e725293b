//! `dossier import`: raw page text becomes reports in `content/reports/` (`import/`); one line per
//! file, and a summary.

use std::process::ExitCode;
use std::time::Instant;

use super::{fail, say};
use crate::diag::Diagnostic;

pub(super) fn run(opts: crate::import::Options) -> ExitCode {
    use crate::import::Outcome;
    let started = Instant::now();
    if !opts.dry_run && !opts.root.join("site.toml").is_file() {
        return fail(&[Diagnostic::error(
            opts.root.clone(),
            "is not a dossier: it has no site.toml",
        )
        .with_help("pass --root with the dossier's folder, or create one with `dossier init`")]);
    }
    let results = match crate::import::import(&opts) {
        Ok(r) => r,
        Err(ds) => return fail(&ds),
    };
    let (mut kept, mut skipped, mut failed) = (0, 0, 0);
    for r in &results {
        match &r.outcome {
            Outcome::Imported { .. } | Outcome::Replaced { .. } => kept += 1,
            Outcome::AlreadyImported { .. } => skipped += 1,
            Outcome::Failed(_) => failed += 1,
        }
        let line = crate::import::describe(r);
        if matches!(r.outcome, Outcome::Failed(_)) {
            eprintln!("{line}");
        } else {
            say!("{line}");
        }
        if opts.explain {
            if let Some(a) = &r.article {
                say!("{}", crate::import::explain(a).trim_end_matches('\n'));
            }
        }
        if opts.dry_run {
            if let (Some(md), Outcome::Imported { .. } | Outcome::Replaced { .. }) =
                (&r.markdown, &r.outcome)
            {
                say!("{md}");
            }
        }
    }
    let verb = if opts.dry_run {
        "would import"
    } else {
        "imported"
    };
    say!(
        "{} file(s): {verb} {kept}, skipped {skipped} (already imported), failed {failed} ({:.2} s)",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
