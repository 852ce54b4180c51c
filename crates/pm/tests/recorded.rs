//! Resolution on recorded registry metadata (tests/fixtures, made by record.py): ferro must lay out
//! node_modules exactly as npm did for the same package.json, and its lockfile must be stable.

use pm::manifest::Packument;
use pm::tree::{Kind, Node, Tree};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Resolves the root package of `<set>-package-lock.json` with `<set>-packuments.json` and
/// returns the tree with npm's lock entries.
fn resolve(set: &str) -> (Tree, serde_json::Map<String, Value>) {
    let lock = fixture(&format!("{set}-package-lock.json"));
    let packuments: HashMap<String, Arc<Packument>> = fixture(&format!("{set}-packuments.json"))
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, doc)| (name.clone(), Arc::new(Packument::parse(name, doc.to_string().as_bytes()).unwrap())))
        .collect();
    let packages = lock["packages"].as_object().unwrap().clone();
    let mut tree = Tree::default();
    tree.nodes.insert(String::new(), pm::project::node_for("", Kind::Root, &packages[""]));
    let report = tree.build(&packuments, &HashMap::new());
    assert!(report.errors.is_empty() && report.missing.is_empty(), "{report:?}");
    (tree, packages)
}

fn compare_with_npm(set: &str) {
    let (tree, npm) = resolve(set);
    let ours: BTreeMap<String, String> =
        tree.packages().map(|n: &Node| (n.location.clone(), format!("{}@{}", n.meta.name, n.meta.version))).collect();
    let theirs: BTreeMap<String, String> = npm
        .iter()
        .filter(|(loc, _)| !loc.is_empty())
        .map(|(loc, e)| {
            let name = e.get("name").and_then(Value::as_str).unwrap_or_else(|| pm::tree::folder_name(loc));
            (loc.clone(), format!("{name}@{}", e["version"].as_str().unwrap()))
        })
        .collect();
    assert_eq!(ours, theirs);
    for node in tree.packages() {
        let entry = &npm[&node.location];
        let flag = |k: &str| entry.get(k).and_then(Value::as_bool).unwrap_or(false);
        if !flag("devOptional") {
            assert_eq!(node.dev, flag("dev"), "dev flag of {}", node.location);
            assert_eq!(node.optional, flag("optional"), "optional flag of {}", node.location);
        }
        assert_eq!(node.meta.integrity.as_deref(), entry.get("integrity").and_then(Value::as_str), "integrity of {}", node.location);
    }
}

#[test]
fn bench_set_matches_npm_layout() {
    // express@4, typescript, react, react-dom, lodash, chalk@5, ws: one nested package (send's ms)
    // and typescript's per-platform optional packages.
    compare_with_npm("bench");
}

#[test]
fn conflicting_ranges_match_npm_layout() {
    // glob@10 next to rimraf@3's glob@7, aliases (string-width-cjs), dev and optional roots.
    compare_with_npm("conflicts");
}

#[test]
fn lockfile_is_deterministic_and_round_trips() {
    let (tree, _) = resolve("conflicts");
    let text = pm::lockfile::write(&tree);
    let (again, _) = resolve("conflicts");
    assert_eq!(pm::lockfile::write(&again), text);
    // Reading it back gives the same tree, which needs no further resolution.
    let locked = pm::lockfile::parse(&text).unwrap();
    let mut reread = Tree::default();
    reread.nodes.insert(String::new(), tree.root().clone());
    locked.seed(&mut reread);
    let report = reread.build(&HashMap::new(), &HashMap::new());
    assert!(report.missing.is_empty() && !report.changed, "{report:?}");
    assert_eq!(pm::lockfile::write(&reread), text);
    // Sorted by location.
    let locations: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("package ")).collect();
    let mut sorted = locations.clone();
    sorted.sort();
    assert_eq!(locations, sorted);
}

#[test]
fn package_lock_is_read_as_npm_wrote_it() {
    let lock = fixture("conflicts-package-lock.json");
    let locked = pm::lockfile::parse_package_lock(&lock).unwrap();
    let mut tree = Tree::default();
    tree.nodes.insert(String::new(), pm::project::node_for("", Kind::Root, &lock["packages"][""]));
    locked.seed(&mut tree);
    let report = tree.build(&HashMap::new(), &HashMap::new());
    assert!(report.missing.is_empty() && report.errors.is_empty() && !report.changed, "{report:?}");
    assert_eq!(tree.packages().count(), lock["packages"].as_object().unwrap().len() - 1);
}
