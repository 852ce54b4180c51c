//! ferro's package manager (`ferro install`, `add`, `remove`, `run`, `x`, `init`, `outdated`).

/// The subcommands this crate handles.
pub const COMMANDS: &[&str] = &["install", "i", "add", "remove", "rm", "run", "x", "init", "outdated"];

/// Runs a package-manager subcommand and returns the process exit code.
pub fn main(command: &str, _args: &[String]) -> i32 {
    eprintln!("ferro {command}: the package manager is not available yet");
    1
}
