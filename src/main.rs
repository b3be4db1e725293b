//! The `dossier` command: everything happens in the library's [`dossier::run`].

/// mimalloc: a build allocates and frees millions of small strings (template values, page
/// contexts) across threads; the system allocator spent a sixth of a large build's time there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dossier::run(std::env::args_os())
}
