//! The project being installed: its package.json, its workspaces, and editing package.json the way
//! npm does (keeping key order and indentation, sorting dependency sections).

use crate::error::{Context, Error, Result};
use crate::manifest::{parse_json_text, string_map, PackageMeta};
use crate::tree::{Kind, Node};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub struct Project {
    pub dir: PathBuf,
    pub manifest: Value,
    pub workspaces: Vec<Workspace>,
}

pub struct Workspace {
    /// Path relative to the project root, with `/` separators (also its tree location).
    pub location: String,
    pub manifest: Value,
}

impl Project {
    pub fn load(dir: &Path) -> Result<Project> {
        let path = dir.join("package.json");
        if !path.is_file() {
            return Err(Error::new(format!("no package.json in {} (run `ferro init` to create one)", dir.display())));
        }
        let manifest = read_manifest(&path)?;
        let mut workspaces = Vec::new();
        for location in expand_workspaces(dir, &manifest)? {
            let manifest = read_manifest(&dir.join(&location).join("package.json"))?;
            if manifest.get("name").and_then(Value::as_str).is_none() {
                return Err(Error::new(format!("{location}/package.json: a workspace package needs a \"name\"")));
            }
            workspaces.push(Workspace { location, manifest });
        }
        Ok(Project { dir: dir.to_path_buf(), manifest, workspaces })
    }

    pub fn name(&self) -> &str {
        self.manifest.get("name").and_then(Value::as_str).unwrap_or("")
    }

    /// Names listed in package.json `trustedDependencies`, whose install scripts may run.
    pub fn trusted(&self) -> Vec<String> {
        match self.manifest.get("trustedDependencies") {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => Vec::new(),
        }
    }
}

fn read_manifest(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).context(|| format!("cannot read {}", path.display()))?;
    let value = parse_json_text(path, &text)?;
    if !value.is_object() {
        return Err(Error::new(format!("{}:1:1: package.json must hold a JSON object", path.display())));
    }
    Ok(value)
}

/// A tree node for a root or workspace package.json.
pub fn node_for(location: &str, kind: Kind, manifest: &Value) -> Node {
    let mut meta = PackageMeta::from_json(manifest);
    // The root's own install scripts are not a dependency's.
    meta.has_install_script = false;
    meta.resolved = None;
    meta.integrity = None;
    let mut node = Node::new(location.to_string(), kind, meta);
    node.dev_dependencies = string_map(manifest.get("devDependencies"));
    node
}

/// Expands package.json `workspaces` (an array of globs, or `{ "packages": [...] }`) into the
/// folders that hold a package.json, sorted.
pub fn expand_workspaces(root: &Path, manifest: &Value) -> Result<Vec<String>> {
    let patterns: Vec<&str> = match manifest.get("workspaces") {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        Some(Value::Object(o)) => {
            o.get("packages").and_then(Value::as_array).map(|l| l.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let mut found = std::collections::BTreeSet::new();
    for pattern in patterns.iter().filter(|p| !p.starts_with('!')) {
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
        if segments.contains(&"..") {
            return Err(Error::new(format!("package.json: workspace pattern {pattern:?} leaves the project")));
        }
        glob(root, "", &segments, &mut found);
    }
    for negated in patterns.iter().filter_map(|p| p.strip_prefix('!')) {
        let segments: Vec<&str> = negated.trim_start_matches("./").split('/').filter(|s| !s.is_empty()).collect();
        let mut excluded = std::collections::BTreeSet::new();
        glob(root, "", &segments, &mut excluded);
        found.retain(|l| !excluded.contains(l));
    }
    Ok(found.into_iter().filter(|l| root.join(l).join("package.json").is_file()).collect())
}

fn glob(root: &Path, prefix: &str, segments: &[&str], out: &mut std::collections::BTreeSet<String>) {
    let Some((first, rest)) = segments.split_first() else {
        if !prefix.is_empty() {
            out.insert(prefix.to_string());
        }
        return;
    };
    let join = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
    if *first == "**" {
        glob(root, prefix, rest, out);
        for name in subdirectories(&root.join(prefix)) {
            glob(root, &join(&name), segments, out);
        }
    } else if first.contains('*') || first.contains('?') {
        for name in subdirectories(&root.join(prefix)) {
            if wildcard(first, &name) {
                glob(root, &join(&name), rest, out);
            }
        }
    } else if root.join(prefix).join(first).is_dir() {
        glob(root, &join(first), rest, out);
    }
}

fn subdirectories(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n != "node_modules" && !n.starts_with('.'))
        .collect()
}

/// `*` and `?` wildcards within one path segment.
fn wildcard(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|i| go(rest, &t[i..])),
            Some((b'?', rest)) => !t.is_empty() && go(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

/// Writes package.json back with the indentation and final newline it had.
pub fn save_manifest(path: &Path, original_text: &str, value: &Value) -> Result<()> {
    let indent = original_text
        .lines()
        .nth(1)
        .map(|l| l.chars().take_while(|c| c.is_whitespace()).collect::<String>())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "  ".to_string());
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut serializer).map_err(|e| Error::new(e.to_string()))?;
    let mut text = String::from_utf8(out).unwrap_or_default();
    if original_text.ends_with('\n') || original_text.is_empty() {
        text.push('\n');
    }
    std::fs::write(path, text).context(|| format!("cannot write {}", path.display()))
}

/// Sets `section[name] = spec` keeping the section sorted, as npm does when it saves.
pub fn set_dependency(manifest: &mut Value, section: &str, name: &str, spec: &str) {
    let object = manifest.as_object_mut().expect("package.json is an object");
    let entry = object.entry(section.to_string()).or_insert_with(|| Value::Object(Default::default()));
    if !entry.is_object() {
        *entry = Value::Object(Default::default());
    }
    let map = entry.as_object_mut().unwrap();
    map.insert(name.to_string(), Value::String(spec.to_string()));
    map.sort_keys();
}

/// Removes `name` from every dependency section; returns whether it was anywhere.
pub fn remove_dependency(manifest: &mut Value, name: &str) -> bool {
    let mut found = false;
    for section in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] {
        if let Some(map) = manifest.get_mut(section).and_then(Value::as_object_mut) {
            found |= map.shift_remove(name).is_some();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards() {
        assert!(wildcard("*", "abc"));
        assert!(wildcard("pkg-*", "pkg-a"));
        assert!(!wildcard("pkg-*", "lib-a"));
        assert!(wildcard("a?c", "abc"));
    }

    #[test]
    fn expands_workspace_globs() {
        let root = std::env::temp_dir().join(format!("ferro-pm-ws-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["packages/a", "packages/b", "packages/nopkg", "apps/web/deep", "packages/a/node_modules/x"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for dir in ["packages/a", "packages/b", "apps/web/deep", "packages/a/node_modules/x"] {
            std::fs::write(root.join(dir).join("package.json"), "{}").unwrap();
        }
        let found = expand_workspaces(&root, &json!({"workspaces": ["packages/*", "apps/**", "!packages/b"]})).unwrap();
        assert_eq!(found, ["apps/web/deep", "packages/a"]);
        let found = expand_workspaces(&root, &json!({"workspaces": {"packages": ["./packages/b"]}})).unwrap();
        assert_eq!(found, ["packages/b"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn edits_keep_order_and_sort_sections() {
        let mut doc: Value = serde_json::from_str(r#"{"name":"x","dependencies":{"b":"1"},"version":"1.0.0"}"#).unwrap();
        set_dependency(&mut doc, "dependencies", "a", "^2.0.0");
        set_dependency(&mut doc, "devDependencies", "c", "3");
        assert_eq!(doc.to_string(), r#"{"name":"x","dependencies":{"a":"^2.0.0","b":"1"},"version":"1.0.0","devDependencies":{"c":"3"}}"#);
        assert!(remove_dependency(&mut doc, "b"));
        assert!(!remove_dependency(&mut doc, "zzz"));
    }
}
