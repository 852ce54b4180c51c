//! node:http's native side: the HTTP/1.x message parser (request and response heads by
//! `httparse`, bodies by content length, chunked coding or connection close), with the
//! error codes and reasons Node's llhttp reports (`HPE_*`).
//!
//! A parser is fed bytes with `execute` and reports through the callbacks registered with
//! `setHttpCallbacks`: `onHeaders(owner, head, minor, status, flags, headerCount)`,
//! `onBody(owner, start, end)` (a slice of the input being executed) and
//! `onComplete(owner, rawTrailers | undefined)`. To keep each
//! message to one call into JS, the head arrives as one latin1 string and the positions of
//! its parts in the shared `offsets` array: method, url, status text, then name and value
//! of each header (start, end pairs). `flags`: 1 upgrade, 2 keep-alive, 4 the message has
//! no body and is complete (no `onComplete` follows). `onHeaders` returning true skips the
//! body, as for a response to HEAD.

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use std::cell::{Cell, RefCell};

/// Methods llhttp accepts in a request line.
const METHODS: &[&str] = &[
    "ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK", "M-SEARCH", "MERGE",
    "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "NOTIFY", "OPTIONS", "PATCH", "POST", "PROPFIND", "PROPPATCH",
    "PURGE", "PUT", "QUERY", "REBIND", "REPORT", "SEARCH", "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK",
    "UNLOCK", "UNSUBSCRIBE",
];

const MAX_HEADERS: usize = 256;

/// Slots of the shared offsets array: method, url and status text, then a header each.
const OFFSET_SLOTS: usize = 6 + 4 * MAX_HEADERS;

thread_local! {
    static OFFSETS: &'static [Cell<f64>] = Box::leak((0..OFFSET_SLOTS).map(|_| Cell::new(0.0)).collect::<Vec<_>>().into_boxed_slice());
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Request,
    Response,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Head,
    Body(u64),
    ChunkSize,
    ChunkData(u64),
    ChunkDataEnd,
    Trailers,
    UntilClose,
    /// The connection was upgraded (or a CONNECT tunnel began): the rest isn't HTTP.
    Upgraded,
    Failed,
}

struct ParseError {
    code: &'static str,
    reason: String,
}

fn fail(code: &'static str, reason: &str) -> ParseError {
    ParseError { code, reason: reason.to_string() }
}

struct Parser {
    kind: Cell<Kind>,
    state: Cell<State>,
    /// Bytes of an unfinished head, chunk-size line or trailer section.
    pending: RefCell<Vec<u8>>,
    max_header_size: Cell<usize>,
    owner: RefCell<Option<Protected>>,
    error: RefCell<Option<(ParseError, usize)>>,
    /// Raw trailer lines of the current chunked message.
    trailers: RefCell<Vec<Vec<u8>>>,
}

thread_local! {
    static CALLBACKS: RefCell<Option<[Protected; 3]>> = const { RefCell::new(None) };
}

fn callback(ctx: Ctx, i: usize) -> JsResult<Object> {
    CALLBACKS
        .with(|c| c.borrow().as_ref().map(|cbs| cbs[i].value()))
        .ok_or_else(|| ctx.error("http callbacks not set"))?
        .expect_object()
}

/// Header bytes are latin1 to JS, as llhttp's strings in Node.
fn latin1(ctx: Ctx, bytes: &[u8]) -> Value {
    if bytes.is_ascii() {
        // SAFETY: ASCII is UTF-8.
        ctx.string(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        let units: Vec<u16> = bytes.iter().map(|&b| b as u16).collect();
        ctx.string_utf16(&units)
    }
}

fn has_token(value: &[u8], token: &str) -> bool {
    value.split(|&b| b == b',').any(|part| part.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

impl Parser {
    fn owner(&self) -> Option<Value> {
        self.owner.borrow().as_ref().map(|p| p.value())
    }

    /// Parses `data`; returns how many bytes were consumed (all of them unless the
    /// connection was upgraded) or the error.
    fn execute(&self, ctx: Ctx, data: &[u8]) -> Result<usize, ParseError> {
        let mut pos = 0;
        while pos < data.len() {
            match self.state.get() {
                State::Failed => return Err(fail("HPE_INVALID_CONSTANT", "Parser is in an error state")),
                State::Upgraded => return Ok(pos),
                State::Head => match self.parse_head(ctx, &data[pos..])? {
                    Some(used) => pos += used,
                    // Head incomplete: all of the input is now pending.
                    None => return Ok(data.len()),
                },
                State::Body(remaining) => {
                    let take = remaining.min((data.len() - pos) as u64) as usize;
                    self.body(ctx, data, &data[pos..pos + take])?;
                    pos += take;
                    if remaining == take as u64 {
                        self.complete(ctx)?;
                    } else {
                        self.state.set(State::Body(remaining - take as u64));
                    }
                }
                State::UntilClose => {
                    self.body(ctx, data, &data[pos..])?;
                    pos = data.len();
                }
                State::ChunkSize => {
                    let Some(line_end) = self.take_line(&data[pos..], 1024, "HPE_INVALID_CHUNK_SIZE", "Chunk size line too long")? else {
                        return Ok(data.len());
                    };
                    pos += line_end;
                    let line = std::mem::take(&mut *self.pending.borrow_mut());
                    let size = parse_chunk_size(&line)?;
                    self.state.set(if size == 0 { State::Trailers } else { State::ChunkData(size) });
                }
                State::ChunkData(remaining) => {
                    let take = remaining.min((data.len() - pos) as u64) as usize;
                    self.body(ctx, data, &data[pos..pos + take])?;
                    pos += take;
                    self.state.set(if remaining == take as u64 { State::ChunkDataEnd } else { State::ChunkData(remaining - take as u64) });
                }
                State::ChunkDataEnd => {
                    let Some(line_end) = self.take_line(&data[pos..], 2, "HPE_STRICT", "Expected LF after chunk data")? else {
                        return Ok(data.len());
                    };
                    pos += line_end;
                    if !self.pending.borrow_mut().drain(..).as_slice().is_empty() {
                        return Err(fail("HPE_STRICT", "Expected LF after chunk data"));
                    }
                    self.state.set(State::ChunkSize);
                }
                State::Trailers => {
                    let Some(line_end) = self.take_line(&data[pos..], self.max_header_size.get(), "HPE_HEADER_OVERFLOW", "Header overflow")? else {
                        return Ok(data.len());
                    };
                    pos += line_end;
                    let line = std::mem::take(&mut *self.pending.borrow_mut());
                    if line.is_empty() {
                        self.complete(ctx)?;
                    } else {
                        self.trailers.borrow_mut().push(line);
                    }
                }
            }
        }
        Ok(pos)
    }

    /// Moves bytes up to and including the next LF into `pending` (without the CRLF).
    /// Returns how many bytes of `data` were used, or None when the line is unfinished.
    fn take_line(&self, data: &[u8], limit: usize, code: &'static str, reason: &str) -> Result<Option<usize>, ParseError> {
        let mut pending = self.pending.borrow_mut();
        match memchr::memchr(b'\n', data) {
            Some(i) => {
                pending.extend_from_slice(&data[..i]);
                if pending.last() == Some(&b'\r') {
                    pending.pop();
                }
                Ok(Some(i + 1))
            }
            None => {
                pending.extend_from_slice(data);
                if pending.len() > limit {
                    return Err(fail(code, reason));
                }
                Ok(None)
            }
        }
    }

    /// Parses a message head; None when it isn't complete yet (the bytes are kept).
    fn parse_head(&self, ctx: Ctx, data: &[u8]) -> Result<Option<usize>, ParseError> {
        let buffered = self.pending.borrow().len();
        // Skip the empty lines allowed before a request line.
        let mut joined;
        let input: &[u8] = if buffered == 0 {
            data
        } else {
            joined = std::mem::take(&mut *self.pending.borrow_mut());
            joined.extend_from_slice(data);
            &joined
        };
        let mut skip = 0;
        while skip < input.len() && (input[skip] == b'\r' || input[skip] == b'\n') {
            skip += 1;
        }
        let input_len = input.len();
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let head = &input[skip..];
        let parsed = match self.kind.get() {
            Kind::Request => {
                let mut req = httparse::Request::new(&mut headers);
                match req.parse(head) {
                    Ok(httparse::Status::Complete(n)) => {
                        let method = req.method.unwrap_or("");
                        if !METHODS.contains(&method) {
                            return Err(fail("HPE_INVALID_METHOD", "Invalid method encountered"));
                        }
                        let info = HeadInfo {
                            head: &head[..n],
                            minor: req.version.unwrap_or(1),
                            method: Some(method),
                            url: req.path.unwrap_or(""),
                            status: 0,
                            reason: "",
                            headers: req.headers,
                        };
                        Some((n, self.on_head(ctx, info)?))
                    }
                    Ok(httparse::Status::Partial) => None,
                    Err(e) => return Err(head_error(e, head, true)),
                }
            }
            Kind::Response => {
                let mut res = httparse::Response::new(&mut headers);
                match res.parse(head) {
                    Ok(httparse::Status::Complete(n)) => {
                        let info = HeadInfo {
                            head: &head[..n],
                            minor: res.version.unwrap_or(1),
                            method: None,
                            url: "",
                            status: res.code.unwrap_or(0),
                            reason: res.reason.unwrap_or(""),
                            headers: res.headers,
                        };
                        Some((n, self.on_head(ctx, info)?))
                    }
                    Ok(httparse::Status::Partial) => None,
                    Err(e) => return Err(head_error(e, head, false)),
                }
            }
        };
        match parsed {
            // Of the head's bytes, those that came in this call.
            Some((n, ())) => Ok(Some(skip + n - buffered)),
            None => {
                if input_len - skip > self.max_header_size.get() {
                    return Err(fail("HPE_HEADER_OVERFLOW", "Header overflow"));
                }
                self.pending.borrow_mut().extend_from_slice(&input[skip..]);
                Ok(None)
            }
        }
    }

    fn on_head(&self, ctx: Ctx, info: HeadInfo) -> Result<(), ParseError> {
        let head_size: usize = info.headers.iter().map(|h| h.name.len() + h.value.len() + 4).sum::<usize>() + info.url.len();
        if head_size > self.max_header_size.get() {
            return Err(fail("HPE_HEADER_OVERFLOW", "Header overflow"));
        }
        let mut content_length: Option<u64> = None;
        let mut chunked = false;
        let mut has_te = false;
        let mut connection_close = false;
        let mut connection_keep_alive = false;
        let mut connection_upgrade = false;
        let mut has_upgrade = false;
        for h in info.headers.iter() {
            let name = h.name.as_bytes();
            if name.eq_ignore_ascii_case(b"content-length") {
                let v = h.value.trim_ascii();
                if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
                    return Err(fail("HPE_INVALID_CONTENT_LENGTH", "Invalid character in Content-Length"));
                }
                let n: u64 = std::str::from_utf8(v).ok().and_then(|s| s.parse().ok()).ok_or_else(|| fail("HPE_INVALID_CONTENT_LENGTH", "Content-Length overflow"))?;
                if content_length.is_some() {
                    return Err(fail("HPE_UNEXPECTED_CONTENT_LENGTH", "Duplicate Content-Length"));
                }
                content_length = Some(n);
            } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
                has_te = true;
                // Chunked must be the last coding applied.
                let last = h.value.split(|&b| b == b',').next_back().unwrap_or(b"").trim_ascii();
                chunked = last.eq_ignore_ascii_case(b"chunked");
            } else if name.eq_ignore_ascii_case(b"connection") {
                connection_close |= has_token(h.value, "close");
                connection_keep_alive |= has_token(h.value, "keep-alive");
                connection_upgrade |= has_token(h.value, "upgrade");
            } else if name.eq_ignore_ascii_case(b"upgrade") {
                has_upgrade = true;
            }
        }
        if has_te && content_length.is_some() {
            return Err(fail("HPE_INVALID_TRANSFER_ENCODING", "Transfer-Encoding can't be present with Content-Length"));
        }
        let request = self.kind.get() == Kind::Request;
        if request && has_te && !chunked && info.minor == 1 {
            return Err(fail("HPE_INVALID_TRANSFER_ENCODING", "Request has invalid `Transfer-Encoding`"));
        }
        let mut keep_alive = if info.minor >= 1 { !connection_close } else { connection_keep_alive && !connection_close };
        let is_connect = info.method == Some("CONNECT");
        let upgrade = if request {
            is_connect || (connection_upgrade && has_upgrade)
        } else {
            info.status == 101
        };

        let informational = !request && (100..200).contains(&info.status) && info.status != 101;
        let upgraded = upgrade && (request || info.status == 101);
        // Known before JS sees the head: this message has no body.
        let complete_now = upgraded
            || (!chunked && content_length == Some(0))
            || if request {
                !chunked && content_length.is_none()
            } else {
                informational || info.status == 204 || info.status == 304
            };
        if !request && !complete_now && !chunked && content_length.is_none() {
            // The body runs until the connection closes.
            keep_alive = false;
        }
        let flags = upgrade as u32 | (keep_alive as u32) << 1 | (complete_now as u32) << 2;
        let result = OFFSETS.with(|offsets| {
            let base = info.head.as_ptr() as usize;
            let put = |slot: usize, part: &[u8]| {
                let start = (part.as_ptr() as usize).wrapping_sub(base);
                offsets[slot].set(start as f64);
                offsets[slot + 1].set((start + part.len()) as f64);
            };
            put(0, info.method.unwrap_or("").as_bytes());
            put(2, info.url.as_bytes());
            put(4, info.reason.as_bytes());
            for (i, h) in info.headers.iter().enumerate() {
                put(6 + 4 * i, h.name.as_bytes());
                put(8 + 4 * i, h.value);
            }
            let owner = self.owner().unwrap_or_else(|| ctx.undefined());
            let args = [
                owner,
                latin1(ctx, info.head),
                ctx.number(info.minor as f64),
                ctx.number(info.status as f64),
                ctx.number(flags as f64),
                ctx.number(info.headers.len() as f64),
            ];
            callback(ctx, 0).and_then(|f| f.call(None, &args))
        });
        let skip_body = match result {
            Ok(v) => v.to_boolean(),
            Err(e) => return Err(self.js_error(e)),
        };
        if upgraded {
            self.state.set(State::Upgraded);
            return Ok(());
        }
        if complete_now {
            self.state.set(State::Head);
        } else if skip_body {
            self.complete(ctx)?;
        } else if chunked {
            self.state.set(State::ChunkSize);
        } else if let Some(n) = content_length {
            self.state.set(State::Body(n));
        } else {
            self.state.set(State::UntilClose);
        }
        Ok(())
    }

    /// Reports body bytes by their place in the input, which JS slices without a copy.
    fn body(&self, ctx: Ctx, input: &[u8], bytes: &[u8]) -> Result<(), ParseError> {
        if bytes.is_empty() {
            return Ok(());
        }
        let start = bytes.as_ptr() as usize - input.as_ptr() as usize;
        let result = (|| -> JsResult<()> {
            let owner = self.owner().unwrap_or_else(|| ctx.undefined());
            let args = [owner, ctx.number(start as f64), ctx.number((start + bytes.len()) as f64)];
            callback(ctx, 1)?.call(None, &args)?;
            Ok(())
        })();
        result.map_err(|e| self.js_error(e))
    }

    fn complete(&self, ctx: Ctx) -> Result<(), ParseError> {
        self.state.set(State::Head);
        let trailers = std::mem::take(&mut *self.trailers.borrow_mut());
        let result = (|| -> JsResult<()> {
            let owner = self.owner().unwrap_or_else(|| ctx.undefined());
            let trailers = if trailers.is_empty() { ctx.undefined() } else { raw_trailers(ctx, &trailers)? };
            callback(ctx, 2)?.call(None, &[owner, trailers])?;
            Ok(())
        })();
        result.map_err(|e| self.js_error(e))
    }

    /// A callback threw: the parser stops, and `execute` rethrows it.
    fn js_error(&self, e: Value) -> ParseError {
        self.state.set(State::Failed);
        THROWN.with(|t| *t.borrow_mut() = Some(e.protect()));
        fail("JS", "")
    }
}

thread_local! {
    static THROWN: RefCell<Option<Protected>> = const { RefCell::new(None) };
}

/// `[name, value, ...]` of trailer lines `Name: value` (lines without a colon are dropped).
fn raw_trailers(ctx: Ctx, lines: &[Vec<u8>]) -> JsResult<Value> {
    let mut raw = Vec::with_capacity(lines.len() * 2);
    for line in lines {
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            raw.push(latin1(ctx, line[..colon].trim_ascii()));
            raw.push(latin1(ctx, line[colon + 1..].trim_ascii()));
        }
    }
    Ok(ctx.array(&raw)?.value())
}

struct HeadInfo<'a, 'b> {
    /// The request or status line and the headers, as received.
    head: &'a [u8],
    minor: u8,
    method: Option<&'a str>,
    url: &'a str,
    status: u16,
    reason: &'a str,
    headers: &'b [httparse::Header<'a>],
}

fn head_error(e: httparse::Error, head: &[u8], request: bool) -> ParseError {
    match e {
        httparse::Error::HeaderName => fail("HPE_INVALID_HEADER_TOKEN", "Invalid header token"),
        httparse::Error::HeaderValue => fail("HPE_INVALID_HEADER_TOKEN", "Invalid header value char"),
        httparse::Error::Version => fail("HPE_INVALID_VERSION", "Invalid HTTP version"),
        httparse::Error::Status => fail("HPE_INVALID_STATUS", "Invalid status code"),
        httparse::Error::TooManyHeaders => fail("HPE_HEADER_OVERFLOW", "Header overflow"),
        httparse::Error::NewLine => fail("HPE_INVALID_VERSION", "Expected CRLF after version"),
        httparse::Error::Token if request => {
            // A bad token in the method, or in the URL after it.
            match head.iter().position(|&b| b == b' ') {
                Some(_) if head.iter().take_while(|&&b| b != b' ').all(|b| b.is_ascii_uppercase() || *b == b'-') => {
                    fail("HPE_INVALID_URL", "Invalid char in url path")
                }
                _ => fail("HPE_INVALID_METHOD", "Invalid method encountered"),
            }
        }
        _ => fail("HPE_INVALID_CONSTANT", "Invalid constant string"),
    }
}

fn parse_chunk_size(line: &[u8]) -> Result<u64, ParseError> {
    // Chunk extensions after ';' are allowed and ignored.
    let digits = line.split(|&b| b == b';').next().unwrap_or(b"").trim_ascii_end();
    if digits.is_empty() || digits.len() > 16 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(fail("HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size"));
    }
    u64::from_str_radix(std::str::from_utf8(digits).unwrap_or("x"), 16).map_err(|_| fail("HPE_INVALID_CHUNK_SIZE", "Chunk size overflow"))
}

fn parser_of(args: &Args) -> JsResult<std::rc::Rc<Parser>> {
    args.get(0).wrapped::<std::rc::Rc<Parser>>().cloned().ok_or_else(|| args.ctx.error("not an HTTP parser"))
}

/// `createParser(kind 0 request | 1 response, maxHeaderSize, owner)`.
fn create_parser(args: &Args) -> JsResult<Value> {
    let kind = if args.number(0)? == 1.0 { Kind::Response } else { Kind::Request };
    let parser = Parser {
        kind: Cell::new(kind),
        state: Cell::new(State::Head),
        pending: RefCell::new(Vec::new()),
        max_header_size: Cell::new(args.number(1)? as usize),
        owner: RefCell::new(Some(args.get(2).protect())),
        error: RefCell::new(None),
        trailers: RefCell::new(Vec::new()),
    };
    Ok(args.ctx.wrap(std::rc::Rc::new(parser)).value())
}

/// `execute(parser, bytes)` → bytes consumed, or -1 after an error (see `lastError`).
/// Exceptions thrown by the callbacks propagate.
fn execute(args: &Args) -> JsResult<Value> {
    let parser = parser_of(args)?;
    let data = args.get(1);
    // The callbacks may run JS, so parse a private copy rather than the JS-owned bytes.
    let bytes = data.bytes().map(|b| b.to_vec()).ok_or_else(|| args.ctx.error("execute: not a byte view"))?;
    match parser.execute(args.ctx, &bytes) {
        Ok(n) => Ok(args.ctx.number(n as f64)),
        Err(e) if e.code == "JS" => Err(THROWN.with(|t| t.borrow_mut().take()).map_or_else(|| args.ctx.undefined(), |p| p.value())),
        Err(e) => {
            parser.state.set(State::Failed);
            *parser.error.borrow_mut() = Some((e, bytes.len()));
            Ok(args.ctx.number(-1.0))
        }
    }
}

/// `finish(parser)`: the connection ended. A body read until close completes; a message
/// cut short is an error (-1).
fn finish(args: &Args) -> JsResult<Value> {
    let parser = parser_of(args)?;
    let status = match parser.state.get() {
        State::UntilClose => match parser.complete(args.ctx) {
            Ok(()) => 0.0,
            Err(e) if e.code == "JS" => return Err(THROWN.with(|t| t.borrow_mut().take()).map_or_else(|| args.ctx.undefined(), |p| p.value())),
            Err(_) => -1.0,
        },
        State::Head if parser.pending.borrow().is_empty() => 0.0,
        State::Upgraded | State::Failed => 0.0,
        _ => {
            *parser.error.borrow_mut() = Some((fail("HPE_INVALID_EOF_STATE", "Invalid EOF state"), 0));
            -1.0
        }
    };
    Ok(args.ctx.number(status))
}

/// `lastError(parser)` → [code, reason, bytesParsed].
fn last_error(args: &Args) -> JsResult<Value> {
    let parser = parser_of(args)?;
    let error = parser.error.borrow();
    let Some((e, n)) = error.as_ref() else { return Ok(args.ctx.undefined()) };
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.string(e.code), ctx.string(&e.reason), ctx.number(*n as f64)])?.value())
}

fn set_callbacks(args: &Args) -> JsResult<Value> {
    let cbs = [args.get(0).protect(), args.get(1).protect(), args.get(2).protect()];
    CALLBACKS.with(|c| *c.borrow_mut() = Some(cbs));
    Ok(args.ctx.undefined())
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("setHttpCallbacks", set_callbacks)?;
    b.set_function("createParser", create_parser)?;
    b.set_function("execute", execute)?;
    b.set_function("finish", finish)?;
    b.set_function("lastError", last_error)?;
    b.set_function("close", |args| {
        parser_of(args)?.owner.borrow_mut().take();
        Ok(args.ctx.undefined())
    })?;
    b.set("offsets", OFFSETS.with(|offsets| ctx.shared_f64_array(offsets))?.value())?;
    let methods: Vec<Value> = METHODS.iter().map(|m| ctx.string(m)).collect();
    b.set("methods", ctx.array(&methods)?.value())?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes() {
        assert_eq!(parse_chunk_size(b"1a").ok(), Some(26));
        assert_eq!(parse_chunk_size(b"0;ext=1").ok(), Some(0));
        assert!(parse_chunk_size(b"zz").is_err());
        assert!(parse_chunk_size(b"").is_err());
    }

    #[test]
    fn connection_tokens() {
        assert!(has_token(b"keep-alive, Upgrade", "upgrade"));
        assert!(!has_token(b"closed", "close"));
    }
}
