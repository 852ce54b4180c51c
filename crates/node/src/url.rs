//! Ops behind node:url and the WHATWG `URL`/`URLSearchParams` classes: parsing with the
//! `url` crate (the WHATWG URL Standard, like Node's ada) plus fixes for where the crate
//! follows an older edition, the standard's setters, IDNA, and percent-decoding for
//! URLSearchParams. The classes themselves live in js/internal/url.js, which keeps each
//! URL as its serialization plus component offsets.

use jsc::{Args, Ctx, JsResult, Object, Value};
use url::{quirks, Url};
use urlpattern::quirks as pattern_quirks;
use urlpattern::quirks::StringOrInit;

/// How many component boundaries `offsets` computes (the length of the JS Uint32Array).
const OFFSET_COUNT: usize = 12;

/// Component boundaries in the serialization, in the order js/internal/url.js reads them:
/// end of scheme, username start/end, password start/end, host start/end, port start/end,
/// path start/end (a `?` follows), query end (a `#` follows). Serialized URLs are ASCII,
/// so byte offsets are also UTF-16 offsets in JS.
fn offsets(url: &Url) -> [u32; OFFSET_COUNT] {
    let len = url.as_str().len();
    // From the end: fragment, query, path.
    let after_query = url.fragment().map_or(len, |f| len - f.len() - 1);
    let after_path = url.query().map_or(after_query, |q| after_query - q.len() - 1);
    let before_path = after_path - url.path().len();
    // From the start: scheme, then the authority if there is one.
    let after_scheme = url.scheme().len();
    let mut at = after_scheme + 1;
    let (mut user, mut pass) = ((at, at), (at, at));
    if url.has_authority() {
        at += 2;
        user = (at, at + url.username().len());
        at = user.1;
        if let Some(password) = url.password() {
            pass = (at + 1, at + 1 + password.len());
            at = pass.1;
        } else {
            pass = (at, at);
        }
        if !url.username().is_empty() || url.password().is_some() {
            at += 1; // '@'
        }
    }
    let host = (at, at + quirks::hostname(url).len());
    let port = match url.port() {
        Some(port) => (host.1 + 1, host.1 + 1 + port.to_string().len()),
        None => (host.1, host.1),
    };
    [after_scheme, user.0, user.1, pass.0, pass.1, host.0, host.1, port.0, port.1, before_path, after_path, after_query]
        .map(|offset| offset as u32)
}

/// Newer editions of the standard (which Node follows) add `^` to the path percent-encode
/// set; the `url` crate still leaves it as it is.
fn encode_caret_in_path(url: &mut Url) {
    if !url.cannot_be_a_base() && url.path().contains('^') {
        let path = url.path().replace('^', "%5E");
        url.set_path(&path);
    }
}

/// Newer editions also write an opaque path's last space as `%20` when a query or fragment
/// follows, where the `url` crate keeps the space.
fn encode_trailing_space_in_opaque_path(url: &mut Url) {
    if url.cannot_be_a_base() && url.path().ends_with(' ') && (url.query().is_some() || url.fragment().is_some()) {
        let path_end = url.scheme().len() + 1 + url.path().len();
        let href = format!("{}%20{}", &url.as_str()[..path_end - 1], &url.as_str()[path_end..]);
        if let Ok(reparsed) = Url::parse(&href) {
            *url = reparsed;
        }
    }
}

/// Writes the offsets of `url` into the Uint32Array `out` and returns its href.
fn publish(ctx: Ctx, url: &mut Url, out: Value) -> JsResult<Value> {
    encode_caret_in_path(url);
    encode_trailing_space_in_opaque_path(url);
    let bytes = out.bytes().ok_or_else(|| ctx.error("url: offsets must be a Uint32Array"))?;
    for (cell, offset) in bytes.chunks_exact_mut(4).zip(offsets(url)) {
        cell.copy_from_slice(&offset.to_ne_bytes());
    }
    Ok(ctx.string(url.as_str()))
}

fn is_special(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp" | "file")
}

fn parse_with_base(input: &str, base: Option<&str>) -> Option<Url> {
    match base {
        None => Url::parse(input).ok(),
        Some(base) => {
            let base = Url::parse(base).ok()?;
            // Against a non-special base a leading `\` is part of a path segment, but the
            // `url` crate takes it for `/`; a leading `./` keeps the reference path-relative.
            let trimmed = input.trim_start_matches(|c: char| c <= ' ');
            if trimmed.starts_with('\\') && !is_special(base.scheme()) {
                return Url::options().base_url(Some(&base)).parse(&format!("./{trimmed}")).ok();
            }
            Url::options().base_url(Some(&base)).parse(input).ok()
        }
    }
}

/// The standard's protocol setter. The `url` crate refuses every change to `file`, where
/// the standard only refuses URLs with credentials or a port.
fn set_protocol(url: &mut Url, value: &str) -> Result<(), ()> {
    let scheme = value.split(':').next().unwrap_or_default().to_ascii_lowercase();
    let changes_special_to_file = scheme == "file" && is_special(url.scheme()) && url.scheme() != "file";
    if !changes_special_to_file {
        return quirks::set_protocol(url, value);
    }
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() || !url.has_host() {
        return Err(());
    }
    let rest = &url.as_str()[url.scheme().len()..];
    *url = Url::parse(&format!("file{rest}")).map_err(|_| ())?;
    Ok(())
}

fn optional_string(args: &Args, i: usize) -> JsResult<Option<String>> {
    let value = args.get(i);
    if value.is_undefined() { Ok(None) } else { Ok(Some(value.to_string()?)) }
}

/// parse(input, base | undefined, offsets) -> href, or undefined when the input is not a URL.
fn parse(args: &Args) -> JsResult<Value> {
    let input = args.string(0)?;
    let base = optional_string(args, 1)?;
    match parse_with_base(&input, base.as_deref()) {
        Some(mut url) => publish(args.ctx, &mut url, args.get(2)),
        None => Ok(args.ctx.undefined()),
    }
}

fn can_parse(args: &Args) -> JsResult<Value> {
    let input = args.string(0)?;
    let base = optional_string(args, 1)?;
    Ok(args.ctx.boolean(parse_with_base(&input, base.as_deref()).is_some()))
}

// The setter numbers js/internal/url.js passes to `update`.
const SET_HREF: u32 = 0;
const SET_PROTOCOL: u32 = 1;
const SET_USERNAME: u32 = 2;
const SET_PASSWORD: u32 = 3;
const SET_HOST: u32 = 4;
const SET_HOSTNAME: u32 = 5;
const SET_PORT: u32 = 6;
const SET_PATHNAME: u32 = 7;
const SET_SEARCH: u32 = 8;
const SET_HASH: u32 = 9;

/// update(href, setter, value, offsets) -> the new href, or false when the standard's
/// setter leaves the URL unchanged (or, for href, when the value is not a URL).
fn update(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let Ok(mut url) = Url::parse(&args.string(0)?) else {
        return Ok(ctx.boolean(false));
    };
    let value = args.string(2)?;
    let changed = match args.number(1)? as u32 {
        SET_HREF => quirks::set_href(&mut url, &value).is_ok(),
        SET_PROTOCOL => set_protocol(&mut url, &value).is_ok(),
        SET_USERNAME => quirks::set_username(&mut url, &value).is_ok(),
        SET_PASSWORD => quirks::set_password(&mut url, &value).is_ok(),
        SET_HOST => quirks::set_host(&mut url, &value).is_ok(),
        SET_HOSTNAME => quirks::set_hostname(&mut url, &value).is_ok(),
        SET_PORT => quirks::set_port(&mut url, &value).is_ok(),
        SET_PATHNAME => {
            quirks::set_pathname(&mut url, &value);
            true
        }
        SET_SEARCH => {
            quirks::set_search(&mut url, &value);
            true
        }
        SET_HASH => {
            quirks::set_hash(&mut url, &value);
            true
        }
        _ => return Err(ctx.error("url: unknown setter")),
    };
    if !changed {
        return Ok(ctx.boolean(false));
    }
    publish(ctx, &mut url, args.get(3))
}

/// The host `domain` becomes in a special URL, or None when it is not a valid host.
fn host_of_special_url(domain: &str) -> Option<String> {
    let mut url = Url::parse("ws://x").expect("a valid URL");
    quirks::set_hostname(&mut url, domain).ok()?;
    Some(quirks::hostname(&url).to_owned())
}

fn domain_to_ascii(args: &Args) -> JsResult<Value> {
    let ascii = host_of_special_url(&args.string(0)?).unwrap_or_default();
    Ok(args.ctx.string(&ascii))
}

fn domain_to_unicode(args: &Args) -> JsResult<Value> {
    let unicode = host_of_special_url(&args.string(0)?)
        .map(|ascii| idna_to_unicode(&ascii))
        .unwrap_or_default();
    Ok(args.ctx.string(&unicode))
}

/// Punycode labels of a valid host back to Unicode; IP addresses stay as they are.
fn idna_to_unicode(host: &str) -> String {
    match quirks::domain_to_unicode(host) {
        unicode if unicode.is_empty() => host.to_owned(),
        unicode => unicode,
    }
}

/// percentDecode(string) -> the string with `%XX` escapes decoded as UTF-8, invalid bytes
/// becoming U+FFFD (the slow path of URLSearchParams parsing, for what decodeURIComponent
/// rejects).
fn percent_decode_op(args: &Args) -> JsResult<Value> {
    let input = args.string(0)?;
    Ok(args.ctx.string(&String::from_utf8_lossy(&percent_decode(input.as_bytes()))))
}

/// Percent-decodes bytes; a `%` not followed by two hex digits stays as it is.
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

// --- URLPattern: parsing and canonicalization here, matching with the engine's RegExp ---

/// A pattern input from JS: a string, or a URLPatternInit as JSON (`{...}`).
fn pattern_input(text: &str) -> Result<StringOrInit<'_>, String> {
    if text.starts_with('{') {
        serde_json::from_str::<pattern_quirks::UrlPatternInit>(text).map(StringOrInit::Init).map_err(|e| e.to_string())
    } else {
        Ok(StringOrInit::String(std::borrow::Cow::Borrowed(&text[1..])))
    }
}

/// (input, baseURL or undefined, ignoreCase) → the compiled pattern as JSON: each
/// component's pattern string, regular expression source and group names. Throws a
/// TypeError carrying the parser's reason when the pattern is invalid.
fn url_pattern_parse(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let text = args.string(0)?;
    let base = if args.get(1).is_undefined() { None } else { Some(args.string(1)?) };
    let options = urlpattern::UrlPatternOptions { ignore_case: args.get(2).to_boolean(), ..Default::default() };
    let parsed = pattern_input(&text)
        .and_then(|input| pattern_quirks::process_construct_pattern_input(input, base.as_deref()).map_err(|e| e.to_string()))
        .and_then(|init| pattern_quirks::parse_pattern::<pattern_quirks::EcmaRegexp>(init, options).map_err(|e| e.to_string()));
    match parsed {
        Ok(pattern) => Ok(ctx.string(&serde_json::to_string(&pattern).unwrap_or_default())),
        Err(reason) => Err(ctx.error(&reason)),
    }
}

/// (input, baseURL or undefined) → the eight canonical components to match as JSON, or
/// null when the input is not a URL. Throws when a base URL comes with an init object.
fn url_pattern_match_input(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let text = args.string(0)?;
    let base = if args.get(1).is_undefined() { None } else { Some(args.string(1)?) };
    let input = pattern_input(&text).map_err(|reason| ctx.error(&reason))?;
    let processed = pattern_quirks::process_match_input(input, base.as_deref()).map_err(|e| ctx.error(&e.to_string()))?;
    match processed.and_then(|(input, _)| pattern_quirks::parse_match_input(input)) {
        Some(components) => Ok(ctx.string(&serde_json::to_string(&components).unwrap_or_default())),
        None => Ok(ctx.null()),
    }
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("parse", parse)?;
    b.set_function("canParse", can_parse)?;
    b.set_function("update", update)?;
    b.set_function("domainToASCII", domain_to_ascii)?;
    b.set_function("domainToUnicode", domain_to_unicode)?;
    b.set_function("percentDecode", percent_decode_op)?;
    b.set_function("urlPatternParse", url_pattern_parse)?;
    b.set_function("urlPatternMatchInput", url_pattern_match_input)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        let decode = |s: &str| String::from_utf8_lossy(&percent_decode(s.as_bytes())).into_owned();
        assert_eq!(decode("%41%zz%4"), "A%zz%4");
        assert_eq!(decode("%FF%C3%A9%"), "\u{FFFD}é%");
        assert_eq!(decode("%ED%A0%80"), "\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn offsets_of_a_full_url() {
        let url = Url::parse("https://u:p@h:8/p?q#f").unwrap();
        assert_eq!(offsets(&url), [5, 8, 9, 10, 11, 12, 13, 14, 15, 15, 17, 19]);
        let url = Url::parse("https://u:@h").unwrap();
        assert_eq!(url.as_str(), "https://u@h/");
        assert_eq!(offsets(&url), [5, 8, 9, 9, 9, 10, 11, 11, 11, 11, 12, 12]);
        let url = Url::parse("web+demo:/.//not-a-host/?x").unwrap();
        assert_eq!(offsets(&url)[9..], [11, 24, 26]);
    }

    #[test]
    fn domains() {
        assert_eq!(host_of_special_url("español.com").as_deref(), Some("xn--espaol-zwa.com"));
        assert_eq!(host_of_special_url("xn--iñvalid.com"), None);
        assert_eq!(idna_to_unicode("xn--espaol-zwa.com"), "español.com");
        assert_eq!(idna_to_unicode("1.2.3.4"), "1.2.3.4");
        assert_eq!(idna_to_unicode("[::1]"), "[::1]");
    }
}
