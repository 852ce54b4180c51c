//! The HTTP/1.x message parser, free of JS so that it can be fuzzed: request and response
//! heads by `httparse`, bodies by content length, chunked coding or connection close,
//! with the error codes and reasons Node's llhttp reports (`HPE_*`). What it finds goes
//! to an `Events` implementation (the JS binding in http.rs, or a recorder in tests).

use std::cell::{Cell, RefCell};

/// Methods llhttp accepts in a request line.
pub const METHODS: &[&str] = &[
    "ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK", "M-SEARCH", "MERGE",
    "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "NOTIFY", "OPTIONS", "PATCH", "POST", "PROPFIND", "PROPPATCH",
    "PURGE", "PUT", "QUERY", "REBIND", "REPORT", "SEARCH", "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK",
    "UNLOCK", "UNSUBSCRIBE",
];

pub const MAX_HEADERS: usize = 256;

/// `Head::flags` bits.
pub const FLAG_UPGRADE: u32 = 1;
pub const FLAG_KEEP_ALIVE: u32 = 2;
/// The message has no body and is complete: no `complete` event follows.
pub const FLAG_COMPLETE: u32 = 4;
/// The message has a Host header (the server answers 400 to HTTP/1.1 without one).
pub const FLAG_HOST: u32 = 8;
/// The message has an Expect header.
pub const FLAG_EXPECT: u32 = 16;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
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

#[derive(Debug, PartialEq)]
pub struct ParseError {
    pub code: &'static str,
    pub reason: String,
}

pub fn fail(code: &'static str, reason: &str) -> ParseError {
    ParseError { code, reason: reason.to_string() }
}

/// A message head as received.
pub struct Head<'a, 'b> {
    /// The request or status line and the headers, as received.
    pub head: &'a [u8],
    pub minor: u8,
    pub method: Option<&'a str>,
    pub url: &'a str,
    pub status: u16,
    pub reason: &'a str,
    pub headers: &'b [httparse::Header<'a>],
    pub flags: u32,
}

/// Where the parser reports a message. An error returned from an event stops the parser
/// (it is then failed) and comes back out of `execute`/`finish`.
pub trait Events {
    /// A message head; returning true skips the body, as for a response to HEAD.
    fn head(&self, head: &Head) -> Result<bool, ParseError>;
    /// Body bytes: `input[start..end]` of the input being executed.
    fn body(&self, input: &[u8], start: usize, end: usize) -> Result<(), ParseError>;
    /// The end of a message with a body, with the raw trailer lines of a chunked one.
    fn complete(&self, trailers: Vec<Vec<u8>>) -> Result<(), ParseError>;
}

pub fn has_token(value: &[u8], token: &str) -> bool {
    value.split(|&b| b == b',').any(|part| part.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

pub struct Parser {
    kind: Kind,
    state: Cell<State>,
    /// Bytes of an unfinished head, chunk-size line or trailer section.
    pending: RefCell<Vec<u8>>,
    max_header_size: usize,
    /// More headers than this (when not 0) is a header overflow, as Node's maxHeadersCount.
    max_headers: Cell<usize>,
    /// Raw trailer lines of the current chunked message.
    trailers: RefCell<Vec<Vec<u8>>>,
}

impl Parser {
    pub fn new(kind: Kind, max_header_size: usize) -> Parser {
        Parser {
            kind,
            state: Cell::new(State::Head),
            pending: RefCell::new(Vec::new()),
            max_header_size,
            max_headers: Cell::new(0),
            trailers: RefCell::new(Vec::new()),
        }
    }

    pub fn set_max_headers(&self, max_headers: usize) {
        self.max_headers.set(max_headers);
    }

    /// Parses `data`; returns how many bytes were consumed (all of them unless the
    /// connection was upgraded) or the error, after which the parser stays failed.
    pub fn execute(&self, events: &dyn Events, data: &[u8]) -> Result<usize, ParseError> {
        let result = self.run(events, data);
        if result.is_err() {
            self.state.set(State::Failed);
        }
        result
    }

    /// The connection ended: a body read until close completes; a message cut short is
    /// `HPE_INVALID_EOF_STATE`.
    pub fn finish(&self, events: &dyn Events) -> Result<(), ParseError> {
        match self.state.get() {
            State::UntilClose => self.complete(events),
            State::Head if self.pending.borrow().is_empty() => Ok(()),
            State::Upgraded | State::Failed => Ok(()),
            _ => Err(fail("HPE_INVALID_EOF_STATE", "Invalid EOF state")),
        }
    }

    fn run(&self, events: &dyn Events, data: &[u8]) -> Result<usize, ParseError> {
        let mut pos = 0;
        while pos < data.len() {
            match self.state.get() {
                State::Failed => return Err(fail("HPE_INVALID_CONSTANT", "Parser is in an error state")),
                State::Upgraded => return Ok(pos),
                State::Head => match self.parse_head(events, &data[pos..])? {
                    Some(used) => pos += used,
                    // Head incomplete: all of the input is now pending.
                    None => return Ok(data.len()),
                },
                State::Body(remaining) => {
                    let take = remaining.min((data.len() - pos) as u64) as usize;
                    self.body(events, data, pos, pos + take)?;
                    pos += take;
                    if remaining == take as u64 {
                        self.complete(events)?;
                    } else {
                        self.state.set(State::Body(remaining - take as u64));
                    }
                }
                State::UntilClose => {
                    self.body(events, data, pos, data.len())?;
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
                    self.body(events, data, pos, pos + take)?;
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
                    let Some(line_end) = self.take_line(&data[pos..], self.max_header_size, "HPE_HEADER_OVERFLOW", "Header overflow")? else {
                        return Ok(data.len());
                    };
                    pos += line_end;
                    let line = std::mem::take(&mut *self.pending.borrow_mut());
                    if line.is_empty() {
                        self.complete(events)?;
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
        let line_end = memchr::memchr(b'\n', data);
        pending.extend_from_slice(&data[..line_end.unwrap_or(data.len())]);
        if line_end.is_some() && pending.last() == Some(&b'\r') {
            pending.pop();
        }
        // The same limit whether the line came whole or in pieces.
        if pending.len() > limit {
            return Err(fail(code, reason));
        }
        Ok(line_end.map(|i| i + 1))
    }

    /// Parses a message head; None when it isn't complete yet (the bytes are kept).
    fn parse_head(&self, events: &dyn Events, data: &[u8]) -> Result<Option<usize>, ParseError> {
        let buffered = self.pending.borrow().len();
        let mut joined;
        let input: &[u8] = if buffered == 0 {
            data
        } else {
            joined = std::mem::take(&mut *self.pending.borrow_mut());
            joined.extend_from_slice(data);
            &joined
        };
        // Skip the empty lines allowed before a request line.
        let mut skip = 0;
        while skip < input.len() && (input[skip] == b'\r' || input[skip] == b'\n') {
            skip += 1;
        }
        // Left uninitialized: filling 256 empty headers per message would cost more than
        // parsing a small head.
        let mut headers = [const { std::mem::MaybeUninit::<httparse::Header>::uninit() }; MAX_HEADERS];
        let head = &input[skip..];
        let parsed = match self.kind {
            Kind::Request => {
                let mut req = httparse::Request::new(&mut []);
                match req.parse_with_uninit_headers(head, &mut headers) {
                    Ok(httparse::Status::Complete(n)) => {
                        let method = req.method.unwrap_or("");
                        if !METHODS.contains(&method) {
                            return Err(fail("HPE_INVALID_METHOD", "Invalid method encountered"));
                        }
                        let head = Head {
                            head: &head[..n],
                            minor: req.version.unwrap_or(1),
                            method: Some(method),
                            url: req.path.unwrap_or(""),
                            status: 0,
                            reason: "",
                            headers: req.headers,
                            flags: 0,
                        };
                        self.on_head(events, head)?;
                        Some(n)
                    }
                    Ok(httparse::Status::Partial) => None,
                    Err(e) => return Err(head_error(e, head, true)),
                }
            }
            Kind::Response => {
                let mut res = httparse::Response::new(&mut []);
                match httparse::ParserConfig::default().parse_response_with_uninit_headers(&mut res, head, &mut headers) {
                    Ok(httparse::Status::Complete(n)) => {
                        let head = Head {
                            head: &head[..n],
                            minor: res.version.unwrap_or(1),
                            method: None,
                            url: "",
                            status: res.code.unwrap_or(0),
                            reason: res.reason.unwrap_or(""),
                            headers: res.headers,
                            flags: 0,
                        };
                        self.on_head(events, head)?;
                        Some(n)
                    }
                    Ok(httparse::Status::Partial) => None,
                    Err(e) => return Err(head_error(e, head, false)),
                }
            }
        };
        match parsed {
            // Of the head's bytes, those that came in this call.
            Some(n) => Ok(Some(skip + n - buffered)),
            None => {
                if head.len() > self.max_header_size {
                    return Err(fail("HPE_HEADER_OVERFLOW", "Header overflow"));
                }
                self.pending.borrow_mut().extend_from_slice(head);
                Ok(None)
            }
        }
    }

    fn on_head(&self, events: &dyn Events, mut info: Head) -> Result<(), ParseError> {
        let head_size: usize = info.headers.iter().map(|h| h.name.len() + h.value.len() + 4).sum::<usize>() + info.url.len();
        let max_headers = self.max_headers.get();
        if head_size > self.max_header_size || (max_headers > 0 && info.headers.len() > max_headers) {
            return Err(fail("HPE_HEADER_OVERFLOW", "Header overflow"));
        }
        let mut content_length: Option<u64> = None;
        let mut chunked = false;
        let mut has_te = false;
        let mut connection_close = false;
        let mut connection_keep_alive = false;
        let mut connection_upgrade = false;
        let mut has_upgrade = false;
        let mut has_host = false;
        let mut has_expect = false;
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
            } else if name.eq_ignore_ascii_case(b"host") {
                has_host = true;
            } else if name.eq_ignore_ascii_case(b"expect") {
                has_expect = true;
            }
        }
        if has_te && content_length.is_some() {
            return Err(fail("HPE_INVALID_TRANSFER_ENCODING", "Transfer-Encoding can't be present with Content-Length"));
        }
        let request = self.kind == Kind::Request;
        if request && has_te && !chunked && info.minor == 1 {
            return Err(fail("HPE_INVALID_TRANSFER_ENCODING", "Request has invalid `Transfer-Encoding`"));
        }
        let mut keep_alive = if info.minor >= 1 { !connection_close } else { connection_keep_alive && !connection_close };
        let is_connect = info.method == Some("CONNECT");
        let upgrade = if request { is_connect || (connection_upgrade && has_upgrade) } else { info.status == 101 };

        let informational = !request && (100..200).contains(&info.status) && info.status != 101;
        let upgraded = upgrade && (request || info.status == 101);
        // Known before the head is reported: this message has no body.
        let complete_now = upgraded
            || (!chunked && content_length == Some(0))
            || if request { !chunked && content_length.is_none() } else { informational || info.status == 204 || info.status == 304 };
        if !request && !complete_now && !chunked && content_length.is_none() {
            // The body runs until the connection closes.
            keep_alive = false;
        }
        info.flags = if upgrade { FLAG_UPGRADE } else { 0 }
            | if keep_alive { FLAG_KEEP_ALIVE } else { 0 }
            | if complete_now { FLAG_COMPLETE } else { 0 }
            | if has_host { FLAG_HOST } else { 0 }
            | if has_expect { FLAG_EXPECT } else { 0 };
        let skip_body = events.head(&info)?;
        if upgraded {
            self.state.set(State::Upgraded);
        } else if complete_now {
            self.state.set(State::Head);
        } else if skip_body {
            self.complete(events)?;
        } else if chunked {
            self.state.set(State::ChunkSize);
        } else if let Some(n) = content_length {
            self.state.set(State::Body(n));
        } else {
            self.state.set(State::UntilClose);
        }
        Ok(())
    }

    fn body(&self, events: &dyn Events, input: &[u8], start: usize, end: usize) -> Result<(), ParseError> {
        if start == end {
            return Ok(());
        }
        events.body(input, start, end)
    }

    fn complete(&self, events: &dyn Events) -> Result<(), ParseError> {
        self.state.set(State::Head);
        events.complete(std::mem::take(&mut *self.trailers.borrow_mut()))
    }
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

/// What a parser reported, with body bytes joined per message so that recordings of the
/// same bytes fed in different pieces compare equal (the fuzz target's oracle).
#[derive(Debug, Default, PartialEq)]
pub struct Recording {
    pub events: RefCell<Vec<Recorded>>,
}

#[derive(Debug, PartialEq)]
pub enum Recorded {
    Head(String),
    Body(Vec<u8>),
    Complete(Vec<Vec<u8>>),
}

impl Events for Recording {
    fn head(&self, head: &Head) -> Result<bool, ParseError> {
        let headers: Vec<String> = head
            .headers
            .iter()
            .map(|h| format!("{}={}", h.name, String::from_utf8_lossy(h.value)))
            .collect();
        self.events.borrow_mut().push(Recorded::Head(format!(
            "1.{} {:?} {:?} {} {:?} flags={} {:?}",
            head.minor, head.method, head.url, head.status, head.reason, head.flags, headers
        )));
        Ok(false)
    }

    fn body(&self, input: &[u8], start: usize, end: usize) -> Result<(), ParseError> {
        assert!(start < end && end <= input.len(), "body slice {start}..{end} outside {} input bytes", input.len());
        let mut events = self.events.borrow_mut();
        match events.last_mut() {
            Some(Recorded::Body(bytes)) => bytes.extend_from_slice(&input[start..end]),
            _ => events.push(Recorded::Body(input[start..end].to_vec())),
        }
        Ok(())
    }

    fn complete(&self, trailers: Vec<Vec<u8>>) -> Result<(), ParseError> {
        self.events.borrow_mut().push(Recorded::Complete(trailers));
        Ok(())
    }
}

/// Feeds `data` to a new parser in the given pieces (split at `cuts`, sorted offsets),
/// then ends the connection; returns the events and the outcome. Feeding stops at the
/// first error or once the connection is upgraded, as the server does.
pub fn record(kind: Kind, max_header_size: usize, data: &[u8], cuts: &[usize]) -> (Vec<Recorded>, Result<(), ParseError>) {
    let parser = Parser::new(kind, max_header_size);
    let recording = Recording::default();
    let mut outcome = Ok(());
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&data.len())) {
        let cut = cut.clamp(from, data.len());
        let piece = &data[from..cut];
        from = cut;
        match parser.execute(&recording, piece) {
            Ok(n) if n < piece.len() => {
                assert!(parser.state.get() == State::Upgraded, "stopped early without an upgrade");
                outcome = Err(fail("UPGRADED", ""));
                break;
            }
            Ok(_) => {}
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    if outcome.is_ok() {
        outcome = parser.finish(&recording);
    }
    (recording.events.into_inner(), outcome)
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

    #[test]
    fn pieces_do_not_change_what_is_parsed() {
        let request = b"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
        let (whole, outcome) = record(Kind::Request, 16384, request, &[]);
        assert_eq!(outcome, Ok(()));
        assert_eq!(whole.len(), 4, "{whole:?}");
        assert_eq!(whole[1], Recorded::Body(b"abc".to_vec()));
        assert_eq!(whole[2], Recorded::Complete(vec![b"X-T: 1".to_vec()]));
        for cut in 0..request.len() {
            check(request, &[cut]);
        }
    }

    /// Inputs the fuzzer found (fuzz/regressions) parse the same in any two pieces.
    /// The flags of the first message head recorded.
    fn head_flags(events: &[Recorded]) -> u32 {
        let Some(Recorded::Head(head)) = events.first() else { panic!("no head in {events:?}") };
        head.split("flags=").nth(1).and_then(|rest| rest.split(' ').next()).unwrap().parse().unwrap()
    }

    #[test]
    fn host_and_expect_headers_are_flagged() {
        let (events, _) = record(Kind::Request, 16384, b"GET / HTTP/1.1\r\nhOST: a\r\nExpect: x\r\n\r\n", &[]);
        assert_eq!(head_flags(&events) & (FLAG_HOST | FLAG_EXPECT), FLAG_HOST | FLAG_EXPECT);
        let (events, _) = record(Kind::Request, 16384, b"GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", &[]);
        assert_eq!(head_flags(&events) & (FLAG_HOST | FLAG_EXPECT), 0);
    }

    #[test]
    fn more_headers_than_the_limit_overflow() {
        let parser = Parser::new(Kind::Request, 16384);
        parser.set_max_headers(2);
        let two = b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
        assert_eq!(parser.execute(&Recording::default(), two), Ok(two.len()));
        let three = b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        assert_eq!(parser.execute(&Recording::default(), three).map_err(|e| e.code), Err("HPE_HEADER_OVERFLOW"));
    }

    #[test]
    fn fuzz_regressions() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let data = std::fs::read(entry.path()).unwrap();
            check_pieces(&data);
        }
    }

    fn check_pieces(data: &[u8]) {
        for cut in 0..=data.len() {
            check(data, &[cut]);
        }
    }
}

/// The fuzz target's property, for `data` fed in pieces cut at `cuts`: nothing panics,
/// and the pieces parse as the whole does. (With a small header limit only the first
/// holds: an unfinished head is measured by its raw size, a finished one as llhttp
/// counts, so a head near the limit may overflow in pieces and not whole.)
pub fn check(data: &[u8], cuts: &[usize]) {
    for kind in [Kind::Request, Kind::Response] {
        assert_eq!(record(kind, 1 << 20, data, cuts), record(kind, 1 << 20, data, &[]), "{kind:?} cut at {cuts:?}");
        let _ = record(kind, 64, data, cuts);
    }
}
