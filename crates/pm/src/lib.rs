//! ferro's package manager (`ferro install`, `add`, `remove`, `run`, `x`, `init`, `outdated`).
//!
//! Layout: `semver` and `spec` read version ranges and dependency specifiers; `manifest` reads
//! package.json files and registry metadata and picks versions like npm; `npmrc` and `registry`
//! talk to the registry; `tree` builds npm's hoisted node_modules layout; `lockfile` reads and
//! writes ferro.lock (and reads package-lock.json); `store` is the global content-addressed cache;
//! `install` ties them together; `scripts` runs package.json scripts; `commands` is the rest.

pub mod commands;
pub mod error;
pub mod install;
pub mod integrity;
pub mod lockfile;
pub mod manifest;
pub mod npmrc;
pub mod progress;
pub mod project;
pub mod registry;
pub mod scripts;
pub mod semver;
pub mod spec;
pub mod store;
pub mod tree;

use std::path::PathBuf;

/// The subcommands this crate handles.
pub const COMMANDS: &[&str] =
    &["install", "i", "ci", "add", "remove", "rm", "uninstall", "run", "run-script", "x", "exec", "init", "outdated"];

/// Where and how the package manager runs: the parts of the process environment it uses, so tests
/// can run many in one process.
#[derive(Clone, Debug)]
pub struct Env {
    /// The global cache (`FERRO_CACHE_DIR`, else `$XDG_CACHE_HOME/ferro`, else `~/.cache/ferro`).
    pub cache_dir: PathBuf,
    /// Where the command was started.
    pub cwd: PathBuf,
    /// Whether stderr is a terminal (progress bar) or not (one summary line).
    pub tty: bool,
    /// This ferro executable.
    pub exe: PathBuf,
    /// Put ferro first on PATH as `node` for scripts and bins (`--ferro`, `FERRO_NODE=ferro`).
    pub ferro_as_node: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp"));
        let cache_dir = std::env::var_os("FERRO_CACHE_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()).map(|x| PathBuf::from(x).join("ferro")))
            .unwrap_or_else(|| home.join(".cache").join("ferro"));
        Env {
            cache_dir,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            tty: unsafe { libc::isatty(2) } == 1,
            exe: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("ferro")),
            ferro_as_node: std::env::var("FERRO_NODE").as_deref() == Ok("ferro"),
        }
    }
}

/// Runs a package-manager subcommand and returns the process exit code.
pub fn main(command: &str, args: &[String]) -> i32 {
    let env = Env::from_process();
    match commands::dispatch(&env, command, args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
