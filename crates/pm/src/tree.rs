//! The node_modules tree and npm's hoisting placement.
//!
//! Nodes are keyed by location (`node_modules/a/node_modules/b`; `""` is the project root and
//! workspace folders like `packages/x` are nodes too). A dependency named N resolves from a node
//! by looking in `<loc>/node_modules/N`, then in each ancestor's, like Node's module resolution.
//!
//! Building the ideal tree works like npm's: nodes are visited shallowest first; each dependency
//! edge that does not resolve to an acceptable version gets the version npm would pick, placed as
//! high as possible (walking from the dependent towards the root and stopping at the first
//! conflicting level), so shared versions are deduplicated and conflicting ones nest.

use crate::manifest::{PackageMeta, Packument};
use crate::spec::Spec;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Root,
    /// A workspace package's own folder (its location is its path relative to the root).
    Workspace,
    /// A registry package unpacked under node_modules.
    Package,
    /// A symlink under node_modules to a workspace folder.
    Link,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub location: String,
    pub kind: Kind,
    pub meta: PackageMeta,
    /// Only the root and workspaces have their devDependencies installed.
    pub dev_dependencies: BTreeMap<String, String>,
    /// For links: the location of the workspace folder.
    pub link: Option<String>,
    pub dev: bool,
    pub optional: bool,
}

impl Node {
    pub fn new(location: String, kind: Kind, meta: PackageMeta) -> Node {
        Node { location, kind, meta, dev_dependencies: BTreeMap::new(), link: None, dev: false, optional: false }
    }

    /// The folder name this node is installed under (an alias's name, not the real package name).
    pub fn folder_name(&self) -> &str {
        folder_name(&self.location)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    Prod,
    Optional,
    Peer,
    PeerOptional,
    Dev,
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub name: String,
    pub spec: String,
    pub kind: EdgeKind,
}

/// The dependency edges of a node, by name; later kinds in npm's precedence override earlier ones.
pub fn edges(node: &Node) -> Vec<Edge> {
    let mut map: BTreeMap<&str, (&str, EdgeKind)> = BTreeMap::new();
    if node.kind == Kind::Link {
        return Vec::new();
    }
    let top = matches!(node.kind, Kind::Root | Kind::Workspace);
    for (name, spec) in &node.meta.peer_dependencies {
        let kind = if node.meta.optional_peers.contains(name) { EdgeKind::PeerOptional } else { EdgeKind::Peer };
        map.insert(name, (spec, kind));
    }
    if top {
        for (name, spec) in &node.dev_dependencies {
            map.insert(name, (spec, EdgeKind::Dev));
        }
    }
    for (name, spec) in &node.meta.dependencies {
        map.insert(name, (spec, EdgeKind::Prod));
    }
    for (name, spec) in &node.meta.optional_dependencies {
        map.insert(name, (spec, EdgeKind::Optional));
    }
    map.into_iter()
        .filter(|(name, _)| !node.meta.bundled.contains(*name))
        .map(|(name, (spec, kind))| Edge { name: name.to_string(), spec: spec.to_string(), kind })
        .collect()
}

pub fn folder_name(location: &str) -> &str {
    match location.rfind("node_modules/") {
        Some(i) => &location[i + "node_modules/".len()..],
        None => location.rsplit('/').next().unwrap_or(location),
    }
}

/// The location whose node_modules a node's own lookups continue in after its own.
pub fn parent(location: &str) -> Option<&str> {
    if location.is_empty() {
        return None;
    }
    Some(location.rfind("/node_modules/").map_or("", |i| &location[..i]))
}

pub fn child_location(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        format!("node_modules/{name}")
    } else {
        format!("{parent}/node_modules/{name}")
    }
}

fn depth(location: &str) -> usize {
    let nested = location.matches("node_modules/").count();
    nested + usize::from(!location.is_empty() && !location.starts_with("node_modules/"))
}

/// Whether `location` is inside the subtree that resolves through `ancestor`.
fn within(location: &str, ancestor: &str) -> bool {
    ancestor.is_empty() || location == ancestor || location.starts_with(&format!("{ancestor}/"))
}

#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub nodes: BTreeMap<String, Node>,
}

/// What building the ideal tree produced besides the tree.
#[derive(Default, Debug)]
pub struct BuildReport {
    /// Dependencies (name, spec as written) whose metadata is needed to complete the tree.
    pub missing: BTreeSet<(String, String)>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Whether any node was added or replaced (a `--frozen-lockfile` install must not need that).
    pub changed: bool,
    /// Packages for which no version matched a wanted spec.
    pub no_match: BTreeSet<String>,
}

impl Tree {
    pub fn root(&self) -> &Node {
        &self.nodes[""]
    }

    /// Where a lookup of `name` from `from` lands.
    pub fn resolve(&self, from: &str, name: &str) -> Option<&Node> {
        let mut at = Some(from);
        while let Some(loc) = at {
            if let Some(node) = self.nodes.get(&child_location(loc, name)) {
                return Some(node);
            }
            at = parent(loc);
        }
        None
    }

    /// The location a node's lookups for this edge start from: peers resolve beside the dependent.
    fn edge_start<'a>(&self, node: &'a Node, edge: &Edge) -> &'a str {
        match (edge.kind, node.kind) {
            (EdgeKind::Peer | EdgeKind::PeerOptional, Kind::Package) => parent(&node.location).unwrap_or(""),
            (EdgeKind::Peer | EdgeKind::PeerOptional, Kind::Workspace) => "",
            _ => &node.location,
        }
    }

    fn edge_target(&self, node: &Node, edge: &Edge) -> Option<&Node> {
        self.resolve(self.edge_start(node, edge), &edge.name)
    }

    fn accepts(spec: &str, edge_name: &str, target: &PackageMeta) -> bool {
        Spec::parse(spec).accepts(&target.name, &target.version, edge_name)
    }

    fn edge_ok(&self, node: &Node, edge: &Edge) -> bool {
        match self.edge_target(node, edge) {
            Some(target) => Self::accepts(&edge.spec, &edge.name, &target.meta),
            None => edge.kind == EdgeKind::PeerOptional,
        }
    }

    /// Locations of nodes with an edge that currently resolves to `location`.
    fn dependents_of(&self, location: &str) -> Vec<(String, Edge)> {
        let name = folder_name(location);
        let mut out = Vec::new();
        for node in self.nodes.values() {
            for edge in edges(node) {
                if edge.name == name && self.edge_target(node, &edge).map(|t| t.location.as_str()) == Some(location) {
                    out.push((node.location.clone(), edge));
                }
            }
        }
        out
    }

    /// Whether putting `meta` at `<target>/node_modules/<name>` would break a dependent below
    /// `target` that currently resolves `name` to an acceptable version higher up.
    fn would_shadow(&self, target: &str, name: &str, meta: &PackageMeta) -> bool {
        for node in self.nodes.values().filter(|n| within(&n.location, target)) {
            for edge in edges(node).into_iter().filter(|e| e.name == name) {
                let start = self.edge_start(node, &edge);
                if !within(start, target) {
                    continue;
                }
                if let Some(current) = self.resolve(start, name) {
                    let above = !within(parent(&current.location).unwrap_or(""), target);
                    if above && Self::accepts(&edge.spec, name, &current.meta) && !Self::accepts(&edge.spec, name, meta) {
                        return true;
                    }
                }
            }
        }
        false
    }

    fn remove_subtree(&mut self, location: &str) -> Vec<String> {
        let prefix = format!("{location}/");
        let doomed: Vec<String> = self.nodes.keys().filter(|k| k.as_str() == location || k.starts_with(&prefix)).cloned().collect();
        for loc in &doomed {
            self.nodes.remove(loc);
        }
        doomed
    }

    /// Places `meta` for an edge named `name` whose lookup starts at `start`. Returns the new
    /// node's location, or `None` when an existing node already serves.
    /// `own_level` says the dependent itself looks in `start` first, so whatever is there must give way.
    fn place(&mut self, start: &str, name: &str, meta: PackageMeta, own_level: bool, requeue: &mut Vec<String>) -> Option<String> {
        let mut target: Option<String> = None;
        let mut replace = false;
        let mut candidate = start.to_string();
        loop {
            let child = child_location(&candidate, name);
            if let Some(existing) = self.nodes.get(&child) {
                if existing.meta.name == meta.name && existing.meta.version == meta.version && existing.kind == Kind::Package {
                    return None;
                }
                let everyone_accepts =
                    existing.kind == Kind::Package && self.dependents_of(&child).iter().all(|(_, e)| Self::accepts(&e.spec, name, &meta));
                if (own_level && candidate == start) || everyone_accepts {
                    target = Some(candidate.clone());
                    replace = true;
                }
                break;
            }
            if self.would_shadow(&candidate, name, &meta) {
                break;
            }
            target = Some(candidate.clone());
            match parent(&candidate) {
                Some(p) => candidate = p.to_string(),
                None => break,
            }
        }
        let target = target?;
        let location = child_location(&target, name);
        if replace {
            // Whoever used the old node or its nested packages must be looked at again.
            let dependents: Vec<String> = self.dependents_of(&location).into_iter().map(|(l, _)| l).collect();
            let removed = self.remove_subtree(&location);
            requeue.extend(dependents.into_iter().filter(|l| !removed.contains(l)));
        }
        self.nodes.insert(location.clone(), Node::new(location.clone(), Kind::Package, meta));
        Some(location)
    }

    /// Fixes every dependency edge that does not resolve to an acceptable version, using the
    /// packuments at hand; names whose metadata is missing are reported for fetching.
    pub fn build(&mut self, packuments: &HashMap<String, Arc<Packument>>, failed: &HashMap<String, crate::error::Error>) -> BuildReport {
        let mut report = BuildReport::default();
        let mut queue: BTreeSet<(usize, String)> =
            self.nodes.values().filter(|n| n.kind != Kind::Link).map(|n| (depth(&n.location), n.location.clone())).collect();
        let mut visits = 0usize;
        while let Some((_, location)) = queue.pop_first() {
            visits += 1;
            if visits > 200_000 {
                report.errors.push("dependency resolution does not settle (too many conflicting versions)".into());
                break;
            }
            let Some(node) = self.nodes.get(&location) else { continue };
            let node = node.clone();
            for edge in edges(&node) {
                if self.edge_ok(&node, &edge) {
                    continue;
                }
                let optional = matches!(edge.kind, EdgeKind::Optional | EdgeKind::PeerOptional) || node.optional;
                if edge.kind == EdgeKind::PeerOptional {
                    // Present but unacceptable: npm warns and leaves it.
                    report.warnings.push(format!("{} wants {}@{} as an optional peer", describe(&node), edge.name, edge.spec));
                    continue;
                }
                let spec = Spec::parse(&edge.spec);
                let real_name = match &spec {
                    Spec::Alias { name, .. } => name.clone(),
                    Spec::Unsupported(reason) => {
                        let message = format!("{}: {}@{}: {reason}", describe(&node), edge.name, edge.spec);
                        if optional {
                            report.warnings.push(message)
                        } else {
                            report.errors.push(message)
                        }
                        continue;
                    }
                    Spec::Workspace(_) => {
                        report.errors.push(format!(
                            "{}: {}@{}: no workspace package named {}",
                            describe(&node),
                            edge.name,
                            edge.spec,
                            edge.name
                        ));
                        continue;
                    }
                    _ => edge.name.clone(),
                };
                let Some(packument) = packuments.get(&real_name) else {
                    match failed.get(&real_name) {
                        Some(e) if optional => report.warnings.push(format!("optional dependency {}: {e}", edge.name)),
                        Some(e) => report.errors.push(e.to_string()),
                        None => {
                            report.missing.insert((edge.name.clone(), edge.spec.clone()));
                        }
                    }
                    continue;
                };
                let Some(meta) = packument.pick(&spec) else {
                    report.no_match.insert(real_name.clone());
                    let message = format!(
                        "No matching version found for {real_name}@{}",
                        edge.spec.trim_start_matches("npm:").trim_start_matches(&format!("{real_name}@"))
                    );
                    if optional {
                        report.warnings.push(message)
                    } else {
                        report.errors.push(message)
                    }
                    continue;
                };
                let start = self.edge_start(&node, &edge).to_string();
                let own_level = start == node.location;
                let mut requeue = Vec::new();
                match self.place(&start, &edge.name, meta, own_level, &mut requeue) {
                    Some(placed) => {
                        report.changed = true;
                        queue.insert((depth(&placed), placed));
                    }
                    None if self.edge_ok(&node, &edge) => {}
                    None => {
                        report.warnings.push(format!("conflicting peer dependency: {} wants {}@{}", describe(&node), edge.name, edge.spec))
                    }
                }
                for loc in requeue {
                    queue.insert((depth(&loc), loc));
                }
            }
        }
        if report.missing.is_empty() {
            if self.prune() {
                report.changed = true;
            }
            self.mark_flags();
        }
        report
    }

    /// Nodes reachable from the root and the workspaces, following edges of the given kinds.
    fn reachable(&self, follow: impl Fn(&Node, EdgeKind) -> bool) -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: VecDeque<&Node> = self.nodes.values().filter(|n| matches!(n.kind, Kind::Root | Kind::Workspace)).collect();
        for n in &queue {
            seen.insert(n.location.clone());
        }
        while let Some(node) = queue.pop_front() {
            for edge in edges(node) {
                if !follow(node, edge.kind) {
                    continue;
                }
                if let Some(target) = self.edge_target(node, &edge) {
                    let target = match &target.link {
                        Some(ws) => self.nodes.get(ws).unwrap_or(target),
                        None => target,
                    };
                    if seen.insert(target.location.clone()) {
                        queue.push_back(target);
                    }
                }
            }
        }
        seen
    }

    /// Drops nodes nothing depends on any more. Returns whether anything was removed.
    pub fn prune(&mut self) -> bool {
        let mut keep = self.reachable(|_, _| true);
        // A link is kept along with its workspace.
        for node in self.nodes.values() {
            if node.kind == Kind::Link {
                keep.insert(node.location.clone());
            }
        }
        let before = self.nodes.len();
        self.nodes.retain(|loc, _| keep.contains(loc));
        before != self.nodes.len()
    }

    /// Marks packages needed only for development (`dev`) or only through optional edges (`optional`).
    pub fn mark_flags(&mut self) {
        let prod = self.reachable(|node, kind| !(kind == EdgeKind::Dev && matches!(node.kind, Kind::Root | Kind::Workspace)));
        let required = self.reachable(|_, kind| !matches!(kind, EdgeKind::Optional | EdgeKind::PeerOptional));
        for node in self.nodes.values_mut() {
            if node.kind == Kind::Package {
                node.dev = !prod.contains(&node.location);
                node.optional = !required.contains(&node.location);
            }
        }
    }

    /// Package nodes (not the root, workspaces or links).
    pub fn packages(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values().filter(|n| n.kind == Kind::Package)
    }
}

fn describe(node: &Node) -> String {
    match node.kind {
        Kind::Root => "package.json".to_string(),
        _ => format!("{}@{}", node.meta.name, node.meta.version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A registry in memory: name -> versions -> dependencies.
    fn registry(packages: &[(&str, &[(&str, serde_json::Value)])]) -> HashMap<String, Arc<Packument>> {
        packages
            .iter()
            .map(|(name, versions)| {
                let mut vs = serde_json::Map::new();
                let mut latest = String::new();
                for (v, extra) in versions.iter() {
                    let mut doc = json!({"name": name, "version": v, "dist": {"tarball": format!("https://r/{name}-{v}.tgz"), "integrity": "sha512-x"}});
                    if let serde_json::Value::Object(fields) = extra {
                        for (k, val) in fields {
                            doc[k] = val.clone();
                        }
                    }
                    vs.insert(v.to_string(), doc);
                    latest = v.to_string();
                }
                let doc = json!({"name": name, "dist-tags": {"latest": latest}, "versions": vs});
                (name.to_string(), Arc::new(Packument::parse(name, doc.to_string().as_bytes()).unwrap()))
            })
            .collect()
    }

    fn root(deps: serde_json::Value) -> Tree {
        let mut meta = PackageMeta::from_json(&json!({"name": "root", "version": "1.0.0"}));
        meta.dependencies = crate::manifest::string_map(Some(&deps));
        let mut tree = Tree::default();
        tree.nodes.insert(String::new(), Node::new(String::new(), Kind::Root, meta));
        tree
    }

    fn layout(tree: &Tree) -> Vec<String> {
        tree.packages().map(|n| format!("{} {}", n.location, n.meta.version)).collect()
    }

    #[test]
    fn hoists_shared_and_nests_conflicts() {
        let reg = registry(&[
            ("a", &[("1.0.0", json!({"dependencies": {"c": "^1.0.0"}}))]),
            ("b", &[("1.0.0", json!({"dependencies": {"c": "^2.0.0", "d": "*"}}))]),
            ("c", &[("1.0.0", json!({})), ("1.5.0", json!({})), ("2.0.0", json!({}))]),
            ("d", &[("1.0.0", json!({"dependencies": {"c": "^1.2.0"}}))]),
        ]);
        let mut tree = root(json!({"a": "^1", "b": "^1"}));
        let report = tree.build(&reg, &HashMap::new());
        assert!(report.errors.is_empty() && report.missing.is_empty(), "{report:?}");
        assert_eq!(
            layout(&tree),
            [
                "node_modules/a 1.0.0",
                "node_modules/b 1.0.0",
                "node_modules/b/node_modules/c 2.0.0",
                "node_modules/c 1.5.0",
                "node_modules/d 1.0.0",
            ]
        );
    }

    #[test]
    fn reports_missing_metadata_then_completes() {
        let reg = registry(&[("a", &[("1.0.0", json!({"dependencies": {"b": "1"}}))])]);
        let mut tree = root(json!({"a": "1"}));
        let report = tree.build(&reg, &HashMap::new());
        assert_eq!(report.missing.iter().collect::<Vec<_>>(), [&("b".to_string(), "1".to_string())]);
    }

    #[test]
    fn aliases_peers_and_flags() {
        let reg = registry(&[
            ("react", &[("18.0.0", json!({})), ("19.0.0", json!({}))]),
            (
                "react-dom",
                &[(
                    "19.0.0",
                    json!({"peerDependencies": {"react": "^19.0.0", "scheduler-x": "*"}, "peerDependenciesMeta": {"scheduler-x": {"optional": true}}}),
                )],
            ),
            ("tool", &[("1.0.0", json!({"optionalDependencies": {"native": "1"}}))]),
            ("native", &[("1.0.0", json!({}))]),
        ]);
        let mut tree = root(json!({"react-dom": "^19", "old-react": "npm:react@^18", "tool": "1"}));
        tree.nodes.get_mut("").unwrap().dev_dependencies.insert("tool".into(), "1".into());
        tree.nodes.get_mut("").unwrap().meta.dependencies.remove("tool");
        let report = tree.build(&reg, &HashMap::new());
        assert!(report.errors.is_empty(), "{report:?}");
        assert_eq!(
            layout(&tree),
            [
                "node_modules/native 1.0.0",
                "node_modules/old-react 18.0.0",
                "node_modules/react 19.0.0",
                "node_modules/react-dom 19.0.0",
                "node_modules/tool 1.0.0"
            ]
        );
        assert_eq!(tree.nodes["node_modules/old-react"].meta.name, "react");
        assert!(tree.nodes["node_modules/tool"].dev);
        assert!(tree.nodes["node_modules/native"].dev && tree.nodes["node_modules/native"].optional);
        assert!(!tree.nodes["node_modules/react"].dev);
    }

    #[test]
    fn keeps_valid_locked_nodes_and_replaces_changed_root_deps() {
        let reg =
            registry(&[("a", &[("1.0.0", json!({})), ("2.0.0", json!({}))]), ("b", &[("1.0.0", json!({"dependencies": {"a": "^1"}}))])]);
        let mut tree = root(json!({"a": "^1", "b": "1"}));
        tree.build(&reg, &HashMap::new());
        assert_eq!(layout(&tree), ["node_modules/a 1.0.0", "node_modules/b 1.0.0"]);
        // package.json now wants a@2: root's copy is replaced and b gets its own a@1.
        tree.nodes.get_mut("").unwrap().meta.dependencies.insert("a".into(), "^2".into());
        let report = tree.build(&reg, &HashMap::new());
        assert!(report.changed);
        assert_eq!(layout(&tree), ["node_modules/a 2.0.0", "node_modules/b 1.0.0", "node_modules/b/node_modules/a 1.0.0"]);
        // Dropping b prunes its subtree.
        tree.nodes.get_mut("").unwrap().meta.dependencies.remove("b");
        tree.build(&reg, &HashMap::new());
        assert_eq!(layout(&tree), ["node_modules/a 2.0.0"]);
        let report = tree.build(&reg, &HashMap::new());
        assert!(!report.changed, "a settled tree needs nothing");
    }

    #[test]
    fn errors_name_the_problem() {
        let reg = registry(&[("a", &[("1.0.0", json!({}))])]);
        let mut tree = root(json!({"a": "^5", "g": "github:x/y"}));
        let report = tree.build(&reg, &HashMap::new());
        assert_eq!(
            report.errors,
            ["No matching version found for a@^5", "package.json: g@github:x/y: git dependencies are not supported yet"]
        );
    }

    #[test]
    fn locations() {
        assert_eq!(parent("node_modules/a"), Some(""));
        assert_eq!(parent("node_modules/a/node_modules/@s/b"), Some("node_modules/a"));
        assert_eq!(parent("packages/x"), Some(""));
        assert_eq!(parent("packages/x/node_modules/y"), Some("packages/x"));
        assert_eq!(folder_name("node_modules/a/node_modules/@s/b"), "@s/b");
        assert_eq!(depth("packages/x/node_modules/y"), 2);
        assert_eq!(depth("node_modules/a/node_modules/b"), 2);
    }
}
