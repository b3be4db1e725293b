//! The command line: argument parsing and the thin commands that compose the pipeline.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// `println!` that does not panic when the reader has gone (`dossier import … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

use crate::config::Config;
use crate::diag::{display_path, Diagnostic, Diagnostics, Severity};

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Build browsable, printable topic dossiers from news reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the dossier into its output folder (public/ by default)
    Build {
        /// The dossier's folder (the one with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Publish under this address instead of site.toml's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// Write here instead of site.toml's output_dir
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Skip the search index and page, for a quicker build (the header's search box goes too)
        #[arg(long)]
        no_search: bool,
    },
    /// Check content, events, templates and internal links; writes nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the dossier on a local web server, rebuilt and reloaded on every change
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but loopback makes the preview reachable by others
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Import raw page text (.txt files, or folders of them) as clean reports in content/reports/
    Import {
        /// Raw page text files, or folders holding them
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The outlet that published the pages, when their text does not say
        #[arg(long)]
        outlet: Option<String>,
        /// The address of the page (recorded as `url`; also tells the outlet, and the date when its path holds one)
        #[arg(long)]
        url: Option<String>,
        /// The publication date of the pages, for pages that state none (2024-06-17)
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Show what would be written, write nothing
        #[arg(long)]
        dry_run: bool,
        /// Show every line of each page: kept, dropped (and by which rule) or read as metadata
        #[arg(long)]
        explain: bool,
        /// Import again files already imported, replacing their reports (and your edits)
        #[arg(long)]
        force: bool,
        /// Read dates written without a year as no later than this day (default: today)
        #[arg(long, hide = true)]
        today: Option<chrono::NaiveDate>,
    },
    /// Show how reports are grouped into events, and why; --write pins the grouping
    Events {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write each detected event's id into its reports' `event:` key
        #[arg(long)]
        write: bool,
        /// Print `report<TAB>event` lines only (for scripts and scoring)
        #[arg(long)]
        tsv: bool,
    },
    /// Write a briefing: the dossier, or part of it, as one printable HTML file or a PDF
    Briefing {
        /// The dossier's folder (the one with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this event (by id; repeat for several)
        #[arg(long = "event", value_name = "ID")]
        events: Vec<String>,
        /// Only reports from this day on (2024-01-01)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only reports up to this day (2024-12-31)
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Only reports that name this person, organisation or place (repeat for several)
        #[arg(long = "entity", value_name = "NAME")]
        entities: Vec<String>,
        /// Only reports from this outlet (repeat for several)
        #[arg(long = "outlet", value_name = "NAME")]
        outlets: Vec<String>,
        /// The date on the cover (default: the latest report's in the briefing)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// The first paragraphs of each report instead of its full text
        #[arg(long)]
        excerpts: bool,
        /// Write the HTML here (default: briefing.html, unless --pdf is given)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print the briefing to this PDF through a headless Chromium
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// The Chromium to print with (default: chromium, chromium-browser or google-chrome on PATH)
        #[arg(long, value_name = "PATH")]
        chromium: Option<PathBuf>,
        /// Paper size of the PDF and of printing
        #[arg(long, value_enum, default_value_t = Paper::A4)]
        paper: Paper,
    },
    /// Create a new, empty dossier
    Init {
        /// The folder to create
        dir: PathBuf,
        /// The language of the site's pages: en or id
        #[arg(long, default_value = "en")]
        language: String,
        /// The dossier's title
        #[arg(long)]
        title: Option<String>,
        /// The git address the GitHub Pages workflow installs dossier from
        #[arg(long, value_name = "URL")]
        dossier_git: Option<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Paper {
    A4,
    Letter,
}

/// Runs the command line `args` (program name first) and returns the process's exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build {
            root,
            base_url,
            output,
            no_search,
        } => build(root, base_url, output, no_search),
        Command::Check { root } => check(root),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => serve(root, port, bind, open),
        Command::Import {
            inputs,
            root,
            outlet,
            url,
            date,
            dry_run,
            explain,
            force,
            today,
        } => import(crate::import::Options {
            root,
            inputs,
            outlet,
            url,
            date,
            dry_run,
            explain,
            force,
            today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        }),
        Command::Events { root, write, tsv } => events(root, write, tsv),
        Command::Briefing {
            root,
            events,
            since,
            until,
            entities,
            outlets,
            date,
            excerpts,
            output,
            pdf,
            chromium,
            paper,
        } => briefing(
            root,
            &crate::briefing::Filter {
                events,
                since,
                until,
                entities,
                outlets,
                date,
                excerpts,
            },
            output,
            pdf,
            chromium,
            paper,
        ),
        Command::Init {
            dir,
            language,
            title,
            dossier_git,
        } => match crate::init::init(&dir, &language, title.as_deref(), dossier_git.as_deref()) {
            Ok(()) => {
                say!("Created a new dossier in {}.", display_path(&dir));
                say!(
                    "Put reports in {}/content/reports/, then run: dossier build --root {}",
                    display_path(&dir),
                    display_path(&dir)
                );
                say!("To publish on GitHub Pages, see .github/workflows/dossier-pages.yml and the README's \"Publish on GitHub Pages\".");
                if dossier_git.is_none() && env!("CARGO_PKG_REPOSITORY").is_empty() {
                    say!("note: the workflow does not know where to install dossier from: pass --dossier-git URL, or set the repository variable DOSSIER_GIT on GitHub");
                }
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d]),
        },
    }
}

fn load_config(
    root: PathBuf,
    base_url: Option<String>,
    output: Option<PathBuf>,
) -> Result<Config, ExitCode> {
    let mut config = Config::load(&root).map_err(|ds| fail(&ds))?;
    if let Some(url) = base_url {
        let mut url = url;
        if !url.ends_with('/') {
            url.push('/');
        }
        config.base_url = url;
    }
    if let Some(o) = output {
        config.output_dir = o;
    }
    Ok(config)
}

fn fail(ds: &[Diagnostic]) -> ExitCode {
    let mut d = Diagnostics::default();
    d.extend(ds.iter().cloned());
    eprint!("{}", d.report());
    ExitCode::FAILURE
}

fn build(
    root: PathBuf,
    base_url: Option<String>,
    output: Option<PathBuf>,
    no_search: bool,
) -> ExitCode {
    let started = Instant::now();
    let mut config = match load_config(root, base_url, output) {
        Ok(c) => c,
        Err(code) => return code,
    };
    config.search = !no_search;
    match crate::build_site(&config) {
        Ok((stats, diags)) => {
            let warnings = diags.count(Severity::Warning);
            say!(
                "Built {} reports, {} events, {} outlets: {} files in {} ({:.2} s)",
                stats.reports,
                stats.events,
                stats.outlets,
                stats.files,
                display_path(&config.output_dir),
                started.elapsed().as_secs_f64()
            );
            if warnings > 0 {
                say!("{warnings} warning(s): run `dossier check` to see them");
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", diags.report());
            eprintln!(
                "The build failed; {} is unchanged.",
                display_path(&config.output_dir)
            );
            ExitCode::FAILURE
        }
    }
}

fn check(root: PathBuf) -> ExitCode {
    let config = match load_config(root, None, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let diags = crate::check_site(&config);
    if diags.is_empty() {
        say!("No problems found.");
    } else {
        eprint!("{}", diags.report());
    }
    if diags.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn serve(root: PathBuf, port: u16, bind: std::net::IpAddr, open: bool) -> ExitCode {
    if !bind.is_loopback() {
        eprintln!(
            "warning: listening on {bind}: anyone who can reach this machine can see the preview; use the default 127.0.0.1 to keep it private"
        );
    }
    let started = Instant::now();
    let opts = crate::ServeOptions { root, bind, port };
    let server = match crate::preview(&opts) {
        Ok(s) => s,
        Err(d) => return fail(&[d]),
    };
    let url = format!(
        "http://{}/",
        if bind.is_unspecified() {
            format!("127.0.0.1:{}", server.addr.port())
        } else {
            server.addr.to_string()
        }
    );
    say!(
        "Serving the dossier at {url} (built in {:.2} s); press Ctrl-C to stop.",
        started.elapsed().as_secs_f64()
    );
    if open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
        }
    }
    server.wait();
    say!("Stopped.");
    ExitCode::SUCCESS
}

fn import(opts: crate::import::Options) -> ExitCode {
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

fn events(root: PathBuf, write: bool, tsv: bool) -> ExitCode {
    let config = match load_config(root, None, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let corpus = crate::content::load(&config.content_dir(), &mut diags);
    let loaded = started.elapsed().as_secs_f64();
    let dossier = crate::model::analyze_explained(corpus, &config, !tsv && !write, &mut diags);
    let took = started.elapsed().as_secs_f64() - loaded;
    if diags.has_errors() {
        eprint!("{}", diags.report());
        return ExitCode::FAILURE;
    }
    if tsv {
        say!("report\tevent");
        for (i, r) in dossier.reports.iter().enumerate() {
            let e = dossier.event_of(i).map(|e| e.id.as_str()).unwrap_or("");
            say!("{}\t{e}", r.id);
        }
        eprintln!(
            "{} reports in {} events (loaded in {loaded:.2} s, grouped in {took:.2} s)",
            dossier.reports.len(),
            dossier.events.len()
        );
        return ExitCode::SUCCESS;
    }
    if write {
        return match crate::model::pin_events(&dossier) {
            Ok(n) => {
                say!("Wrote `event:` into {n} report(s).");
                ExitCode::SUCCESS
            }
            Err(ds) => fail(&ds),
        };
    }
    say!(
        "{}",
        crate::model::explain_events(&dossier).trim_end_matches('\n')
    );
    let detected = dossier.events.iter().filter(|e| e.detected).count();
    say!(
        "{} reports in {} events ({detected} detected, grouped in {took:.2} s); `dossier events --write` pins the detected ones",
        dossier.reports.len(),
        dossier.events.len()
    );
    ExitCode::SUCCESS
}

fn briefing(
    root: PathBuf,
    filter: &crate::briefing::Filter,
    output: Option<PathBuf>,
    pdf: Option<PathBuf>,
    chromium: Option<PathBuf>,
    paper: Paper,
) -> ExitCode {
    let config = match load_config(root, None, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Look for Chromium first: a missing one should not cost a whole render to find out.
    let chromium = match &pdf {
        Some(_) => match crate::briefing::find_chromium(chromium.as_deref()) {
            Ok(c) => Some(c),
            Err(d) => return fail(&[d]),
        },
        None => None,
    };
    let paper = match paper {
        Paper::A4 => "A4",
        Paper::Letter => "letter",
    };
    let (html, sel) = match crate::briefing_html(&config, filter, Some(paper)) {
        Ok(x) => x,
        Err(diags) => {
            eprint!("{}", diags.report());
            return ExitCode::FAILURE;
        }
    };
    let summary = format!(
        "{} events, {} reports",
        sel.events.len(),
        sel.reports().count()
    );
    let output = output.or_else(|| pdf.is_none().then(|| PathBuf::from("briefing.html")));
    if let Some(out) = &output {
        if let Err(e) = std::fs::write(out, &html) {
            return fail(&[Diagnostic::error(out.clone(), format!("cannot write: {e}"))]);
        }
        say!("Wrote the briefing ({summary}) to {}", display_path(out));
    }
    if let (Some(out), Some(chromium)) = (&pdf, &chromium) {
        let started = Instant::now();
        if let Err(d) = crate::briefing::print_pdf(chromium, &html, out) {
            return fail(&[d]);
        }
        say!(
            "Printed the briefing ({summary}) to {} ({:.2} s)",
            display_path(out),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}
