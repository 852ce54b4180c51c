//! Dependency specifiers as written in package.json or on the command line (a subset of npm's
//! package-arg grammar): registry ranges, dist-tags, `npm:` aliases, workspace references, and the
//! git / URL / path forms that ferro recognises only to reject clearly.

use crate::semver::{Range, Version};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    /// A semver range (an exact version is a range too).
    Range(String),
    /// A dist-tag such as `latest` or `next`.
    Tag(String),
    /// `npm:real-name@spec`: install `real-name` under another folder name.
    Alias { name: String, spec: Box<Spec> },
    /// `workspace:*`, `workspace:^1.0.0`: a package of this workspace.
    Workspace(String),
    /// Forms ferro does not install yet (git, tarball URLs, local paths), with the reason.
    Unsupported(&'static str),
}

impl Spec {
    pub fn parse(text: &str) -> Spec {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("npm:") {
            let (name, spec) = split_name_spec(rest);
            return Spec::Alias { name: name.to_string(), spec: Box::new(Spec::parse(spec.unwrap_or("*"))) };
        }
        if let Some(rest) = text.strip_prefix("workspace:") {
            return Spec::Workspace(rest.to_string());
        }
        if is_git(text) {
            return Spec::Unsupported("git dependencies are not supported yet");
        }
        if text.starts_with("http://") || text.starts_with("https://") {
            return Spec::Unsupported("tarball URL dependencies are not supported yet");
        }
        if text.starts_with("file:")
            || text.starts_with("link:")
            || text.starts_with("./")
            || text.starts_with("../")
            || text.starts_with('/')
            || text.starts_with("~/")
            || text.ends_with(".tgz")
            || text.ends_with(".tar.gz")
        {
            return Spec::Unsupported("local path dependencies are not supported yet");
        }
        if Range::parse(text).is_some() {
            return Spec::Range(text.to_string());
        }
        if is_valid_tag(text) {
            return Spec::Tag(text.to_string());
        }
        Spec::Unsupported("this dependency specifier is not a valid semver range or dist-tag")
    }

    /// Whether an installed package `name@version` fulfils this spec without asking the registry.
    /// A dist-tag is taken as fulfilled by whatever is installed, so lockfiles stay network-free.
    pub fn accepts(&self, name: &str, version: &str, expected_name: &str) -> bool {
        match self {
            Spec::Alias { name: real, spec } => name == real && spec.accepts(name, version, real),
            _ if name != expected_name => false,
            Spec::Range(r) => match (Range::parse(r), Version::parse(version)) {
                (Some(r), Some(v)) => r.satisfies(&v),
                _ => false,
            },
            Spec::Tag(_) => true,
            Spec::Workspace(r) => {
                matches!(r.as_str(), "*" | "^" | "~" | "")
                    || match (Range::parse(r), Version::parse(version)) {
                        (Some(r), Some(v)) => r.satisfies(&v),
                        _ => false,
                    }
            }
            Spec::Unsupported(_) => false,
        }
    }
}

fn is_git(text: &str) -> bool {
    const PREFIXES: &[&str] = &["git+", "git://", "git@", "github:", "gitlab:", "bitbucket:", "gist:"];
    if PREFIXES.iter().any(|p| text.starts_with(p)) {
        return true;
    }
    // GitHub shorthand "user/repo" or "user/repo#ref".
    let head = text.split('#').next().unwrap_or("");
    let mut parts = head.split('/');
    matches!((parts.next(), parts.next(), parts.next()), (Some(u), Some(r), None)
        if !u.is_empty() && !r.is_empty() && !u.starts_with('@') && !u.contains(' ') && !u.contains(':'))
}

fn is_valid_tag(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Splits `name@spec` / `@scope/name@spec` (as typed on a command line) into its parts.
pub fn split_name_spec(text: &str) -> (&str, Option<&str>) {
    let search_from = if text.starts_with('@') { 1 } else { 0 };
    match text[search_from..].find('@') {
        Some(i) => (&text[..search_from + i], Some(&text[search_from + i + 1..])),
        None => (text, None),
    }
}

/// npm's rules for a package name, enough to reject typos and paths before asking the registry.
pub fn valid_package_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 214 || name.starts_with('.') || name.starts_with('_') {
        return false;
    }
    let body = match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, pkg)) if !scope.is_empty() && !pkg.is_empty() && !pkg.contains('/') => {
                return [scope, pkg].iter().all(|p| p.bytes().all(name_byte));
            }
            _ => return false,
        },
        None => name,
    };
    !body.contains('/') && body.bytes().all(name_byte)
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_' | b'~') || b.is_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_specs() {
        assert_eq!(Spec::parse("^1.2.3"), Spec::Range("^1.2.3".into()));
        assert_eq!(Spec::parse(""), Spec::Range("".into()));
        assert_eq!(Spec::parse("latest"), Spec::Tag("latest".into()));
        assert_eq!(Spec::parse("next"), Spec::Tag("next".into()));
        assert_eq!(Spec::parse("npm:@scope/real@^2"), Spec::Alias { name: "@scope/real".into(), spec: Box::new(Spec::Range("^2".into())) });
        assert_eq!(Spec::parse("npm:real"), Spec::Alias { name: "real".into(), spec: Box::new(Spec::Range("*".into())) });
        assert_eq!(Spec::parse("workspace:*"), Spec::Workspace("*".into()));
        for unsupported in ["git+https://github.com/a/b.git", "github:a/b", "a/b#main", "https://example.com/x.tgz", "file:../x", "./local"]
        {
            assert!(matches!(Spec::parse(unsupported), Spec::Unsupported(_)), "{unsupported}");
        }
    }

    #[test]
    fn accepts_installed_versions() {
        assert!(Spec::parse("^1.0.0").accepts("a", "1.4.0", "a"));
        assert!(!Spec::parse("^1.0.0").accepts("a", "2.0.0", "a"));
        assert!(Spec::parse("latest").accepts("a", "9.9.9", "a"));
        assert!(Spec::parse("npm:b@^2").accepts("b", "2.1.0", "a"));
        assert!(!Spec::parse("npm:b@^2").accepts("a", "2.1.0", "a"));
        assert!(!Spec::parse("^1").accepts("b", "1.0.0", "a"));
    }

    #[test]
    fn splits_command_line_names() {
        assert_eq!(split_name_spec("lodash"), ("lodash", None));
        assert_eq!(split_name_spec("lodash@^4"), ("lodash", Some("^4")));
        assert_eq!(split_name_spec("@types/node@20"), ("@types/node", Some("20")));
        assert_eq!(split_name_spec("@types/node"), ("@types/node", None));
        assert!(valid_package_name("@types/node"));
        assert!(valid_package_name("lodash.merge"));
        assert!(!valid_package_name("../evil"));
        assert!(!valid_package_name("@scope"));
        assert!(!valid_package_name("a b"));
    }
}
