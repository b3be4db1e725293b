//! The `dossier` command: everything happens in the library's [`dossier::run`].

fn main() -> std::process::ExitCode {
    dossier::run(std::env::args_os())
}
