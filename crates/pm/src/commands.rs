//! Command-line parsing and the commands besides install: add, remove, run, x, init, outdated.

use crate::error::{Context, Error, Result};
use crate::install::{install, Options};
use crate::manifest::Packument;
use crate::npmrc::Config;
use crate::project::{remove_dependency, save_manifest, set_dependency};
use crate::registry::Registry;
use crate::semver::{Range, Version};
use crate::spec::{split_name_spec, valid_package_name, Spec};
use crate::Env;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const USAGE: &str = "\
Usage:
  ferro install [--frozen-lockfile] [--production] [--trust-scripts] [--ignore-scripts] [--offline] [--prefer-online]
  ferro add <pkg>[@range]... [-D|--dev] [-O|--optional] [-E|--exact]
  ferro remove <pkg>...
  ferro run [<script> [-- args...]] [--ferro]
  ferro x <pkg>[@version] [args...] [--ferro]
  ferro init [-y]
  ferro outdated";

pub fn dispatch(env: &Env, command: &str, args: &[String]) -> Result<i32> {
    if args.iter().any(|a| a == "--help" || a == "-h") && !matches!(command, "run" | "run-script" | "x" | "exec") {
        println!("{USAGE}");
        return Ok(0);
    }
    match command {
        "install" | "i" | "ci" => {
            let (mut options, rest) = install_options(args)?;
            if command == "ci" {
                options.frozen = true;
            }
            if rest.is_empty() {
                let dir = project_dir(env)?;
                install(env, &dir, &options)?;
                Ok(0)
            } else {
                add(env, &rest, args)
            }
        }
        "add" => add(env, &args.iter().filter(|a| !a.starts_with('-')).cloned().collect::<Vec<_>>(), args),
        "remove" | "rm" | "uninstall" => remove(env, args),
        "run" | "run-script" => run(env, args),
        "x" | "exec" => exec(env, args),
        "init" => init(env),
        "outdated" => {
            let (code, table) = outdated_table(env)?;
            print!("{table}");
            Ok(code)
        }
        _ => Err(Error::new(format!("unknown command {command}\n{USAGE}"))),
    }
}

/// The folder with the nearest package.json, from the current directory up.
fn nearest_package_dir(env: &Env) -> Result<PathBuf> {
    env.cwd.ancestors().find(|d| d.join("package.json").is_file()).map(Path::to_path_buf).ok_or_else(|| {
        Error::new(format!("no package.json in {} or any parent folder (run `ferro init` to create one)", env.cwd.display()))
    })
}

/// The project to install: the nearest package.json's folder, or in a workspace package, the
/// workspace root that lists it.
fn project_dir(env: &Env) -> Result<PathBuf> {
    let nearest = nearest_package_dir(env)?;
    let nearest = nearest.as_path();
    for ancestor in nearest.ancestors().skip(1) {
        let Ok(manifest) = crate::manifest::read_json_file(&ancestor.join("package.json")) else { continue };
        if manifest.get("workspaces").is_some() {
            let members = crate::project::expand_workspaces(ancestor, &manifest)?;
            if members.iter().any(|m| ancestor.join(m) == nearest) {
                return Ok(ancestor.to_path_buf());
            }
        }
    }
    Ok(nearest.to_path_buf())
}

/// Reads install flags; returns them with the arguments that are not flags.
fn install_options(args: &[String]) -> Result<(Options, Vec<String>)> {
    let mut options = Options::default();
    let mut rest = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--frozen-lockfile" | "--frozen" | "--immutable" => options.frozen = true,
            "--production" | "--prod" | "--omit=dev" => options.production = true,
            "--trust-scripts" => options.trust_scripts = true,
            "--ignore-scripts" => options.ignore_scripts = true,
            "--offline" => options.offline = true,
            "--prefer-online" => options.prefer_online = true,
            "--silent" | "--quiet" | "-s" => options.quiet = true,
            "-D" | "--dev" | "--save-dev" | "-O" | "--optional" | "--save-optional" | "-E" | "--exact" | "--save-exact" => {}
            flag if flag.starts_with('-') => return Err(Error::new(format!("unknown option {flag}\n{USAGE}"))),
            _ => rest.push(arg.clone()),
        }
    }
    Ok((options, rest))
}

/// `ferro add`: resolves each package, saves it in package.json (with `^` unless `--exact`),
/// then installs. package.json is restored if the install fails.
fn add(env: &Env, packages: &[String], all_args: &[String]) -> Result<i32> {
    if packages.is_empty() {
        return Err(Error::new(format!("ferro add needs at least one package\n{USAGE}")));
    }
    // With no package.json here or above, one is made here, as npm does; a failed add takes
    // it away again.
    let created = match nearest_package_dir(env) {
        Ok(_) => None,
        Err(_) => {
            let path = env.cwd.join("package.json");
            std::fs::write(&path, "{}\n").context(|| format!("cannot write {}", path.display()))?;
            Some(path)
        }
    };
    let result = add_to_project(env, packages, all_args);
    if let (Err(_), Some(path)) = (&result, created) {
        let _ = std::fs::remove_file(path);
    }
    result
}

fn add_to_project(env: &Env, packages: &[String], all_args: &[String]) -> Result<i32> {
    let (options, _) = install_options(all_args)?;
    let has = |flags: &[&str]| all_args.iter().any(|a| flags.contains(&a.as_str()));
    let section = if has(&["-D", "--dev", "--save-dev"]) {
        "devDependencies"
    } else if has(&["-O", "--optional", "--save-optional"]) {
        "optionalDependencies"
    } else {
        "dependencies"
    };
    let exact = has(&["-E", "--exact", "--save-exact"]);
    // The nearest package.json gets the dependency (a workspace package's own, in a workspace);
    // the install covers the whole project.
    let dir = project_dir(env)?;
    let path = nearest_package_dir(env)?.join("package.json");
    let original = std::fs::read_to_string(&path).context(|| format!("cannot read {}", path.display()))?;
    let mut manifest = crate::manifest::parse_json_text(&path, &original)?;

    let mut wanted = Vec::new();
    for arg in packages {
        let (name, spec_text) = split_name_spec(arg);
        if !valid_package_name(name) {
            return Err(Error::new(format!("invalid package name {name:?}")));
        }
        let spec = Spec::parse(spec_text.unwrap_or("latest"));
        if let Spec::Unsupported(reason) = spec {
            return Err(Error::new(format!("{arg}: {reason}")));
        }
        wanted.push((name.to_string(), spec_text.map(str::to_string), spec));
    }
    let registry = Arc::new(Registry::new(Config::load(&dir), env.cache_dir.clone())?);
    let mut packuments = fetch_packuments(&registry, wanted.iter().map(|(n, _, s)| real_name(n, s)).collect())?;
    // A version missing from metadata the cache gave unchecked may just be new: ask again.
    let stale: Vec<String> = wanted
        .iter()
        .filter(|(n, _, s)| packuments[&real_name(n, s)].pick(s).is_none() && registry.unconfirmed(&real_name(n, s)))
        .map(|(n, _, s)| real_name(n, s))
        .collect();
    if !stale.is_empty() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::new(e.to_string()))?;
        for (name, result) in runtime.block_on(crate::install::refetch(&registry, stale)) {
            packuments.insert(name, result?);
        }
    }
    for (name, typed, spec) in &wanted {
        let real = real_name(name, spec);
        let packument = &packuments[&real];
        let Some(meta) = packument.pick(spec) else {
            return Err(Error::new(format!("No matching version found for {real}@{}", typed.as_deref().unwrap_or("latest"))));
        };
        let saved = match (spec, typed) {
            (Spec::Range(r), Some(_)) if !exact => saved_range(r, &meta.version),
            (Spec::Alias { name: real, spec: inner }, Some(_)) => match inner.as_ref() {
                Spec::Range(r) if !exact => format!("npm:{real}@{}", saved_range(r, &meta.version)),
                _ => format!("npm:{real}@{}{}", if exact { "" } else { "^" }, meta.version),
            },
            _ => format!("{}{}", if exact { "" } else { "^" }, meta.version),
        };
        remove_dependency(&mut manifest, name);
        set_dependency(&mut manifest, section, name, &saved);
    }
    save_manifest(&path, &original, &manifest)?;
    match install(env, &dir, &options) {
        Ok(_) => Ok(0),
        Err(e) => {
            let _ = std::fs::write(&path, &original);
            Err(e)
        }
    }
}

/// What `add` saves for a typed range, as npm does: `^version` when every version that
/// accepts lies in the typed range (`^1`, `1.x`, `*`, an exact version), else the range as
/// typed (`~1.1`, `<1.3`).
fn saved_range(typed: &str, version: &str) -> String {
    let caret = format!("^{version}");
    match (Range::parse(typed), Range::parse(&caret)) {
        (Some(range), Some(caret_range)) if range.contains(&caret_range) => caret,
        _ if Version::parse(typed).is_some() => caret,
        _ => typed.to_string(),
    }
}

fn real_name(name: &str, spec: &Spec) -> String {
    match spec {
        Spec::Alias { name, .. } => name.clone(),
        _ => name.to_string(),
    }
}

fn fetch_packuments(registry: &Arc<Registry>, names: Vec<String>) -> Result<std::collections::HashMap<String, Arc<Packument>>> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|e| Error::new(e.to_string()))?;
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for name in names {
            let registry = registry.clone();
            tasks.spawn(async move { registry.packument(&name).await.map(|p| (name, p)) });
        }
        let mut out = std::collections::HashMap::new();
        while let Some(joined) = tasks.join_next().await {
            let (name, packument) = joined.map_err(|e| Error::new(e.to_string()))??;
            out.insert(name, packument);
        }
        Ok(out)
    })
}

fn remove(env: &Env, args: &[String]) -> Result<i32> {
    let (options, names) = install_options(args)?;
    if names.is_empty() {
        return Err(Error::new(format!("ferro remove needs at least one package\n{USAGE}")));
    }
    let dir = project_dir(env)?;
    let path = nearest_package_dir(env)?.join("package.json");
    let original = std::fs::read_to_string(&path).context(|| format!("cannot read {}", path.display()))?;
    let mut manifest = crate::manifest::parse_json_text(&path, &original)?;
    for name in &names {
        if !remove_dependency(&mut manifest, name) {
            eprintln!("warn: {name} is not a dependency of this project");
        }
    }
    save_manifest(&path, &original, &manifest)?;
    install(env, &dir, &options)?;
    Ok(0)
}

fn run(env: &Env, args: &[String]) -> Result<i32> {
    let mut env = env.clone();
    let mut rest: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--ferro" if rest.is_empty() => env.ferro_as_node = true,
            "--" if !rest.is_empty() => {
                rest.extend(iter.by_ref().cloned());
            }
            _ => rest.push(arg.clone()),
        }
    }
    let dir = nearest_package_dir(&env)?;
    let Some((script, script_args)) = rest.split_first() else {
        print!("{}", crate::scripts::list(&dir)?);
        return Ok(0);
    };
    crate::scripts::run(&env, &dir, script, script_args)
}

/// `ferro x <pkg>[@version] [args]`: runs a package's command, from the project's node_modules
/// when it is there, else installed into `<cache>/x/` first.
fn exec(env: &Env, args: &[String]) -> Result<i32> {
    let mut env = env.clone();
    let mut args = args.to_vec();
    while args.first().is_some_and(|a| a == "--ferro") {
        env.ferro_as_node = true;
        args.remove(0);
    }
    let Some((package, rest)) = args.split_first() else {
        return Err(Error::new(format!("ferro x needs a package to run\n{USAGE}")));
    };
    let (name, spec_text) = split_name_spec(package);
    if !valid_package_name(name) {
        return Err(Error::new(format!("invalid package name {name:?}")));
    }
    let command = name.rsplit('/').next().unwrap_or(name).to_string();
    if spec_text.is_none() {
        if let Some(local) = env.cwd.ancestors().map(|d| d.join("node_modules/.bin").join(&command)).find(|p| p.exists()) {
            return run_bin(&env, &local, rest);
        }
    }
    let spec = spec_text.unwrap_or("latest");
    if let Spec::Unsupported(reason) = Spec::parse(spec) {
        return Err(Error::new(format!("{package}: {reason}")));
    }
    let folder_key = crate::integrity::store_key(&format!("{name}@{spec}"));
    let dir = env.cache_dir.join("x").join(&folder_key[..16]);
    std::fs::create_dir_all(&dir).context(|| format!("cannot create {}", dir.display()))?;
    let manifest = serde_json::json!({ "name": "ferro-x", "private": true, "dependencies": { name: spec } });
    std::fs::write(dir.join("package.json"), manifest.to_string()).context(|| format!("cannot write in {}", dir.display()))?;
    // The registry settings of the project x runs in.
    match env.cwd.ancestors().map(|d| d.join(".npmrc")).find(|p| p.is_file()) {
        Some(npmrc) => {
            let _ = std::fs::copy(npmrc, dir.join(".npmrc"));
        }
        None => {
            let _ = std::fs::remove_file(dir.join(".npmrc"));
        }
    }
    // Resolve afresh (metadata is cached), so `latest` moves on when the registry does.
    let _ = std::fs::remove_file(dir.join(crate::lockfile::FILE_NAME));
    let quiet = Options { quiet: true, ..Default::default() };
    install(&Env { tty: false, ..env.clone() }, &dir, &quiet)?;
    let package_dir = dir.join("node_modules").join(name);
    let installed = crate::manifest::read_json_file(&package_dir.join("package.json"))?;
    let bins = crate::manifest::bin_map(name, installed.get("bin"));
    let bin = if bins.len() == 1 { bins.keys().next().cloned() } else { bins.contains_key(&command).then(|| command.clone()) };
    let Some(bin) = bin else {
        return Err(Error::new(format!(
            "could not determine the command to run for {name} (it has {})",
            if bins.is_empty() { "no bin".to_string() } else { bins.keys().cloned().collect::<Vec<_>>().join(", ") }
        )));
    };
    run_bin(&env, &dir.join("node_modules/.bin").join(bin), rest)
}

fn run_bin(env: &Env, bin: &Path, args: &[String]) -> Result<i32> {
    let bin_dir = bin.parent().unwrap_or(Path::new("."));
    let mut path = vec![bin_dir.to_path_buf()];
    path.extend(std::env::split_paths(&crate::scripts::script_path(env, &env.cwd)));
    let status = std::process::Command::new(bin)
        .args(args)
        .env("PATH", std::env::join_paths(path).unwrap_or_default())
        .status()
        .context(|| format!("cannot start {}", bin.display()))?;
    Ok(crate::scripts::exit_code(status))
}

/// `ferro init`: a package.json like `npm init -y` writes.
fn init(env: &Env) -> Result<i32> {
    let path = env.cwd.join("package.json");
    if path.exists() {
        return Err(Error::new(format!("{} already exists", path.display())));
    }
    let base = env.cwd.file_name().and_then(|n| n.to_str()).unwrap_or("project");
    let name: String = base
        .trim_start_matches(['.', '_'])
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') { c } else { '-' })
        .collect();
    let manifest = serde_json::json!({
        "name": if name.is_empty() { "project".to_string() } else { name },
        "version": "1.0.0",
        "description": "",
        "main": "index.js",
        "scripts": { "test": "echo \"Error: no test specified\" && exit 1" },
        "keywords": [],
        "author": "",
        "license": "ISC",
        "type": "commonjs"
    });
    save_manifest(&path, "", &manifest)?;
    println!("Wrote to {}:\n\n{}\n", path.display(), serde_json::to_string_pretty(&manifest).unwrap_or_default());
    Ok(0)
}

/// `ferro outdated`: npm's table of direct dependencies whose installed version is not the
/// wanted (highest in range) or latest one, and the exit code: 1 when there are any, as npm's.
pub fn outdated_table(env: &Env) -> Result<(i32, String)> {
    let dir = nearest_package_dir(env)?;
    let manifest = crate::manifest::read_json_file(&dir.join("package.json"))?;
    let mut deps: Vec<(String, String)> = Vec::new();
    for section in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] {
        for (name, spec) in crate::manifest::string_map(manifest.get(section)) {
            if !deps.iter().any(|(n, _)| *n == name) {
                deps.push((name, spec));
            }
        }
    }
    deps.sort();
    let registry = Arc::new(Registry::new(Config::load(&dir), env.cache_dir.clone())?);
    let names = deps.iter().filter_map(|(n, s)| match Spec::parse(s) {
        spec @ (Spec::Range(_) | Spec::Tag(_) | Spec::Alias { .. }) => Some(real_name(n, &spec)),
        _ => None,
    });
    let packuments = fetch_packuments(&registry, names.collect())?;
    let depended_by = dir.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let mut rows = vec![["Package", "Current", "Wanted", "Latest", "Location", "Depended by"].map(String::from).to_vec()];
    for (name, spec_text) in &deps {
        let spec = Spec::parse(spec_text);
        let Some(packument) = packuments.get(&real_name(name, &spec)) else { continue };
        let installed = crate::manifest::read_json_file(&dir.join("node_modules").join(name).join("package.json")).ok();
        let current = installed.as_ref().and_then(|m| m.get("version")).and_then(Value::as_str).map(str::to_string);
        let wanted = packument.pick(&spec).map(|m| m.version).unwrap_or_default();
        let latest = packument.dist_tags.get("latest").cloned().unwrap_or_default();
        if current.as_deref() == Some(wanted.as_str()) && current.as_deref() == Some(latest.as_str()) {
            continue;
        }
        let location = if current.is_some() { format!("node_modules/{name}") } else { "-".into() };
        rows.push(vec![name.clone(), current.unwrap_or_else(|| "MISSING".into()), wanted, latest, location, depended_by.clone()]);
    }
    if rows.len() == 1 {
        return Ok((0, String::new()));
    }
    let mut out = String::new();
    let widths: Vec<usize> = (0..6).map(|c| rows.iter().map(|r| r[c].len()).max().unwrap_or(0)).collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if (1..=3).contains(&c) && row[0] != "Package" {
                    format!("{cell:>w$}", w = widths[c])
                } else {
                    format!("{cell:<w$}", w = widths[c])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    Ok((1, out))
}
