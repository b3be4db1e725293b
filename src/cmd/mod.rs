//! The command line: argument parsing, and one file per command, each a thin composition of
//! the stages (`load → analyze → render → write`, `import`, `serve`).

mod briefing;
mod build;
mod check;
mod events;
mod import;
mod init;
mod serve;

pub use build::{build_site, render_site};
pub use check::{broken_links, check_site};

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `println!` that does not panic when the reader has gone (`dossier import … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use say;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::config::Config;

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
    /// Import raw page text (.txt) or saved pages (.html, .htm), or folders of them, as clean reports in content/reports/
    Import {
        /// Raw page text files or saved HTML pages, or folders holding them
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
pub(super) enum Paper {
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
        } => build::run(root, base_url, output, no_search),
        Command::Check { root } => check::run(root),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => serve::run(root, port, bind, open),
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
        } => import::run(crate::import::Options {
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
        Command::Events { root, write, tsv } => events::run(root, write, tsv),
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
        } => briefing::run(
            root,
            &crate::analyze::briefing::Filter {
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
        } => init::run(&dir, &language, title.as_deref(), dossier_git.as_deref()),
    }
}

pub(super) fn load_config(
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

pub(super) fn fail(ds: &[Diagnostic]) -> ExitCode {
    let mut d = Diagnostics::default();
    d.extend(ds.iter().cloned());
    eprint!("{}", d.report());
    ExitCode::FAILURE
}
