//! `dossier serve`: the preview, in memory, rebuilt and reloaded on every change (`serve/`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::{fail, say};

pub(super) fn run(root: PathBuf, port: u16, bind: std::net::IpAddr, open: bool) -> ExitCode {
    if !bind.is_loopback() {
        eprintln!(
            "warning: listening on {bind}: anyone who can reach this machine can see the preview; use the default 127.0.0.1 to keep it private"
        );
    }
    let started = Instant::now();
    let opts = crate::serve::ServeOptions { root, bind, port };
    let server = match crate::serve::preview(&opts) {
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
