//! Package metadata: package.json files, registry packuments, npm's version picking rules, and the
//! platform (`os`/`cpu`/`libc`) filter.

use crate::error::{Error, Result};
use crate::semver::{Range, Version};
use crate::spec::Spec;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The Node.js version ferro stands for when a package's `engines.node` is weighed.
pub const NODE_VERSION: &str = "24.19.0";

/// What the installer needs to know about one package version; also what the lockfile records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageMeta {
    pub name: String,
    pub version: String,
    /// The tarball URL.
    pub resolved: Option<String>,
    /// Subresource-integrity string (`sha512-...`, or `sha1-...` for very old packages).
    pub integrity: Option<String>,
    pub dependencies: BTreeMap<String, String>,
    pub optional_dependencies: BTreeMap<String, String>,
    pub peer_dependencies: BTreeMap<String, String>,
    /// Peer dependencies marked optional in `peerDependenciesMeta`: never installed for the peer edge alone.
    pub optional_peers: BTreeSet<String>,
    /// Dependencies shipped inside the tarball (`bundleDependencies`): never fetched separately.
    pub bundled: BTreeSet<String>,
    pub bin: BTreeMap<String, String>,
    pub os: Vec<String>,
    pub cpu: Vec<String>,
    pub libc: Vec<String>,
    pub has_install_script: bool,
}

impl PackageMeta {
    /// Reads the fields ferro uses from a registry version document or a package.json.
    pub fn from_json(doc: &Value) -> PackageMeta {
        let name = doc.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let dist = doc.get("dist");
        let mut integrity = dist.and_then(|d| d.get("integrity")).and_then(Value::as_str).map(str::to_string);
        if integrity.is_none() {
            // Old packages only carry a hex sha1: express it as an SRI string.
            if let Some(hex) = dist.and_then(|d| d.get("shasum")).and_then(Value::as_str) {
                integrity = crate::integrity::sha1_hex_to_sri(hex);
            }
        }
        let scripts = doc.get("scripts");
        let has_install_script = doc.get("hasInstallScript").and_then(Value::as_bool).unwrap_or(false)
            || ["preinstall", "install", "postinstall"].iter().any(|s| scripts.and_then(|m| m.get(*s)).is_some());
        let optional_peers = doc
            .get("peerDependenciesMeta")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter(|(_, v)| v.get("optional").and_then(Value::as_bool) == Some(true)).map(|(k, _)| k.clone()).collect())
            .unwrap_or_default();
        let bundled = doc
            .get("bundleDependencies")
            .or_else(|| doc.get("bundledDependencies"))
            .map(|b| match b {
                Value::Array(list) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                Value::Bool(true) => string_map(doc.get("dependencies")).into_keys().collect(),
                _ => BTreeSet::new(),
            })
            .unwrap_or_default();
        PackageMeta {
            version: doc.get("version").and_then(Value::as_str).unwrap_or_default().to_string(),
            resolved: dist.and_then(|d| d.get("tarball")).and_then(Value::as_str).map(str::to_string),
            integrity,
            dependencies: string_map(doc.get("dependencies")),
            optional_dependencies: string_map(doc.get("optionalDependencies")),
            peer_dependencies: string_map(doc.get("peerDependencies")),
            optional_peers,
            bundled,
            bin: bin_map(&name, doc.get("bin")),
            os: string_list(doc.get("os")),
            cpu: string_list(doc.get("cpu")),
            libc: string_list(doc.get("libc")),
            has_install_script,
            name,
        }
    }

    /// Whether this package can be installed on the running machine.
    pub fn platform_ok(&self) -> bool {
        let p = Platform::current();
        list_allows(&self.os, p.os) && list_allows(&self.cpu, p.cpu) && (p.libc.is_none() || list_allows(&self.libc, p.libc.unwrap()))
    }
}

/// A `{name: string}` object, ignoring entries that are not strings (some old packages have junk).
pub fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect())
        .unwrap_or_default()
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `bin` as a map from command name to a path inside the package (a plain string names the
/// command after the package, without its scope). Names that would escape `.bin` are dropped.
pub fn bin_map(package_name: &str, v: Option<&Value>) -> BTreeMap<String, String> {
    let entries: Vec<(String, String)> = match v {
        Some(Value::String(path)) => vec![(package_name.rsplit('/').next().unwrap_or(package_name).to_string(), path.clone())],
        Some(Value::Object(m)) => m.iter().filter_map(|(k, v)| v.as_str().map(|p| (k.clone(), p.to_string()))).collect(),
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter_map(|(name, path)| {
            let name = name.rsplit('/').next().unwrap_or(&name).to_string();
            let path = path.trim_start_matches("./").to_string();
            let safe = !name.is_empty() && name != "." && name != ".." && !path.split('/').any(|c| c == "..") && !path.is_empty();
            safe.then_some((name, path))
        })
        .collect()
}

fn list_allows(list: &[String], current: &str) -> bool {
    if list.is_empty() {
        return true;
    }
    if list.iter().any(|e| e.strip_prefix('!') == Some(current)) {
        return false;
    }
    let positives: Vec<&String> = list.iter().filter(|e| !e.starts_with('!')).collect();
    positives.is_empty() || positives.iter().any(|e| e.as_str() == current || e.as_str() == "any")
}

pub struct Platform {
    pub os: &'static str,
    pub cpu: &'static str,
    pub libc: Option<&'static str>,
}

impl Platform {
    pub fn current() -> Platform {
        let os = match std::env::consts::OS {
            "macos" => "darwin",
            "windows" => "win32",
            other => other,
        };
        let cpu = match std::env::consts::ARCH {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            "x86" => "ia32",
            "powerpc64" => "ppc64",
            other => other,
        };
        let libc = (os == "linux").then_some(if cfg!(target_env = "musl") { "musl" } else { "glibc" });
        Platform { os, cpu, libc }
    }
}

/// A registry package document: dist-tags and every version, each kept unparsed until picked.
pub struct Packument {
    pub name: String,
    pub dist_tags: BTreeMap<String, String>,
    /// Parsed versions, highest first, with their raw documents.
    versions: Vec<(Version, Box<RawValue>)>,
}

#[derive(Deserialize)]
struct RawPackument {
    #[serde(default)]
    name: String,
    #[serde(rename = "dist-tags", default)]
    dist_tags: BTreeMap<String, String>,
    #[serde(default)]
    versions: BTreeMap<String, Box<RawValue>>,
}

impl Packument {
    pub fn parse(name: &str, body: &[u8]) -> Result<Packument> {
        let raw: RawPackument =
            serde_json::from_slice(body).map_err(|e| Error::new(format!("invalid registry metadata for {name}: {e}")))?;
        let mut versions: Vec<(Version, Box<RawValue>)> =
            raw.versions.into_iter().filter_map(|(k, v)| Version::parse(&k).map(|ver| (ver, v))).collect();
        versions.sort_by(|a, b| b.0.cmp(&a.0));
        Ok(Packument { name: if raw.name.is_empty() { name.to_string() } else { raw.name }, dist_tags: raw.dist_tags, versions })
    }

    pub fn versions(&self) -> impl Iterator<Item = &Version> {
        self.versions.iter().map(|(v, _)| v)
    }

    fn document(&self, version: &Version) -> Option<Value> {
        let (_, raw) = self.versions.iter().find(|(v, _)| v == version)?;
        serde_json::from_str(raw.get()).ok()
    }

    pub fn manifest(&self, version: &Version) -> Option<PackageMeta> {
        self.document(version).map(|doc| {
            let mut meta = PackageMeta::from_json(&doc);
            meta.name = self.name.clone();
            meta
        })
    }

    /// Picks the version npm would for `spec` (a range or dist-tag), following npm's preferences:
    /// the `latest` tag when it fits, then versions that are neither deprecated nor meant for
    /// another Node.js, then the highest.
    pub fn pick(&self, spec: &Spec) -> Option<PackageMeta> {
        let range_text = match spec {
            Spec::Tag(tag) => {
                let version = Version::parse(self.dist_tags.get(tag)?)?;
                return self.manifest(&version);
            }
            Spec::Range(r) => r.as_str(),
            Spec::Alias { spec, .. } => return self.pick(spec),
            _ => return None,
        };
        let range = Range::parse(range_text)?;
        let node = Version::parse(NODE_VERSION).unwrap();
        let engine_ok = |doc: &Value| match doc.pointer("/engines/node").and_then(Value::as_str) {
            Some(r) => Range::parse(r).map(|r| r.satisfies(&node)).unwrap_or(true),
            None => true,
        };
        let deprecated =
            |doc: &Value| doc.get("deprecated").map(|d| !matches!(d, Value::Null | Value::Bool(false)) && d != "").unwrap_or(false);
        if let Some(latest) = self.dist_tags.get("latest").and_then(|v| Version::parse(v)) {
            if range.satisfies(&latest) {
                if let Some(doc) = self.document(&latest) {
                    if engine_ok(&doc) && !deprecated(&doc) {
                        return self.manifest(&latest);
                    }
                }
            }
        }
        let mut best: Option<((bool, bool, bool), &Version)> = None;
        for (version, raw) in &self.versions {
            if !range.satisfies(version) {
                continue;
            }
            let doc: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
            let (engine, fresh) = (engine_ok(&doc), !deprecated(&doc));
            let score = (engine && fresh, engine, fresh);
            // Versions are visited highest first, so only a strictly better score replaces.
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, version));
                if score == (true, true, true) {
                    break;
                }
            }
        }
        best.and_then(|(_, v)| self.manifest(v))
    }
}

/// Reads a JSON file, reporting syntax errors as `file:line:column: message`.
pub fn read_json_file(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
    parse_json_text(path, &text)
}

pub fn parse_json_text(path: &Path, text: &str) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Error::new(format!("{}:{}:{}: invalid JSON: {message}", path.display(), e.line(), e.column()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn packument(doc: Value) -> Packument {
        Packument::parse("demo", doc.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn picks_latest_when_it_fits_else_highest() {
        let p = packument(json!({
            "name": "demo",
            "dist-tags": {"latest": "1.2.0", "next": "2.0.0-beta.1"},
            "versions": {
                "1.0.0": {"name": "demo", "version": "1.0.0"},
                "1.2.0": {"name": "demo", "version": "1.2.0"},
                "1.3.0": {"name": "demo", "version": "1.3.0"},
                "2.0.0-beta.1": {"name": "demo", "version": "2.0.0-beta.1"}
            }
        }));
        let pick = |s: &str| p.pick(&Spec::parse(s)).map(|m| m.version);
        assert_eq!(pick("^1.0.0").as_deref(), Some("1.2.0"), "latest wins when it satisfies");
        assert_eq!(pick("^1.2.1").as_deref(), Some("1.3.0"));
        assert_eq!(pick("*").as_deref(), Some("1.2.0"));
        assert_eq!(pick("next").as_deref(), Some("2.0.0-beta.1"));
        assert_eq!(pick(">=2.0.0-beta").as_deref(), Some("2.0.0-beta.1"));
        assert_eq!(pick("^3"), None);
        assert_eq!(pick("nosuchtag"), None);
    }

    #[test]
    fn avoids_deprecated_and_wrong_engine_versions() {
        let p = packument(json!({
            "dist-tags": {"latest": "1.0.0"},
            "versions": {
                "1.0.0": {"version": "1.0.0"},
                "2.0.0": {"version": "2.0.0"},
                "2.1.0": {"version": "2.1.0", "deprecated": "broken"},
                "2.2.0": {"version": "2.2.0", "engines": {"node": ">=99"}}
            }
        }));
        assert_eq!(p.pick(&Spec::parse("^2")).unwrap().version, "2.0.0");
        assert_eq!(p.pick(&Spec::parse("2.1.0")).unwrap().version, "2.1.0", "deprecated is still picked when it is the only match");
    }

    #[test]
    fn reads_bins_and_flags() {
        let meta = PackageMeta::from_json(&json!({
            "name": "@scope/tool", "version": "1.0.0", "bin": "./cli.js",
            "scripts": {"postinstall": "node build.js"},
            "peerDependencies": {"react": "^18"}, "peerDependenciesMeta": {"react": {"optional": true}},
            "dependencies": {"a": "^1", "weird": 5},
            "dist": {"shasum": "0d7505a6eafe2b0e712d232b42279f53bc289bbc", "tarball": "https://r/x.tgz"}
        }));
        assert_eq!(meta.bin.get("tool").map(String::as_str), Some("cli.js"));
        assert!(meta.has_install_script);
        assert!(meta.optional_peers.contains("react"));
        assert_eq!(meta.dependencies.len(), 1);
        assert_eq!(meta.integrity.as_deref(), Some("sha1-DXUFpur+Kw5xLSMrQiefU7wom7w="));
        let evil = bin_map("x", Some(&json!({"../../etc": "a.js", "ok": "../outside.js", "fine": "./bin/f.js"})));
        assert_eq!(evil.len(), 2);
        assert_eq!(evil.get("etc").map(String::as_str), Some("a.js"));
    }

    #[test]
    fn platform_lists() {
        assert!(list_allows(&[], "linux"));
        assert!(list_allows(&["linux".into(), "darwin".into()], "linux"));
        assert!(!list_allows(&["darwin".into()], "linux"));
        assert!(!list_allows(&["!linux".into()], "linux"));
        assert!(list_allows(&["!win32".into()], "linux"));
    }

    #[test]
    fn json_errors_carry_position() {
        let err = parse_json_text(Path::new("package.json"), "{\n  \"name\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(err.to_string(), "package.json:3:3: invalid JSON: key must be a string");
    }
}
