//! `dossier init`: a new, empty dossier that builds as it is, with a GitHub Actions workflow
//! that publishes it on GitHub Pages (`pages-workflow.yml`).

use std::path::Path;
use std::process::ExitCode;

use super::{fail, say};

use crate::diag::{display_path, Diagnostic};
use crate::i18n::Language;

/// `dossier init`: writes the dossier, then says what to do next.
pub(super) fn run(
    dir: &Path,
    language: &str,
    title: Option<&str>,
    dossier_git: Option<&str>,
) -> ExitCode {
    match init(dir, language, title, dossier_git) {
        Ok(()) => {
            say!("Created a new dossier in {}.", display_path(dir));
            say!(
                "Put reports in {}/content/reports/, then run: dossier build --root {}",
                display_path(dir),
                display_path(dir)
            );
            say!("To publish on GitHub Pages, see .github/workflows/dossier-pages.yml and the README's \"Publish on GitHub Pages\".");
            if dossier_git.is_none() && env!("CARGO_PKG_REPOSITORY").is_empty() {
                say!("note: the workflow does not know where to install dossier from: pass --dossier-git URL, or set the repository variable DOSSIER_GIT on GitHub");
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(&[d]),
    }
}

/// Creates the dossier `dir`. `source` is the git address the generated GitHub Pages workflow
/// installs dossier from (default: this build's `repository` in Cargo.toml, if any).
fn init(
    dir: &Path,
    language: &str,
    title: Option<&str>,
    source: Option<&str>,
) -> Result<(), Diagnostic> {
    let Some(lang) = Language::from_code(language) else {
        return Err(
            Diagnostic::error(None, format!("unknown language `{language}`"))
                .with_help("use en or id"),
        );
    };
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(
            Diagnostic::error(dir.to_path_buf(), "the folder exists and is not empty")
                .with_help("choose a new folder name; init never writes over existing files"),
        );
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dossier".into());
    let title = title
        .map(str::to_string)
        .unwrap_or_else(|| name.replace(['-', '_'], " "));
    let (front, sample) = match lang {
        Language::Id => (
            "Dosier ini menghimpun laporan media tentang satu topik, dikelompokkan per peristiwa.",
            "Tulis catatan pembuka dosier di sini.",
        ),
        Language::En => (
            "This dossier collects news reports on one topic, grouped by event.",
            "Write the dossier's introduction here.",
        ),
    };
    let workflow = include_str!("pages-workflow.yml").replace(
        "@DOSSIER_GIT@",
        source.unwrap_or(env!("CARGO_PKG_REPOSITORY")),
    );
    let files: [(&str, String); 5] = [
        (
            "site.toml",
            format!(
                "# The dossier's settings: see the README's site.toml section.\ntitle = {title:?}\ndescription = \"\"\n# The address the site is published at, e.g. https://someone.github.io/{name}/\nbase_url = \"/\"\nlanguage = \"{}\"\noutput_dir = \"public\"\n# Raw HTML in reports is escaped unless this is true: scraped text is untrusted.\nallow_html = false\n",
                lang.code()
            ),
        ),
        ("content/_index.md", format!("---\ntitle: {title:?}\n---\n\n{front}\n\n{sample}\n")),
        ("content/reports/.gitkeep", String::new()),
        (".gitignore", "/public/\n".to_string()),
        (".github/workflows/dossier-pages.yml", workflow),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(
                    parent.to_path_buf(),
                    format!("cannot create the folder: {e}"),
                )
            })?;
        }
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::error(path.clone(), format!("cannot write: {e}")))?;
    }
    std::fs::create_dir_all(dir.join("content/events")).map_err(|e| {
        Diagnostic::error(
            dir.join("content/events"),
            format!("cannot create the folder: {e}"),
        )
    })?;
    Ok(())
}
