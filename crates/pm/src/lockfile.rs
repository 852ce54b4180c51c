//! `ferro.lock`, ferro's text lockfile, and reading npm's `package-lock.json` (v2/v3).
//!
//! ferro.lock lists every installed package by location, one block each, fields one per line and
//! everything sorted, so two installs of the same tree write the same bytes and a change shows as
//! a small diff. It also records the dependency specs of package.json it was made from, which is
//! how `--frozen-lockfile` notices that package.json changed.
//!
//! ```text
//! # ferro.lock: written by ferro install; do not edit by hand.
//! lockfile 1
//!
//! root
//!   dependencies express ^4.21.0
//!
//! package node_modules/express
//!   version 4.21.2
//!   resolved https://registry.npmjs.org/express/-/express-4.21.2.tgz
//!   integrity sha512-...
//!   dependency accepts ~1.3.8
//! ```

use crate::error::{Error, Result};
use crate::manifest::{string_map, PackageMeta};
use crate::tree::{folder_name, parent, Kind, Node, Tree};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

pub const FILE_NAME: &str = "ferro.lock";
const HEADER: &str = "# ferro.lock: written by ferro install; do not edit by hand.\nlockfile 1\n";

/// The dependency specs a root or workspace package.json declared, by section.
pub type DeclaredDeps = BTreeMap<&'static str, BTreeMap<String, String>>;

pub const SECTIONS: [(&str, &str); 4] = [
    ("dependencies", "dependencies"),
    ("dev-dependencies", "devDependencies"),
    ("optional-dependencies", "optionalDependencies"),
    ("peer-dependencies", "peerDependencies"),
];

/// The declared dependencies of a root or workspace node, keyed by lockfile section name.
pub fn declared(node: &Node) -> DeclaredDeps {
    let mut out = DeclaredDeps::new();
    for (section, map) in [
        ("dependencies", &node.meta.dependencies),
        ("dev-dependencies", &node.dev_dependencies),
        ("optional-dependencies", &node.meta.optional_dependencies),
        ("peer-dependencies", &node.meta.peer_dependencies),
    ] {
        if !map.is_empty() {
            out.insert(section, map.clone());
        }
    }
    out
}

/// What a lockfile holds: the packages by location, and the specs of each root/workspace
/// package.json (by location) at the time it was written.
#[derive(Default, Debug)]
pub struct Locked {
    pub packages: BTreeMap<String, PackageMeta>,
    pub links: BTreeMap<String, String>,
    pub declared: BTreeMap<String, DeclaredDeps>,
}

impl Locked {
    /// Adds the locked packages to a tree that already holds the root and workspaces.
    pub fn seed(&self, tree: &mut Tree) {
        for (location, meta) in &self.packages {
            tree.nodes.insert(location.clone(), Node::new(location.clone(), Kind::Package, meta.clone()));
        }
    }
}

pub fn write(tree: &Tree) -> String {
    let mut out = String::from(HEADER);
    for node in tree.nodes.values() {
        out.push('\n');
        match node.kind {
            Kind::Root => {
                out.push_str("root\n");
                write_declared(&mut out, node);
            }
            Kind::Workspace => {
                let _ = writeln!(out, "workspace {}", node.location);
                let _ = writeln!(out, "  name {}", node.meta.name);
                if !node.meta.version.is_empty() {
                    let _ = writeln!(out, "  version {}", node.meta.version);
                }
                write_declared(&mut out, node);
            }
            Kind::Link => {
                let _ = writeln!(out, "link {} {}", node.location, node.link.as_deref().unwrap_or(""));
            }
            Kind::Package => write_package(&mut out, node),
        }
    }
    out
}

fn write_declared(out: &mut String, node: &Node) {
    for (section, deps) in declared(node) {
        for (name, spec) in deps {
            let _ = writeln!(out, "  {section} {name} {spec}");
        }
    }
}

fn write_package(out: &mut String, node: &Node) {
    let m = &node.meta;
    let _ = writeln!(out, "package {}", node.location);
    if m.name != node.folder_name() {
        let _ = writeln!(out, "  name {}", m.name);
    }
    let _ = writeln!(out, "  version {}", m.version);
    if let Some(resolved) = &m.resolved {
        let _ = writeln!(out, "  resolved {resolved}");
    }
    if let Some(integrity) = &m.integrity {
        let _ = writeln!(out, "  integrity {integrity}");
    }
    for (key, map) in
        [("dependency", &m.dependencies), ("optional-dependency", &m.optional_dependencies), ("peer-dependency", &m.peer_dependencies)]
    {
        for (name, spec) in map {
            let _ = writeln!(out, "  {key} {name} {spec}");
        }
    }
    for name in &m.optional_peers {
        let _ = writeln!(out, "  optional-peer {name}");
    }
    for name in &m.bundled {
        let _ = writeln!(out, "  bundled {name}");
    }
    for (name, path) in &m.bin {
        let _ = writeln!(out, "  bin {name} {path}");
    }
    for (key, list) in [("os", &m.os), ("cpu", &m.cpu), ("libc", &m.libc)] {
        for value in list {
            let _ = writeln!(out, "  {key} {value}");
        }
    }
    let flags: Vec<&str> = [(node.dev, "dev"), (node.optional, "optional"), (m.has_install_script, "install-script")]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, f)| *f)
        .collect();
    if !flags.is_empty() {
        let _ = writeln!(out, "  flags {}", flags.join(" "));
    }
}

pub fn parse(text: &str) -> Result<Locked> {
    let mut locked = Locked::default();
    enum Section {
        None,
        Declared(String),
        Package(String, Box<PackageMeta>),
    }
    let mut section = Section::None;
    let finish = |section: Section, locked: &mut Locked| {
        if let Section::Package(location, mut meta) = section {
            if meta.name.is_empty() {
                meta.name = folder_name(&location).to_string();
            }
            locked.packages.insert(location, *meta);
        }
    };
    let mut saw_version = false;
    for (index, line) in text.lines().enumerate() {
        let bad = |what: &str| Error::new(format!("{FILE_NAME}:{}: {what}: {line:?}", index + 1));
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(field) = line.strip_prefix("  ") {
            let (key, rest) = field.split_once(' ').unwrap_or((field, ""));
            let two = || rest.split_once(' ').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or((rest.to_string(), String::new()));
            match &mut section {
                Section::Declared(location) => {
                    let Some(&(name, _)) = crate::lockfile::SECTIONS.iter().find(|(s, _)| *s == key) else {
                        if matches!(key, "name" | "version") {
                            continue;
                        }
                        return Err(bad("unknown field"));
                    };
                    let (dep, spec) = two();
                    locked.declared.entry(location.clone()).or_default().entry(name).or_default().insert(dep, spec);
                }
                Section::Package(_, meta) => match key {
                    "name" => meta.name = rest.to_string(),
                    "version" => meta.version = rest.to_string(),
                    "resolved" => meta.resolved = Some(rest.to_string()),
                    "integrity" => meta.integrity = Some(rest.to_string()),
                    "dependency" => {
                        let (n, s) = two();
                        meta.dependencies.insert(n, s);
                    }
                    "optional-dependency" => {
                        let (n, s) = two();
                        meta.optional_dependencies.insert(n, s);
                    }
                    "peer-dependency" => {
                        let (n, s) = two();
                        meta.peer_dependencies.insert(n, s);
                    }
                    "optional-peer" => {
                        meta.optional_peers.insert(rest.to_string());
                    }
                    "bundled" => {
                        meta.bundled.insert(rest.to_string());
                    }
                    "bin" => {
                        let (n, p) = two();
                        meta.bin.insert(n, p);
                    }
                    "os" => meta.os.push(rest.to_string()),
                    "cpu" => meta.cpu.push(rest.to_string()),
                    "libc" => meta.libc.push(rest.to_string()),
                    "flags" => meta.has_install_script = rest.split(' ').any(|f| f == "install-script"),
                    _ => return Err(bad("unknown field")),
                },
                Section::None => return Err(bad("field outside a section")),
            }
            continue;
        }
        finish(std::mem::replace(&mut section, Section::None), &mut locked);
        let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
        section = match kind {
            "lockfile" => {
                if rest != "1" {
                    return Err(bad("unsupported lockfile version (a newer ferro wrote it?)"));
                }
                saw_version = true;
                Section::None
            }
            "root" => Section::Declared(String::new()),
            "workspace" => Section::Declared(rest.to_string()),
            "package" => Section::Package(rest.to_string(), Box::default()),
            "link" => {
                let (location, target) = rest.split_once(' ').ok_or_else(|| bad("link needs a location and a target"))?;
                locked.links.insert(location.to_string(), target.to_string());
                Section::None
            }
            _ => return Err(bad("unknown section")),
        };
    }
    finish(section, &mut locked);
    if !saw_version {
        return Err(Error::new(format!("{FILE_NAME}: missing the `lockfile 1` line")));
    }
    Ok(locked)
}

/// Reads npm's package-lock.json (lockfileVersion 2 or 3, the `packages` section).
pub fn parse_package_lock(doc: &Value) -> Result<Locked> {
    let version = doc.get("lockfileVersion").and_then(Value::as_u64).unwrap_or(1);
    let Some(packages) = doc.get("packages").and_then(Value::as_object).filter(|_| version >= 2) else {
        return Err(Error::new("package-lock.json: lockfileVersion 1 is not supported (run npm install once with npm 7 or later)"));
    };
    let mut locked = Locked::default();
    let mut bundled_children: Vec<String> = Vec::new();
    for (location, entry) in packages {
        if location.is_empty() {
            locked.declared.insert(String::new(), declared_from_json(entry));
            continue;
        }
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            if let Some(target) = entry.get("resolved").and_then(Value::as_str) {
                locked.links.insert(location.clone(), target.to_string());
            }
            continue;
        }
        if !location.starts_with("node_modules/") && !location.contains("/node_modules/") {
            locked.declared.insert(location.clone(), declared_from_json(entry));
            continue; // a workspace folder: its package.json is read directly
        }
        if entry.get("inBundle").and_then(Value::as_bool) == Some(true) {
            bundled_children.push(location.clone());
            continue; // shipped inside its parent's tarball
        }
        let mut meta = PackageMeta::from_json(entry);
        if meta.name.is_empty() {
            meta.name = folder_name(location).to_string();
        }
        meta.resolved = entry.get("resolved").and_then(Value::as_str).map(str::to_string);
        meta.integrity = entry.get("integrity").and_then(Value::as_str).map(str::to_string);
        meta.bin = crate::manifest::bin_map(&meta.name, entry.get("bin"));
        locked.packages.insert(location.clone(), meta);
    }
    // Make the bundling parents skip those dependencies, whatever their own entry says.
    for child in bundled_children {
        let mut at = parent(&child).map(str::to_string);
        while let Some(loc) = at {
            if let Some(meta) = locked.packages.get_mut(&loc) {
                meta.bundled.insert(folder_name(&child).to_string());
                break;
            }
            at = parent(&loc).map(str::to_string);
        }
    }
    Ok(locked)
}

fn declared_from_json(entry: &Value) -> DeclaredDeps {
    let mut out = DeclaredDeps::new();
    for (section, key) in SECTIONS {
        let map = string_map(entry.get(key));
        if !map.is_empty() {
            out.insert(section, map);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample_tree() -> Tree {
        let mut tree = Tree::default();
        let mut root =
            Node::new(String::new(), Kind::Root, PackageMeta { name: "app".into(), version: "1.0.0".into(), ..Default::default() });
        root.meta.dependencies.insert("b".into(), ">= 1.0.0 < 2".into());
        root.dev_dependencies.insert("a".into(), "^1".into());
        tree.nodes.insert(String::new(), root);
        let mut a = PackageMeta::from_json(&json!({
            "name": "real-a", "version": "1.2.3", "bin": {"a": "cli.js"}, "os": ["linux"],
            "dependencies": {"b": "^1"}, "peerDependencies": {"p": "*"}, "peerDependenciesMeta": {"p": {"optional": true}},
            "scripts": {"install": "x"},
            "dist": {"tarball": "https://r/a.tgz", "integrity": "sha512-AAAA"}
        }));
        a.name = "real-a".into();
        let mut node = Node::new("node_modules/a".into(), Kind::Package, a);
        node.dev = true;
        tree.nodes.insert(node.location.clone(), node);
        let b = PackageMeta::from_json(
            &json!({"name": "b", "version": "1.0.0", "dist": {"tarball": "https://r/b.tgz", "integrity": "sha512-BBBB"}}),
        );
        tree.nodes.insert("node_modules/b".into(), Node::new("node_modules/b".into(), Kind::Package, b));
        tree
    }

    #[test]
    fn round_trips_and_is_stable() {
        let tree = sample_tree();
        let text = write(&tree);
        assert_eq!(
            text,
            "# ferro.lock: written by ferro install; do not edit by hand.\nlockfile 1\n\nroot\n  dependencies b >= 1.0.0 < 2\n  dev-dependencies a ^1\n\n\
package node_modules/a\n  name real-a\n  version 1.2.3\n  resolved https://r/a.tgz\n  integrity sha512-AAAA\n  dependency b ^1\n  peer-dependency p *\n  optional-peer p\n  bin a cli.js\n  os linux\n  flags dev install-script\n\n\
package node_modules/b\n  version 1.0.0\n  resolved https://r/b.tgz\n  integrity sha512-BBBB\n"
        );
        let locked = parse(&text).unwrap();
        assert_eq!(locked.packages["node_modules/a"], tree.nodes["node_modules/a"].meta);
        assert_eq!(locked.packages["node_modules/b"], tree.nodes["node_modules/b"].meta);
        assert_eq!(locked.declared[""]["dependencies"]["b"], ">= 1.0.0 < 2");
        let mut again = Tree::default();
        again.nodes.insert(String::new(), tree.nodes[""].clone());
        locked.seed(&mut again);
        again.nodes.get_mut("node_modules/a").unwrap().dev = true;
        assert_eq!(write(&again), text);
    }

    #[test]
    fn rejects_garbage_with_line_numbers() {
        assert_eq!(parse("lockfile 1\nwhat\n").unwrap_err().to_string(), "ferro.lock:2: unknown section: \"what\"");
        assert!(parse("root\n").is_err());
        assert!(parse("lockfile 2\n").is_err());
    }

    #[test]
    fn reads_package_lock_v3() {
        let doc = json!({
            "lockfileVersion": 3,
            "packages": {
                "": {"name": "app", "dependencies": {"a": "^1"}, "workspaces": ["pkgs/*"]},
                "node_modules/a": {"version": "1.0.0", "resolved": "https://r/a.tgz", "integrity": "sha512-A", "dependencies": {"c": "^1"}, "bin": {"a": "bin/a"}},
                "node_modules/a/node_modules/c": {"version": "1.0.0", "inBundle": true},
                "node_modules/w": {"resolved": "pkgs/w", "link": true},
                "pkgs/w": {"name": "w", "version": "0.0.1"}
            }
        });
        let locked = parse_package_lock(&doc).unwrap();
        assert_eq!(locked.packages.len(), 1);
        let a = &locked.packages["node_modules/a"];
        assert_eq!((a.name.as_str(), a.version.as_str(), a.integrity.as_deref()), ("a", "1.0.0", Some("sha512-A")));
        assert!(a.bundled.contains("c"));
        assert_eq!(locked.links["node_modules/w"], "pkgs/w");
        assert!(parse_package_lock(&json!({"lockfileVersion": 1, "dependencies": {}})).is_err());
    }
}
