//! Running package.json scripts as npm runs them: `sh -c`, in the package folder, with every
//! `node_modules/.bin` from there up on PATH and npm's `npm_*` environment.
//!
//! Which `node` a script (or a bin with a `#!/usr/bin/env node` line) gets: the `node` on PATH
//! when there is one, because packages may need what ferro cannot run yet (ES modules). When
//! there is none, or with `--ferro` / `FERRO_NODE=ferro`, a folder holding a `node` link to this
//! ferro goes first on PATH, so the same scripts run on ferro.

use crate::error::{Context, Error, Result};
use crate::Env;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// npm's lifecycle scripts, listed apart by `npm run`.
const LIFECYCLE: &[&str] = &[
    "prepare",
    "prepublish",
    "prepublishOnly",
    "prepack",
    "postpack",
    "preinstall",
    "install",
    "postinstall",
    "preuninstall",
    "uninstall",
    "postuninstall",
    "preversion",
    "version",
    "postversion",
    "pretest",
    "test",
    "posttest",
    "prestop",
    "stop",
    "poststop",
    "prestart",
    "start",
    "poststart",
    "prerestart",
    "restart",
    "postrestart",
    "dependencies",
];

/// Quotes an argument for `sh` unless it needs no quoting.
pub fn shell_quote(arg: &str) -> String {
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b)) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The `node` scripts will find: (folder to put first on PATH, path of that node).
pub fn node_for_scripts(env: &Env) -> (Option<PathBuf>, PathBuf) {
    let on_path = which("node");
    if !env.ferro_as_node {
        if let Some(node) = on_path {
            return (None, node);
        }
    }
    let shim_dir = env.cache_dir.join("node-shim");
    let shim = shim_dir.join("node");
    if std::fs::read_link(&shim).ok().as_deref() != Some(env.exe.as_path()) {
        let _ = std::fs::create_dir_all(&shim_dir);
        let _ = std::fs::remove_file(&shim);
        let _ = std::os::unix::fs::symlink(&env.exe, &shim);
    }
    (Some(shim_dir), env.exe.clone())
}

pub fn which(command: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(command)).find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// PATH for scripts run in `dir`: its `.bin` folders nearest first, the node shim, then PATH.
pub fn script_path(env: &Env, dir: &Path) -> std::ffi::OsString {
    let mut entries: Vec<PathBuf> = dir.ancestors().map(|d| d.join("node_modules").join(".bin")).collect();
    if let (Some(shim), _) = node_for_scripts(env) {
        entries.push(shim);
    }
    if let Some(path) = std::env::var_os("PATH") {
        entries.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(entries).unwrap_or_default()
}

/// npm's environment for a script of the package whose package.json is `manifest`.
pub fn script_env(env: &Env, dir: &Path, manifest: &Value, event: &str, script: &str, command: &str) -> Vec<(String, String)> {
    let (_, node) = node_for_scripts(env);
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut vars = vec![
        ("npm_lifecycle_event".to_string(), event.to_string()),
        ("npm_lifecycle_script".to_string(), script.to_string()),
        ("npm_package_json".to_string(), dir.join("package.json").display().to_string()),
        ("npm_command".to_string(), command.to_string()),
        ("npm_execpath".to_string(), env.exe.display().to_string()),
        ("npm_node_execpath".to_string(), node.display().to_string()),
        ("NODE".to_string(), node.display().to_string()),
        ("INIT_CWD".to_string(), env.cwd.display().to_string()),
        (
            "npm_config_user_agent".to_string(),
            format!(
                "ferro/{} node/v{} {} {}",
                env!("CARGO_PKG_VERSION"),
                crate::manifest::NODE_VERSION,
                crate::manifest::Platform::current().os,
                crate::manifest::Platform::current().cpu
            ),
        ),
    ];
    for key in ["name", "version"] {
        if let Some(value) = manifest.get(key).and_then(text) {
            vars.push((format!("npm_package_{key}"), value));
        }
    }
    for section in ["config", "engines", "bin"] {
        if let Some(map) = manifest.get(section).and_then(Value::as_object) {
            for (key, value) in map {
                if let Some(value) = text(value) {
                    let key: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
                    vars.push((format!("npm_package_{section}_{key}"), value));
                }
            }
        }
    }
    vars
}

/// Runs one script, printing npm's `> name@version event` banner on stderr. Returns its exit code.
pub fn run_script(env: &Env, dir: &Path, manifest: &Value, event: &str, script: &str, args: &[String], command: &str) -> Result<i32> {
    let mut line = script.to_string();
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let name = manifest.get("name").and_then(Value::as_str).unwrap_or("");
    let version = manifest.get("version").and_then(Value::as_str).unwrap_or("");
    let id = if name.is_empty() {
        dir.display().to_string()
    } else if version.is_empty() {
        name.to_string()
    } else {
        format!("{name}@{version}")
    };
    eprintln!("\n> {id} {event}\n> {line}\n");
    let status = Command::new("sh")
        .arg("-c")
        .arg(&line)
        .current_dir(dir)
        .env("PATH", script_path(env, dir))
        .envs(script_env(env, dir, manifest, event, script, command))
        .status()
        .context(|| "cannot start sh".to_string())?;
    Ok(exit_code(status))
}

pub fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// `ferro run <script> [-- args]`: pre<script>, <script>, post<script>; a name that is no
/// script but a command in node_modules/.bin runs that command.
pub fn run(env: &Env, dir: &Path, name: &str, args: &[String]) -> Result<i32> {
    let manifest = crate::manifest::read_json_file(&dir.join("package.json"))?;
    let scripts = manifest.get("scripts").and_then(Value::as_object);
    let Some(script) = scripts.and_then(|s| s.get(name)).and_then(Value::as_str) else {
        if let Some(bin) = dir.ancestors().map(|d| d.join("node_modules/.bin").join(name)).find(|p| is_executable(p)) {
            let status = Command::new(bin)
                .args(args)
                .env("PATH", script_path(env, dir))
                .envs(script_env(env, dir, &manifest, name, name, "exec"))
                .status()
                .context(|| format!("cannot start {name}"))?;
            return Ok(exit_code(status));
        }
        return Err(Error::new(format!("Missing script: \"{name}\"\n\nTo see a list of scripts, run:\n  ferro run")));
    };
    for (event, script, args) in [
        (format!("pre{name}"), scripts.and_then(|s| s.get(&format!("pre{name}"))).and_then(Value::as_str), &[][..]),
        (name.to_string(), Some(script), args),
        (format!("post{name}"), scripts.and_then(|s| s.get(&format!("post{name}"))).and_then(Value::as_str), &[][..]),
    ] {
        let Some(script) = script else { continue };
        let code = run_script(env, dir, &manifest, &event, script, args, "run")?;
        if code != 0 {
            return Ok(code);
        }
    }
    Ok(0)
}

/// `ferro run` alone: the scripts, lifecycle ones first, as `npm run` lists them.
pub fn list(dir: &Path) -> Result<String> {
    let manifest = crate::manifest::read_json_file(&dir.join("package.json"))?;
    let Some(scripts) = manifest.get("scripts").and_then(Value::as_object).filter(|s| !s.is_empty()) else {
        return Ok(String::new());
    };
    let name = manifest.get("name").and_then(Value::as_str).unwrap_or("");
    let version = manifest.get("version").and_then(Value::as_str).unwrap_or("");
    let (lifecycle, other): (Vec<_>, Vec<_>) = scripts.iter().partition(|(k, _)| LIFECYCLE.contains(&k.as_str()));
    let mut out = String::new();
    if !lifecycle.is_empty() {
        out.push_str(&format!("Lifecycle scripts included in {name}@{version}:\n"));
        for (k, v) in &lifecycle {
            out.push_str(&format!("  {k}\n    {}\n", v.as_str().unwrap_or("")));
        }
    }
    if !other.is_empty() {
        out.push_str("available via `ferro run`:\n");
        for (k, v) in &other {
            out.push_str(&format!("  {k}\n    {}\n", v.as_str().unwrap_or("")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_for_sh() {
        assert_eq!(shell_quote("plain-arg_1.js"), "plain-arg_1.js");
        assert_eq!(shell_quote("b c"), "'b c'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
    }
}
