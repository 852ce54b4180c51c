//! Registry configuration from `.npmrc` files and `npm_config_*` environment variables: the
//! default registry, per-scope registries and per-registry credentials.

use std::collections::HashMap;
use std::path::Path;

pub const DEFAULT_REGISTRY: &str = "https://registry.npmjs.org/";

#[derive(Clone, Debug)]
pub struct Config {
    /// Always ends with `/`.
    pub registry: String,
    scoped: HashMap<String, String>,
    /// A PEM file of extra certificate authorities (`cafile=`).
    pub cafile: Option<String>,
    /// Keys like `//registry.example.com/:_authToken`, with their values.
    credentials: HashMap<String, String>,
}

impl Config {
    /// Loads `~/.npmrc` (or `$NPM_CONFIG_USERCONFIG`), then `<project>/.npmrc`, then the
    /// environment, later sources overriding earlier ones, as npm does.
    pub fn load(project: &Path) -> Config {
        let mut values: HashMap<String, String> = HashMap::new();
        let user = env_config("userconfig")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".npmrc")));
        for file in user.into_iter().chain([project.join(".npmrc")]) {
            if let Ok(text) = std::fs::read_to_string(&file) {
                parse_ini(&text, &mut values);
            }
        }
        for key in ["registry", "cafile"] {
            if let Some(value) = env_config(key) {
                values.insert(key.into(), value);
            }
        }
        Config::from_values(values)
    }

    pub fn from_values(values: HashMap<String, String>) -> Config {
        let mut config = Config { registry: DEFAULT_REGISTRY.into(), scoped: HashMap::new(), cafile: None, credentials: HashMap::new() };
        for (key, value) in values {
            if key == "registry" {
                config.registry = with_slash(&value);
            } else if key == "cafile" {
                config.cafile = Some(value);
            } else if let Some(scope) = key.strip_suffix(":registry").filter(|s| s.starts_with('@')) {
                config.scoped.insert(scope.to_string(), with_slash(&value));
            } else if key.starts_with("//") {
                config.credentials.insert(key, value);
            }
        }
        config
    }

    /// The registry a package is fetched from.
    pub fn registry_for(&self, package: &str) -> &str {
        package.split_once('/').filter(|_| package.starts_with('@')).and_then(|(scope, _)| self.scoped.get(scope)).unwrap_or(&self.registry)
    }

    /// The `Authorization` header value for a URL, from the most specific matching credential.
    pub fn authorization(&self, url: &str) -> Option<String> {
        let without_scheme = url.split_once("://").map(|(_, rest)| rest)?;
        let mut best: Option<(usize, String)> = None;
        for (key, value) in &self.credentials {
            let Some((prefix, field)) = key.rsplit_once(':') else { continue };
            let prefix = prefix.trim_start_matches("//");
            if !without_scheme.starts_with(prefix) || best.as_ref().is_some_and(|(len, _)| *len > prefix.len()) {
                continue;
            }
            let header = match field {
                "_authToken" => format!("Bearer {value}"),
                "_auth" => format!("Basic {value}"),
                _ => continue,
            };
            best = Some((prefix.len(), header));
        }
        best.map(|(_, h)| h)
    }
}

fn env_config(key: &str) -> Option<String> {
    std::env::var(format!("npm_config_{key}"))
        .or_else(|_| std::env::var(format!("NPM_CONFIG_{}", key.to_uppercase())))
        .ok()
        .filter(|v| !v.is_empty())
}

fn with_slash(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Parses npm's ini dialect: `key = value` lines, `#`/`;` comments, quoted values, `${ENV}`.
pub fn parse_ini(text: &str, into: &mut HashMap<String, String>) {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') || line.starts_with('[') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let mut value = value.trim();
        if value.len() >= 2 && ((value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\''))) {
            value = &value[1..value.len() - 1];
        }
        into.insert(expand_env(key.trim()), expand_env(value));
    }
}

fn expand_env(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        let name = &rest[start + 2..start + end];
        out.push_str(&std::env::var(name).unwrap_or_default());
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_registries_and_tokens() {
        let mut values = HashMap::new();
        parse_ini(
            "# comment\nregistry = https://r.example.com/npm\n@acme:registry=https://acme.example.com/\n//acme.example.com/:_authToken=\"s3cret\"\n; other\n",
            &mut values,
        );
        let config = Config::from_values(values);
        assert_eq!(config.registry, "https://r.example.com/npm/");
        assert_eq!(config.registry_for("lodash"), "https://r.example.com/npm/");
        assert_eq!(config.registry_for("@acme/widget"), "https://acme.example.com/");
        assert_eq!(config.authorization("https://acme.example.com/@acme%2fwidget").as_deref(), Some("Bearer s3cret"));
        assert_eq!(config.authorization("https://r.example.com/npm/lodash"), None);
    }
}
