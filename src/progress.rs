//! Progress of long work on a terminal (a build's pages, an import's files): nothing for work
//! that ends within a second, nothing when standard error is not a terminal (logs, CI, pipes),
//! and the bar cleared when the work is done, so the summary line stays the last word.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress shows.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// A count of `total` steps of one piece of work, shown once it has run for a second.
pub(crate) struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// Whether it may show at all: asked for, and standard error is a terminal.
    may_show: bool,
}

impl Progress {
    /// `what` is said beside the count ("pages", "files"). `enabled` is false for work whose
    /// caller shows its own (the preview) or wants none.
    pub(crate) fn new(what: &str, total: usize, enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(&format!(
            "{{spinner}} {what} {{pos}}/{{len}} [{{bar:30}}] {{percent}}% · {{elapsed}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        Progress {
            bar,
            started: Instant::now(),
            may_show: enabled && std::io::stderr().is_terminal(),
        }
    }

    /// `n` more steps done.
    pub(crate) fn inc(&self, n: u64) {
        self.bar.inc(n);
        if self.may_show && self.bar.is_hidden() && self.started.elapsed() > QUIET_FOR {
            self.bar
                .set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
        }
    }

    /// The work is done: the bar goes.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
