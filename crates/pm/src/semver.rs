//! npm's semver grammar: versions, ranges (`^ ~ x * || -`, comparators) and prerelease rules.
//!
//! Versions are parsed loosely (a leading `v` or `=` and surrounding spaces are accepted), as npm
//! does when it reads registry metadata. A range matches a prerelease version only when one of the
//! comparators of the same `||` alternative names a prerelease of the same major.minor.patch.

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Identifier {
    Numeric(u64),
    Text(String),
}

impl Ord for Identifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Identifier::Numeric(a), Identifier::Numeric(b)) => a.cmp(b),
            (Identifier::Numeric(_), Identifier::Text(_)) => Ordering::Less,
            (Identifier::Text(_), Identifier::Numeric(_)) => Ordering::Greater,
            (Identifier::Text(a), Identifier::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Identifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<Identifier>,
}

impl Version {
    pub fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version { major, minor, patch, pre: Vec::new() }
    }

    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix('=').unwrap_or(text).trim_start();
        let text = text.strip_prefix('v').or_else(|| text.strip_prefix('V')).unwrap_or(text);
        let text = text.split('+').next()?; // build metadata never matters for ordering
        let (core, pre) = match text.find('-') {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let mut parts = core.split('.');
        let major = number(parts.next()?)?;
        let minor = number(parts.next()?)?;
        let patch = number(parts.next()?)?;
        if parts.next().is_some() {
            return None;
        }
        let pre = match pre {
            Some(p) => parse_prerelease(p)?,
            None => Vec::new(),
        };
        Some(Version { major, minor, patch, pre })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    fn same_core(&self, other: &Version) -> bool {
        self.major == other.major && self.minor == other.minor && self.patch == other.patch
    }
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_prerelease(text: &str) -> Option<Vec<Identifier>> {
    text.split('.')
        .map(|id| {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                None
            } else if id.bytes().all(|b| b.is_ascii_digit()) {
                id.parse().ok().map(Identifier::Numeric)
            } else {
                Some(Identifier::Text(id.to_string()))
            }
        })
        .collect()
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch)).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, id) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            match id {
                Identifier::Numeric(n) => write!(f, "{n}")?,
                Identifier::Text(t) => f.write_str(t)?,
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Comparator {
    op: Op,
    version: Version,
}

impl Comparator {
    fn matches(&self, v: &Version) -> bool {
        let ord = v.cmp(&self.version);
        match self.op {
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
            Op::Eq => ord == Ordering::Equal,
        }
    }
}

/// A parsed range: alternatives separated by `||`, each a set of comparators that must all hold.
/// An empty alternative matches every release; `None` in `sets` stands for "matches nothing".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    sets: Vec<Vec<Comparator>>,
}

/// A partial version as written in a range: missing or wildcard parts are `None`.
#[derive(Clone, Debug)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Vec<Identifier>,
}

fn parse_partial(text: &str) -> Option<Partial> {
    let text = text.strip_prefix('v').or_else(|| text.strip_prefix('V')).unwrap_or(text);
    let text = text.split('+').next()?;
    if text.is_empty() {
        return None;
    }
    let (core, pre) = match text.find('-') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = core.split('.');
    let mut field = |required: bool| -> Option<Option<u64>> {
        match parts.next() {
            None if required => None,
            None => Some(None),
            Some("x" | "X" | "*") => Some(None),
            Some(s) => number(s).map(Some),
        }
    };
    let major = field(true)?;
    let minor = field(false)?;
    let patch = field(false)?;
    if parts.next().is_some() {
        return None;
    }
    let pre = match pre {
        Some(p) => parse_prerelease(p)?,
        None => Vec::new(),
    };
    // "1.x.3" and similar are wildcards from the first missing part on.
    let (minor, patch) = if major.is_none() || minor.is_none() { (None, None) } else { (minor, patch) };
    Some(Partial { major, minor, patch, pre })
}

fn cmp(op: Op, major: u64, minor: u64, patch: u64, pre: Vec<Identifier>) -> Comparator {
    Comparator { op, version: Version { major, minor, patch, pre } }
}

/// The `-0` lower bound npm uses for exclusive upper limits (`<2.0.0-0`), so prereleases of the
/// next version are excluded too.
fn zero_pre() -> Vec<Identifier> {
    vec![Identifier::Numeric(0)]
}

impl Range {
    pub fn parse(text: &str) -> Option<Range> {
        let mut sets = Vec::new();
        for alternative in text.split("||") {
            sets.push(parse_alternative(alternative.trim())?);
        }
        Some(Range { sets })
    }

    pub fn any() -> Range {
        Range { sets: vec![Vec::new()] }
    }

    pub fn satisfies(&self, v: &Version) -> bool {
        self.sets.iter().any(|set| {
            if !set.iter().all(|c| c.matches(v)) {
                return false;
            }
            if !v.is_prerelease() {
                return true;
            }
            set.iter().any(|c| c.version.is_prerelease() && c.version.same_core(v))
        })
    }

    /// Whether every version `inner` accepts, this range accepts too (npm's `semver.subset`,
    /// for ranges whose alternatives are intervals: an alternative of `inner` must lie inside
    /// one alternative of this range).
    pub fn contains(&self, inner: &Range) -> bool {
        inner.sets.iter().all(|set| {
            let (low, high) = interval(set);
            self.sets.iter().any(|outer| {
                let (outer_low, outer_high) = interval(outer);
                let low_inside = match (&outer_low, &low) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some((o, o_incl)), Some((i, i_incl))) => o < i || (o == i && (*o_incl || !*i_incl)),
                };
                let high_inside = match (&outer_high, &high) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some((o, o_incl)), Some((i, i_incl))) => i < o || (i == o && (*o_incl || !*i_incl)),
                };
                low_inside && high_inside
            })
        })
    }

    /// The highest version among `versions` that the range accepts.
    pub fn max_satisfying<'a>(&self, versions: impl IntoIterator<Item = &'a Version>) -> Option<&'a Version> {
        versions.into_iter().filter(|v| self.satisfies(v)).max()
    }
}

/// The bounds an alternative's comparators set: the highest lower bound and the lowest
/// upper bound, each with whether it is included; `None` where it is unbounded.
type Bound = Option<(Version, bool)>;

fn interval(set: &[Comparator]) -> (Bound, Bound) {
    let (mut low, mut high): (Bound, Bound) = (None, None);
    for c in set {
        let v = &c.version;
        if matches!(c.op, Op::Gt | Op::Ge | Op::Eq) {
            let inclusive = c.op != Op::Gt;
            if low.as_ref().is_none_or(|(l, l_incl)| v > l || (v == l && !inclusive && *l_incl)) {
                low = Some((v.clone(), inclusive));
            }
        }
        if matches!(c.op, Op::Lt | Op::Le | Op::Eq) {
            let inclusive = c.op != Op::Lt;
            if high.as_ref().is_none_or(|(h, h_incl)| v < h || (v == h && !inclusive && *h_incl)) {
                high = Some((v.clone(), inclusive));
            }
        }
    }
    (low, high)
}

/// Splits "  >= 1.2.3   <2" into comparator tokens, gluing operators to the version after them.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending_op = String::new();
    for word in text.split_whitespace() {
        if word.chars().all(|c| matches!(c, '<' | '>' | '=' | '~' | '^')) {
            pending_op.push_str(word);
            continue;
        }
        out.push(format!("{pending_op}{word}"));
        pending_op.clear();
    }
    if !pending_op.is_empty() {
        out.push(pending_op);
    }
    out
}

fn parse_alternative(text: &str) -> Option<Vec<Comparator>> {
    let words = tokens(text);
    // Hyphen range: "A - B".
    if let Some(dash) = words.iter().position(|w| w == "-") {
        if words.len() != 3 || dash != 1 {
            return None;
        }
        let from = parse_partial(&words[0])?;
        let to = parse_partial(&words[2])?;
        let mut set = Vec::new();
        if let Some(major) = from.major {
            set.push(cmp(Op::Ge, major, from.minor.unwrap_or(0), from.patch.unwrap_or(0), from.pre));
        }
        match (to.major, to.minor, to.patch) {
            (None, _, _) => {}
            (Some(ma), None, _) => set.push(cmp(Op::Lt, ma + 1, 0, 0, zero_pre())),
            (Some(ma), Some(mi), None) => set.push(cmp(Op::Lt, ma, mi + 1, 0, zero_pre())),
            (Some(ma), Some(mi), Some(pa)) => set.push(cmp(Op::Le, ma, mi, pa, to.pre)),
        }
        return Some(set);
    }
    let mut set = Vec::new();
    for word in &words {
        set.extend(parse_simple(word)?);
    }
    Some(set)
}

/// One comparator token (`^1.2`, `>=1.2.3`, `1.x`, `~1`) desugared into primitive comparators.
/// An impossible comparator (`<0.0.0-0`) stands for "matches nothing".
fn parse_simple(word: &str) -> Option<Vec<Comparator>> {
    let op_len = word.find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | '^')).unwrap_or(word.len());
    let (op, rest) = word.split_at(op_len);
    let p = parse_partial(rest)?;
    let nothing = || vec![cmp(Op::Lt, 0, 0, 0, zero_pre())];
    let any = Vec::new;
    Some(match op {
        "~" | "~>" | "~=" => match (p.major, p.minor, p.patch) {
            (None, _, _) => any(),
            (Some(ma), None, _) => vec![cmp(Op::Ge, ma, 0, 0, vec![]), cmp(Op::Lt, ma + 1, 0, 0, zero_pre())],
            (Some(ma), Some(mi), pa) => {
                vec![cmp(Op::Ge, ma, mi, pa.unwrap_or(0), p.pre), cmp(Op::Lt, ma, mi + 1, 0, zero_pre())]
            }
        },
        "^" => match (p.major, p.minor, p.patch) {
            (None, _, _) => any(),
            (Some(ma), None, _) => vec![cmp(Op::Ge, ma, 0, 0, vec![]), cmp(Op::Lt, ma + 1, 0, 0, zero_pre())],
            (Some(0), Some(0), None) => vec![cmp(Op::Ge, 0, 0, 0, vec![]), cmp(Op::Lt, 0, 1, 0, zero_pre())],
            (Some(0), Some(mi), None) => vec![cmp(Op::Ge, 0, mi, 0, vec![]), cmp(Op::Lt, 0, mi + 1, 0, zero_pre())],
            (Some(ma), Some(mi), None) => vec![cmp(Op::Ge, ma, mi, 0, vec![]), cmp(Op::Lt, ma + 1, 0, 0, zero_pre())],
            (Some(0), Some(0), Some(pa)) => {
                vec![cmp(Op::Ge, 0, 0, pa, p.pre), cmp(Op::Lt, 0, 0, pa + 1, zero_pre())]
            }
            (Some(0), Some(mi), Some(pa)) => {
                vec![cmp(Op::Ge, 0, mi, pa, p.pre), cmp(Op::Lt, 0, mi + 1, 0, zero_pre())]
            }
            (Some(ma), Some(mi), Some(pa)) => {
                vec![cmp(Op::Ge, ma, mi, pa, p.pre), cmp(Op::Lt, ma + 1, 0, 0, zero_pre())]
            }
        },
        "" | "=" => match (p.major, p.minor, p.patch) {
            (None, _, _) => any(),
            (Some(ma), None, _) => vec![cmp(Op::Ge, ma, 0, 0, vec![]), cmp(Op::Lt, ma + 1, 0, 0, zero_pre())],
            (Some(ma), Some(mi), None) => vec![cmp(Op::Ge, ma, mi, 0, vec![]), cmp(Op::Lt, ma, mi + 1, 0, zero_pre())],
            (Some(ma), Some(mi), Some(pa)) => vec![cmp(Op::Eq, ma, mi, pa, p.pre)],
        },
        ">" => match (p.major, p.minor, p.patch) {
            (None, _, _) => nothing(),
            (Some(ma), None, _) => vec![cmp(Op::Ge, ma + 1, 0, 0, vec![])],
            (Some(ma), Some(mi), None) => vec![cmp(Op::Ge, ma, mi + 1, 0, vec![])],
            (Some(ma), Some(mi), Some(pa)) => vec![cmp(Op::Gt, ma, mi, pa, p.pre)],
        },
        ">=" => match (p.major, p.minor, p.patch) {
            (None, _, _) => any(),
            (Some(ma), mi, pa) => vec![cmp(Op::Ge, ma, mi.unwrap_or(0), pa.unwrap_or(0), p.pre)],
        },
        "<" => match (p.major, p.minor, p.patch) {
            (None, _, _) => nothing(),
            (Some(ma), None, _) => vec![cmp(Op::Lt, ma, 0, 0, zero_pre())],
            (Some(ma), Some(mi), None) => vec![cmp(Op::Lt, ma, mi, 0, zero_pre())],
            (Some(ma), Some(mi), Some(pa)) => vec![cmp(Op::Lt, ma, mi, pa, p.pre)],
        },
        "<=" => match (p.major, p.minor, p.patch) {
            (None, _, _) => any(),
            (Some(ma), None, _) => vec![cmp(Op::Lt, ma + 1, 0, 0, zero_pre())],
            (Some(ma), Some(mi), None) => vec![cmp(Op::Lt, ma, mi + 1, 0, zero_pre())],
            (Some(ma), Some(mi), Some(pa)) => vec![cmp(Op::Le, ma, mi, pa, p.pre)],
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|| panic!("bad version {s}"))
    }

    fn sat(range: &str, version: &str) -> bool {
        Range::parse(range).unwrap_or_else(|| panic!("bad range {range}")).satisfies(&v(version))
    }

    #[test]
    fn parses_and_orders_versions() {
        assert_eq!(v("v1.2.3").to_string(), "1.2.3");
        assert_eq!(v("=1.2.3-beta.1+build.5").to_string(), "1.2.3-beta.1");
        assert!(Version::parse("1.2").is_none());
        assert!(Version::parse("1.2.3.4").is_none());
        assert!(Version::parse("01x.2.3").is_none());
        let mut list: Vec<Version> = [
            "1.0.0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "0.9.9",
            "1.0.1",
        ]
        .iter()
        .map(|s| v(s))
        .collect();
        list.sort();
        let sorted: Vec<String> = list.iter().map(|v| v.to_string()).collect();
        assert_eq!(
            sorted,
            [
                "0.9.9",
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1"
            ]
        );
    }

    #[test]
    fn caret_ranges() {
        assert!(sat("^1.2.3", "1.2.3"));
        assert!(sat("^1.2.3", "1.9.0"));
        assert!(!sat("^1.2.3", "2.0.0"));
        assert!(!sat("^1.2.3", "1.2.2"));
        assert!(sat("^0.2.3", "0.2.9"));
        assert!(!sat("^0.2.3", "0.3.0"));
        assert!(sat("^0.0.3", "0.0.3"));
        assert!(!sat("^0.0.3", "0.0.4"));
        assert!(sat("^1.2.x", "1.5.0"));
        assert!(sat("^0.0.x", "0.0.9"));
        assert!(!sat("^0.0.x", "0.1.0"));
        assert!(sat("^0.x", "0.9.0"));
        assert!(sat("^1", "1.99.0"));
        assert!(!sat("^1", "2.0.0-0"));
        assert!(sat("^ 1.2", "1.3.0"));
    }

    #[test]
    fn tilde_ranges() {
        assert!(sat("~1.2.3", "1.2.9"));
        assert!(!sat("~1.2.3", "1.3.0"));
        assert!(sat("~1.2", "1.2.0"));
        assert!(sat("~1", "1.9.9"));
        assert!(!sat("~1", "2.0.0"));
        assert!(sat("~>1.2", "1.2.5"));
        assert!(sat("~0.2.3", "0.2.4"));
    }

    #[test]
    fn x_ranges_and_primitives() {
        for any in ["*", "", "x", "X", ">=0.0.0", "1.x || *"] {
            assert!(sat(any, "3.4.5"), "{any}");
            assert!(!sat(any, "3.4.5-beta"), "{any}");
        }
        assert!(sat("1.2.x", "1.2.7"));
        assert!(!sat("1.2.x", "1.3.0"));
        assert!(sat("1.x.x", "1.3.0"));
        assert!(sat("1", "1.0.0"));
        assert!(sat("1.2.3", "1.2.3"));
        assert!(sat("=1.2.3", "v1.2.3"));
        assert!(!sat("1.2.3", "1.2.4"));
        assert!(sat(">1.2", "1.3.0"));
        assert!(!sat(">1.2", "1.2.9"));
        assert!(sat(">1", "2.0.0"));
        assert!(!sat(">1", "1.9.0"));
        assert!(sat("<1.2", "1.1.9"));
        assert!(!sat("<1.2", "1.2.0-beta"));
        assert!(sat("<=1.2", "1.2.9"));
        assert!(!sat("<=1.2", "1.3.0"));
        assert!(sat(">= 1.2.3 < 2", "1.5.0"));
        assert!(sat(">=1.2.3 <2.0.0", "1.9.9"));
        assert!(!sat(">=1.2.3 <2.0.0", "2.0.0"));
        assert!(!sat(">*", "1.0.0"));
    }

    #[test]
    fn hyphen_and_or_ranges() {
        assert!(sat("1.2.3 - 2.3.4", "2.3.4"));
        assert!(!sat("1.2.3 - 2.3.4", "2.3.5"));
        assert!(sat("1.2 - 2.3.4", "1.2.0"));
        assert!(sat("1.2.3 - 2.3", "2.3.9"));
        assert!(!sat("1.2.3 - 2.3", "2.4.0"));
        assert!(sat("1.2.3 - 2", "2.9.9"));
        assert!(sat("1.x || >=2.5.0 || 5.0.0 - 7.2.3", "6.0.0"));
        assert!(sat("^1 || ^2", "2.1.0"));
        assert!(!sat("^1 || ^2", "3.0.0"));
        assert!(Range::parse("1.2.3 - ").is_none());
        assert!(Range::parse("latest").is_none());
        assert!(Range::parse("not a range").is_none());
    }

    #[test]
    fn prereleases_match_only_their_own_tuple() {
        assert!(sat("^1.2.3-beta.2", "1.2.3-beta.4"));
        assert!(!sat("^1.2.3-beta.2", "1.2.4-beta.4"));
        assert!(sat("^1.2.3-beta.2", "1.2.4"));
        assert!(sat(">=1.0.0-rc.1", "1.0.0-rc.2"));
        assert!(!sat(">=1.0.0-rc.1", "1.0.1-rc.1"));
        assert!(sat("~1.2.3-beta.2", "1.2.3-beta.10"));
        assert!(sat("1.0.0-beta", "1.0.0-beta"));
        assert!(!sat("^1.0.0", "1.1.0-beta"));
        assert!(sat("19.0.0-rc-1 || ^19.0.0", "19.0.0-rc-1"));
    }

    #[test]
    fn max_satisfying_picks_highest() {
        let versions: Vec<Version> = ["1.0.0", "1.2.0", "1.10.0", "2.0.0", "2.1.0-beta"].iter().map(|s| v(s)).collect();
        let r = Range::parse("^1").unwrap();
        assert_eq!(r.max_satisfying(&versions).unwrap().to_string(), "1.10.0");
        let r = Range::parse(">=2").unwrap();
        assert_eq!(r.max_satisfying(&versions).unwrap().to_string(), "2.0.0");
        assert!(Range::parse("^3").unwrap().max_satisfying(&versions).is_none());
    }

    #[test]
    fn subset_of_range() {
        let contains = |outer: &str, inner: &str| Range::parse(outer).unwrap().contains(&Range::parse(inner).unwrap());
        // What `npm install left-pad@<range>` saves when it picks 1.3.0: ^1.3.0 exactly where
        // the typed range contains it.
        for outer in ["^1", "1.x", "1", "*", "~1", ">=1.0.0 <2", "^1.2.0", ">=1"] {
            assert!(contains(outer, "^1.3.0"), "{outer}");
        }
        for outer in ["~1.1", "<1.3", "1.3.0", "^2", "~1.3", "1.3.x", ">1.3.0"] {
            assert!(!contains(outer, "^1.3.0"), "{outer}");
        }
        assert!(contains("<1 || >=2", "^2.1.0"));
        assert!(contains("^0.2", "^0.2.5"));
        assert!(!contains("^0.2", "^0.3.0"));
    }
}
