//! The `inm-bot` binary: everything is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    inm_bot::cli::main()
}
