//! `ferro install`: resolve (or read the lockfile), fetch into the store, build node_modules in a
//! staging folder, swap it in, write ferro.lock, run the allowed lifecycle scripts.

use crate::error::{Context, Error, Result};
use crate::lockfile::{self, Locked};
use crate::manifest::{PackageMeta, Packument};
use crate::npmrc::Config;
use crate::project::{node_for, Project};
use crate::registry::Registry;
use crate::spec::Spec;
use crate::store::{Linker, Store};
use crate::tree::{child_location, folder_name, Kind, Node, Tree};
use crate::Env;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Fail instead of changing the lockfile.
    pub frozen: bool,
    /// Leave devDependencies out of node_modules (`--production`, `--omit=dev`).
    pub production: bool,
    /// Run every dependency's install scripts.
    pub trust_scripts: bool,
    /// Run no scripts at all, not even the root package's.
    pub ignore_scripts: bool,
    pub offline: bool,
    pub prefer_online: bool,
    /// Print nothing but errors and warnings.
    pub quiet: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub up_to_date: bool,
    /// Dependencies whose install scripts were not run.
    pub skipped_scripts: Vec<String>,
    /// HTTP requests made (0 for a fully cached install).
    pub requests: usize,
}

const STATE_FILE: &str = ".ferro-state";
const STAGING: &str = ".node_modules.staging";

/// Installs the project in `dir` and prints the summary line.
pub fn install(env: &Env, dir: &Path, options: &Options) -> Result<Summary> {
    let started = Instant::now();
    let project = Project::load(dir)?;
    let progress = crate::progress::Progress::new(env.tty && !options.quiet);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?;
    let mut registry = Registry::new(Config::load(dir), env.cache_dir.clone())?;
    registry.offline = options.offline;
    registry.prefer_online = options.prefer_online;
    let registry = Arc::new(registry);
    let store = Arc::new(Store::new(&env.cache_dir));

    // The tree as package.json and the lockfile describe it.
    let (base, locked) = starting_tree(&project)?;
    if options.frozen {
        check_frozen(&base, &locked)?;
    }
    let mut downloads = Downloads::new(registry.clone(), store.clone(), !options.frozen);
    let mut packuments: HashMap<String, Arc<Packument>> = HashMap::new();
    let mut failed: HashMap<String, Error> = HashMap::new();
    progress.message("resolving");
    let mut rechecked = false;
    let (mut tree, report) = loop {
        let mut attempt = base.clone();
        let report = attempt.build(&packuments, &failed);
        // No version matched in metadata taken from the cache unchecked: the version may be
        // newer than the cache, so ask the registry once before giving up.
        let stale: Vec<String> = report.no_match.iter().filter(|n| registry.unconfirmed(n)).cloned().collect();
        if !stale.is_empty() && !rechecked && !options.offline {
            rechecked = true;
            for (name, result) in runtime.block_on(refetch(&registry, stale)) {
                match result {
                    Ok(packument) => {
                        packuments.insert(name, packument);
                    }
                    Err(e) => {
                        packuments.remove(&name);
                        failed.insert(name, e);
                    }
                }
            }
            continue;
        }
        if report.missing.is_empty() {
            break (attempt, report);
        }
        if options.frozen {
            return Err(Error::new(format!(
                "{} is out of date with package.json ({} needs resolving); run ferro install without --frozen-lockfile",
                locked.as_ref().map_or(lockfile::FILE_NAME, |(name, _)| name.as_str()),
                report.missing.iter().next().map(|(n, s)| format!("{n}@{s}")).unwrap_or_default()
            )));
        }
        let wanted: Vec<(String, String)> = report.missing.iter().cloned().collect();
        runtime.block_on(prefetch(&registry, &mut downloads, &mut packuments, &mut failed, wanted, &progress));
    };
    for warning in &report.warnings {
        eprintln!("warn: {warning}");
    }
    if !report.errors.is_empty() {
        return Err(Error::new(report.errors.join("\n")));
    }
    if options.frozen && report.changed {
        return Err(Error::new(format!(
            "{} does not match package.json; run ferro install without --frozen-lockfile",
            locked.as_ref().map_or(lockfile::FILE_NAME, |(name, _)| name.as_str())
        )));
    }
    fill_missing_urls(&mut tree, &registry);

    // What goes into node_modules: this platform's packages, without dev ones in production.
    let mut skipped: HashSet<String> = HashSet::new();
    for node in tree.packages() {
        if !node.meta.platform_ok() {
            if !node.optional {
                eprintln!("warn: {}@{} does not support this platform; not installed", node.meta.name, node.meta.version);
            }
            skipped.insert(node.location.clone());
        } else if options.production && node.dev {
            skipped.insert(node.location.clone());
        }
    }
    let installable: Vec<&Node> = tree.packages().filter(|n| !skipped.contains(&n.location)).collect();

    let lock_text = lockfile::write(&tree);
    let state = state_text(&lock_text, &skipped);
    let install_roots = install_roots(&project, &tree);
    let previous = read_states(dir, &install_roots);
    // Up to date: the same tree was installed last time and its packages are still there.
    let up_to_date = install_roots.iter().all(|r| previous.get(r).map(|s| s.as_deref() == Some(state.as_str())).unwrap_or(false))
        && installable.iter().all(|n| dir.join(&n.location).join("package.json").is_file());

    let trusted: HashSet<String> = project.trusted().into_iter().collect();
    let runs_scripts =
        |n: &Node| n.meta.has_install_script && !options.ignore_scripts && (options.trust_scripts || trusted.contains(&n.meta.name));
    let mut summary = Summary { up_to_date, ..Default::default() };
    if !up_to_date {
        // Fetch whatever the store lacks, then lay out node_modules beside the old one.
        let total = installable.len();
        progress.message(&format!("fetching {total} packages"));
        let folders = runtime.block_on(downloads.finish(&installable, &progress))?;
        for (location, integrity) in &folders.computed_integrity {
            if let Some(node) = tree.nodes.get_mut(location) {
                node.meta.integrity = Some(integrity.clone());
            }
        }
        progress.message("linking");
        let installable: Vec<&Node> = tree.packages().filter(|n| !skipped.contains(&n.location)).collect();
        let copies: HashSet<String> = installable.iter().filter(|n| runs_scripts(n)).map(|n| n.location.clone()).collect();
        build_staging(dir, &tree, &installable, &folders.paths, &copies, &install_roots, &state)?;
        swap_in(dir, &install_roots)?;
        let old_packages = previous.values().flatten().flat_map(|s| state_packages(s)).collect::<BTreeMap<_, _>>();
        let new_packages = state_packages(&state);
        summary.added = new_packages.keys().filter(|k| !old_packages.contains_key(*k)).count();
        summary.removed = old_packages.keys().filter(|k| !new_packages.contains_key(*k)).count();
        summary.changed = new_packages.iter().filter(|(k, v)| old_packages.get(*k).is_some_and(|old| old != *v)).count();
    }
    progress.finish();
    let lock_text = lockfile::write(&tree);
    if !options.frozen {
        let path = dir.join(lockfile::FILE_NAME);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(lock_text.as_str()) {
            std::fs::write(&path, &lock_text).context(|| format!("cannot write {}", path.display()))?;
        }
    }

    // Lifecycle scripts: allowed dependencies deepest first, then the project's own.
    let mut with_scripts: Vec<&Node> = tree.packages().filter(|n| !skipped.contains(&n.location) && n.meta.has_install_script).collect();
    with_scripts.sort_by_key(|n| std::cmp::Reverse(n.location.matches("node_modules/").count()));
    for node in with_scripts {
        if !runs_scripts(node) {
            if !options.ignore_scripts {
                summary.skipped_scripts.push(node.meta.name.clone());
            }
            continue;
        }
        if up_to_date {
            continue;
        }
        let package_dir = dir.join(&node.location);
        let manifest = crate::manifest::read_json_file(&package_dir.join("package.json"))?;
        for event in ["preinstall", "install", "postinstall"] {
            if let Some(script) = manifest.pointer(&format!("/scripts/{event}")).and_then(|s| s.as_str()) {
                let code = crate::scripts::run_script(env, &package_dir, &manifest, event, script, &[], "install")?;
                if code != 0 {
                    return Err(Error::new(format!(
                        "{}@{}: {event} script failed with exit code {code}",
                        node.meta.name, node.meta.version
                    )));
                }
            }
        }
    }
    if !options.ignore_scripts {
        for event in ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"] {
            if let Some(script) = project.manifest.pointer(&format!("/scripts/{event}")).and_then(|s| s.as_str()) {
                let code = crate::scripts::run_script(env, dir, &project.manifest, event, script, &[], "install")?;
                if code != 0 {
                    return Err(Error::new(format!("{event} script failed with exit code {code}")));
                }
            }
        }
    }
    summary.requests = registry.requests.load(std::sync::atomic::Ordering::Relaxed);
    if !options.quiet {
        print_summary(&summary, started.elapsed());
    }
    Ok(summary)
}

fn print_summary(summary: &Summary, elapsed: std::time::Duration) {
    let took = format_duration(elapsed);
    if !summary.skipped_scripts.is_empty() {
        let mut names = summary.skipped_scripts.clone();
        names.sort();
        names.dedup();
        eprintln!(
            "Skipped install scripts of {} package{} (not in trustedDependencies): {}\n  run `ferro install --trust-scripts`, or list them in package.json \"trustedDependencies\"",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        );
    }
    let plural = |n: usize| if n == 1 { "package" } else { "packages" };
    let mut parts = Vec::new();
    if summary.added > 0 {
        parts.push(format!("added {} {}", summary.added, plural(summary.added)));
    }
    if summary.removed > 0 {
        parts.push(format!("removed {} {}", summary.removed, plural(summary.removed)));
    }
    if summary.changed > 0 {
        parts.push(format!("changed {} {}", summary.changed, plural(summary.changed)));
    }
    if parts.is_empty() {
        println!("up to date in {took}");
    } else {
        println!("{} in {took}", parts.join(", "));
    }
}

pub fn format_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// The root, workspaces and links from package.json, plus the packages of the lockfile
/// (ferro.lock, else package-lock.json). Returns the lockfile's name and contents too.
fn starting_tree(project: &Project) -> Result<(Tree, Option<(String, Locked)>)> {
    let mut tree = Tree::default();
    tree.nodes.insert(String::new(), node_for("", Kind::Root, &project.manifest));
    for ws in &project.workspaces {
        let node = node_for(&ws.location, Kind::Workspace, &ws.manifest);
        let link_location = child_location("", &node.meta.name);
        let mut link = Node::new(link_location.clone(), Kind::Link, node.meta.clone());
        link.link = Some(ws.location.clone());
        tree.nodes.insert(link_location, link);
        tree.nodes.insert(ws.location.clone(), node);
    }
    let ferro_lock = project.dir.join(lockfile::FILE_NAME);
    let npm_lock = project.dir.join("package-lock.json");
    let locked = if ferro_lock.is_file() {
        let text = std::fs::read_to_string(&ferro_lock).context(|| format!("cannot read {}", ferro_lock.display()))?;
        Some((lockfile::FILE_NAME.to_string(), lockfile::parse(&text)?))
    } else if npm_lock.is_file() {
        let doc = crate::manifest::read_json_file(&npm_lock)?;
        match lockfile::parse_package_lock(&doc) {
            Ok(locked) => Some(("package-lock.json".to_string(), locked)),
            Err(e) => {
                eprintln!("warn: {e}; resolving from package.json");
                None
            }
        }
    } else {
        None
    };
    if let Some((_, locked)) = &locked {
        // A locked package where a workspace link now is would shadow it.
        let links: HashSet<String> = tree.nodes.values().filter(|n| n.kind == Kind::Link).map(|n| n.location.clone()).collect();
        locked.seed(&mut tree);
        for link in links {
            let ws = tree.nodes.values().find(|n| n.kind == Kind::Workspace && child_location("", &n.meta.name) == link).cloned();
            if let Some(ws) = ws {
                let mut node = Node::new(link.clone(), Kind::Link, ws.meta.clone());
                node.link = Some(ws.location.clone());
                tree.nodes.insert(link, node);
            }
        }
    }
    Ok((tree, locked))
}

/// `--frozen-lockfile`: the lockfile must have been written from this very package.json.
fn check_frozen(tree: &Tree, locked: &Option<(String, Locked)>) -> Result<()> {
    let Some((name, locked)) = locked else {
        return Err(Error::new("--frozen-lockfile needs a lockfile (ferro.lock or package-lock.json), and there is none"));
    };
    for node in tree.nodes.values().filter(|n| matches!(n.kind, Kind::Root | Kind::Workspace)) {
        let now = lockfile::declared(node);
        let then = locked.declared.get(&node.location).cloned().unwrap_or_default();
        if now != then {
            let where_ = if node.location.is_empty() { "package.json".to_string() } else { format!("{}/package.json", node.location) };
            let detail = first_difference(&then, &now);
            return Err(Error::new(format!("{name} is out of date with {where_} ({detail}); run ferro install without --frozen-lockfile")));
        }
    }
    Ok(())
}

fn first_difference(then: &lockfile::DeclaredDeps, now: &lockfile::DeclaredDeps) -> String {
    for (section, json_key) in lockfile::SECTIONS {
        let empty = BTreeMap::new();
        let (a, b) = (then.get(section).unwrap_or(&empty), now.get(section).unwrap_or(&empty));
        for name in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
            match (a.get(name), b.get(name)) {
                (Some(x), Some(y)) if x != y => return format!("{json_key}.{name}: lockfile has {x:?}, package.json has {y:?}"),
                (Some(_), None) => return format!("{json_key}.{name} is no longer in package.json"),
                (None, Some(_)) => return format!("{json_key}.{name} is not in the lockfile"),
                _ => {}
            }
        }
    }
    "dependencies differ".into()
}

/// npm may omit `resolved` from package-lock.json; the registry's URL scheme fills it in.
fn fill_missing_urls(tree: &mut Tree, registry: &Registry) {
    for node in tree.nodes.values_mut().filter(|n| n.kind == Kind::Package && n.meta.resolved.is_none()) {
        let base = node.meta.name.rsplit('/').next().unwrap_or(&node.meta.name).to_string();
        node.meta.resolved =
            Some(format!("{}{}/-/{base}-{}.tgz", registry.config.registry_for(&node.meta.name), node.meta.name, node.meta.version));
    }
}

/// Asks the registry again for these packages' metadata, even where the cache is fresh.
pub(crate) async fn refetch(registry: &Arc<Registry>, names: Vec<String>) -> Vec<(String, Result<Arc<Packument>>)> {
    let mut tasks = tokio::task::JoinSet::new();
    for name in names {
        let registry = registry.clone();
        tasks.spawn(async move {
            let result = registry.packument_checked(&name, true).await;
            (name, result)
        });
    }
    let mut out = Vec::new();
    while let Some(Ok(done)) = tasks.join_next().await {
        out.push(done);
    }
    out
}

/// Fetches metadata for the wanted (name, spec) pairs and, following the versions npm would pick,
/// everything they depend on, all in parallel. Picked tarballs start downloading right away.
async fn prefetch(
    registry: &Arc<Registry>,
    downloads: &mut Downloads,
    packuments: &mut HashMap<String, Arc<Packument>>,
    failed: &mut HashMap<String, Error>,
    wanted: Vec<(String, String)>,
    progress: &crate::progress::Progress,
) {
    let mut tasks: tokio::task::JoinSet<(String, Result<Arc<Packument>>)> = tokio::task::JoinSet::new();
    let mut waiting: HashMap<String, Vec<Spec>> = HashMap::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut queue: Vec<(String, String)> = wanted;
    let mut resolved_count = 0usize;
    loop {
        while let Some((edge_name, spec_text)) = queue.pop() {
            let (name, spec) = match Spec::parse(&spec_text) {
                Spec::Alias { name, spec } => (name, *spec),
                spec @ (Spec::Range(_) | Spec::Tag(_)) => (edge_name, spec),
                _ => continue,
            };
            if !seen.insert((name.clone(), format!("{spec:?}"))) || failed.contains_key(&name) {
                continue;
            }
            if let Some(packument) = packuments.get(&name) {
                if let Some(meta) = packument.pick(&spec) {
                    downloads.start(&meta);
                    queue.extend(dependencies_to_follow(&meta));
                }
                continue;
            }
            let first = !waiting.contains_key(&name);
            waiting.entry(name.clone()).or_default().push(spec);
            if first {
                let registry = registry.clone();
                tasks.spawn(async move {
                    let result = registry.packument(&name).await;
                    (name, result)
                });
            }
        }
        let Some(joined) = tasks.join_next().await else { break };
        let Ok((name, result)) = joined else { continue };
        let specs = waiting.remove(&name).unwrap_or_default();
        match result {
            Ok(packument) => {
                resolved_count += 1;
                progress.message(&format!("resolving: {resolved_count} packages"));
                for spec in specs {
                    if let Some(meta) = packument.pick(&spec) {
                        downloads.start(&meta);
                        queue.extend(dependencies_to_follow(&meta));
                    }
                }
                packuments.insert(name, packument);
            }
            Err(e) => {
                failed.insert(name, e);
            }
        }
    }
}

fn dependencies_to_follow(meta: &PackageMeta) -> Vec<(String, String)> {
    let peers = meta.peer_dependencies.iter().filter(|(n, _)| !meta.optional_peers.contains(*n));
    meta.dependencies
        .iter()
        .chain(meta.optional_dependencies.iter())
        .chain(peers)
        .filter(|(n, _)| !meta.bundled.contains(*n))
        .map(|(n, s)| (n.clone(), s.clone()))
        .collect()
}

/// Tarball downloads into the store, started as early as possible and awaited when needed.
struct Downloads {
    registry: Arc<Registry>,
    store: Arc<Store>,
    /// Whether to start downloads while still resolving (off when nothing may change).
    speculative: bool,
    tasks: HashMap<String, tokio::task::JoinHandle<Result<(PathBuf, String)>>>,
}

struct Fetched {
    /// Store folder of each package location.
    paths: HashMap<String, PathBuf>,
    /// Integrity computed for packages whose lockfile entry had none.
    computed_integrity: Vec<(String, String)>,
}

impl Downloads {
    fn new(registry: Arc<Registry>, store: Arc<Store>, speculative: bool) -> Downloads {
        Downloads { registry, store, speculative, tasks: HashMap::new() }
    }

    fn key(meta: &PackageMeta) -> String {
        meta.integrity.clone().unwrap_or_else(|| format!("url:{}", meta.resolved.as_deref().unwrap_or("")))
    }

    fn start(&mut self, meta: &PackageMeta) {
        if self.speculative && meta.platform_ok() {
            self.spawn(meta);
        }
    }

    fn spawn(&mut self, meta: &PackageMeta) {
        let key = Self::key(meta);
        if self.tasks.contains_key(&key) || meta.integrity.as_deref().is_some_and(|i| self.store.has(i)) {
            return;
        }
        let (registry, store) = (self.registry.clone(), self.store.clone());
        let (label, url, integrity) = (format!("{}@{}", meta.name, meta.version), meta.resolved.clone(), meta.integrity.clone());
        let name = meta.name.clone();
        self.tasks.insert(
            key,
            tokio::spawn(async move {
                let url = url.ok_or_else(|| Error::new(format!("{label}: the lockfile has no tarball URL")))?;
                let bytes = registry.tarball(&name, &url).await?;
                let task_label = label.clone();
                tokio::task::spawn_blocking(move || {
                    let integrity = integrity.unwrap_or_else(|| crate::integrity::sha512_sri(&bytes));
                    store.add_tarball(&task_label, &integrity, &bytes).map(|path| (path, integrity))
                })
                .await
                .map_err(|e| Error::new(format!("{label}: unpacking failed: {e}")))?
            }),
        );
    }

    /// Makes sure every package is in the store and returns their store folders.
    async fn finish(&mut self, nodes: &[&Node], progress: &crate::progress::Progress) -> Result<Fetched> {
        let mut fetched = Fetched { paths: HashMap::new(), computed_integrity: Vec::new() };
        let mut pending: Vec<(&Node, String)> = Vec::new();
        for node in nodes {
            match &node.meta.integrity {
                Some(i) if self.store.has(i) && !self.tasks.contains_key(i) => {
                    fetched.paths.insert(node.location.clone(), self.store.path_for(i));
                }
                _ => {
                    self.spawn(&node.meta);
                    pending.push((node, Self::key(&node.meta)));
                }
            }
        }
        progress.length(pending.len());
        let mut results: HashMap<String, std::result::Result<(PathBuf, String), Error>> = HashMap::new();
        let mut first_error = None;
        for (key, task) in self.tasks.drain() {
            let result = task.await.unwrap_or_else(|e| Err(Error::new(format!("download task failed: {e}"))));
            if pending.iter().any(|(_, k)| *k == key) {
                progress.tick();
                if let Err(e) = &result {
                    first_error.get_or_insert_with(|| e.clone());
                }
            }
            results.insert(key, result);
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        for (node, key) in pending {
            let (path, integrity) = results[&key].clone()?;
            if node.meta.integrity.is_none() {
                fetched.computed_integrity.push((node.location.clone(), integrity));
            }
            fetched.paths.insert(node.location.clone(), path);
        }
        Ok(fetched)
    }
}

/// Folders that get a node_modules of their own: the project root and the workspaces that need
/// nested packages.
fn install_roots(project: &Project, tree: &Tree) -> Vec<String> {
    let mut roots = vec![String::new()];
    for ws in &project.workspaces {
        let prefix = format!("{}/node_modules/", ws.location);
        if tree.nodes.keys().any(|k| k.starts_with(&prefix))
            || project.dir.join(&ws.location).join("node_modules").join(STATE_FILE).is_file()
        {
            roots.push(ws.location.clone());
        }
    }
    roots
}

fn install_root_of(location: &str) -> &str {
    match location.find("node_modules/") {
        Some(0) | None => "",
        Some(i) => &location[..i - 1],
    }
}

fn node_modules_dir(dir: &Path, root: &str) -> PathBuf {
    dir.join(root).join("node_modules")
}

fn staging_dir(dir: &Path, root: &str) -> PathBuf {
    dir.join(root).join(STAGING)
}

/// What was installed: the lockfile text plus the locations left out, so a change of either is
/// noticed. Kept in node_modules/.ferro-state.
fn state_text(lock_text: &str, skipped: &HashSet<String>) -> String {
    let mut skipped: Vec<&String> = skipped.iter().collect();
    skipped.sort();
    let mut out = lock_text.to_string();
    for s in skipped {
        out.push_str(&format!("skipped {s}\n"));
    }
    out
}

/// Installed package locations and versions described by a state file (skipped ones excluded).
fn state_packages(state: &str) -> BTreeMap<String, String> {
    let skipped: HashSet<&str> = state.lines().filter_map(|l| l.strip_prefix("skipped ")).collect();
    let Ok(locked) = lockfile::parse(state.lines().filter(|l| !l.starts_with("skipped ")).collect::<Vec<_>>().join("\n").as_str()) else {
        return BTreeMap::new();
    };
    locked
        .packages
        .into_iter()
        .filter(|(loc, _)| !skipped.contains(loc.as_str()))
        .map(|(loc, meta)| (loc, format!("{}@{}", meta.name, meta.version)))
        .collect()
}

fn read_states(dir: &Path, roots: &[String]) -> HashMap<String, Option<String>> {
    roots.iter().map(|r| (r.clone(), std::fs::read_to_string(node_modules_dir(dir, r).join(STATE_FILE)).ok())).collect()
}

/// Lays out every install root's new node_modules in its staging folder.
fn build_staging(
    dir: &Path,
    tree: &Tree,
    nodes: &[&Node],
    store_paths: &HashMap<String, PathBuf>,
    copies: &HashSet<String>,
    roots: &[String],
    state: &str,
) -> Result<()> {
    for root in roots {
        let staging = staging_dir(dir, root);
        if staging.symlink_metadata().is_ok() {
            std::fs::remove_dir_all(&staging).context(|| format!("cannot remove the leftover {}", staging.display()))?;
        }
        std::fs::create_dir_all(&staging).context(|| format!("cannot create {}", staging.display()))?;
    }
    let staged = |location: &str| -> PathBuf {
        let root = install_root_of(location);
        let rest = &location[if root.is_empty() { 0 } else { root.len() + 1 }..];
        staging_dir(dir, root).join(rest.strip_prefix("node_modules/").unwrap_or(rest))
    };
    // Link packages in parallel: the work is one system call per file.
    let linker = Linker::from_env();
    let jobs: Vec<(PathBuf, PathBuf, bool)> =
        nodes.iter().map(|n| (store_paths[&n.location].clone(), staged(&n.location), copies.contains(&n.location))).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(2, 8);
    let errors: std::sync::Mutex<Vec<Error>> = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((from, to, copy)) = jobs.get(i) else { break };
                if let Err(e) = linker.link_package(from, to, *copy) {
                    errors.lock().unwrap().push(e);
                }
            });
        }
    });
    if let Some(e) = errors.into_inner().unwrap().into_iter().next() {
        return Err(e);
    }
    // Workspace links.
    for node in tree.nodes.values().filter(|n| n.kind == Kind::Link) {
        let target = dir.join(node.link.as_deref().unwrap_or(""));
        let at = staged(&node.location);
        let final_parent = dir.join(&node.location).parent().unwrap().to_path_buf();
        let relative = relative_path(&final_parent, &target);
        if let Some(parent) = at.parent() {
            std::fs::create_dir_all(parent).context(|| format!("cannot create {}", parent.display()))?;
        }
        std::os::unix::fs::symlink(&relative, &at).context(|| format!("cannot link {}", at.display()))?;
    }
    link_bins(tree, nodes, &staged)?;
    for root in roots {
        let path = staging_dir(dir, root).join(STATE_FILE);
        std::fs::write(&path, state).context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// `.bin` folders: every node_modules gets links to the commands of the packages directly in it.
fn link_bins(tree: &Tree, nodes: &[&Node], staged: &dyn Fn(&str) -> PathBuf) -> Result<()> {
    let links = tree.nodes.values().filter(|n| n.kind == Kind::Link);
    let mut by_folder: BTreeMap<PathBuf, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for node in nodes.iter().copied().chain(links) {
        if node.meta.bin.is_empty() {
            continue;
        }
        let folder_name = folder_name(&node.location);
        let package_dir = staged(&node.location);
        let node_modules = package_dir.ancestors().nth(folder_name.matches('/').count() + 1).unwrap().to_path_buf();
        let bins = by_folder.entry(node_modules.join(".bin")).or_default();
        for (command, path) in &node.meta.bin {
            // The first package (by location) to claim a command keeps it.
            bins.entry(command.clone()).or_insert_with(|| Path::new("..").join(folder_name).join(path));
        }
    }
    for (bin_dir, commands) in by_folder {
        std::fs::create_dir_all(&bin_dir).context(|| format!("cannot create {}", bin_dir.display()))?;
        for (command, target) in commands {
            let at = bin_dir.join(&command);
            std::os::unix::fs::symlink(&target, &at).context(|| format!("cannot link {}", at.display()))?;
        }
    }
    Ok(())
}

fn relative_path(from_dir: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from_dir.components().collect();
    let to_c: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to_c[common..] {
        out.push(c);
    }
    out
}

/// Replaces each node_modules with its staging folder in one step (an atomic exchange where the
/// kernel has it), then deletes the old tree.
fn swap_in(dir: &Path, roots: &[String]) -> Result<()> {
    for root in roots {
        let staging = staging_dir(dir, root);
        let target = node_modules_dir(dir, root);
        if target.symlink_metadata().is_ok() {
            if exchange(&staging, &target).is_err() {
                let old = dir.join(root).join(".node_modules.old");
                let _ = std::fs::remove_dir_all(&old);
                std::fs::rename(&target, &old).context(|| format!("cannot move {} aside", target.display()))?;
                std::fs::rename(&staging, &target).context(|| format!("cannot move {} into place", staging.display()))?;
                let _ = std::fs::remove_dir_all(&old);
                continue;
            }
            // After the exchange the staging path holds the old tree.
            let _ = std::fs::remove_dir_all(&staging);
        } else {
            std::fs::rename(&staging, &target).context(|| format!("cannot move {} into place", staging.display()))?;
        }
    }
    Ok(())
}

fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    const RENAME_EXCHANGE: libc::c_uint = 2;
    let rc = unsafe { libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), RENAME_EXCHANGE) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(install_root_of("node_modules/a/node_modules/b"), "");
        assert_eq!(install_root_of("packages/x/node_modules/b"), "packages/x");
        assert_eq!(relative_path(Path::new("/p/node_modules/@s"), Path::new("/p/packages/a")), PathBuf::from("../../packages/a"));
        assert_eq!(format_duration(std::time::Duration::from_millis(1234)), "1.2s");
        assert_eq!(format_duration(std::time::Duration::from_millis(87)), "87ms");
    }
}
