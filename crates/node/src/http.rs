//! node:http's native side: the binding of the HTTP/1.x message parser (`http/parser.rs`).
//!
//! A parser is fed bytes with `execute` and reports through the callbacks registered with
//! `setHttpCallbacks`: `onHeaders(owner, head, minor, status, flags, headerCount)`,
//! `onBody(owner, start, end)` (a slice of the input being executed) and
//! `onComplete(owner, rawTrailers | undefined)`. To keep each
//! message to one call into JS, the head arrives as one latin1 string and the positions of
//! its parts in the shared `offsets` array: method, url, status text, then name and value
//! of each header (start, end pairs). `flags`: 1 upgrade, 2 keep-alive, 4 the message has
//! no body and is complete (no `onComplete` follows), 8 it has a Host header, 16 an Expect
//! header. `onHeaders` returning true skips the body, as for a response to HEAD.

pub mod parser;

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use parser::{fail, Events, Head, Kind, ParseError, Parser, MAX_HEADERS, METHODS};
use std::cell::{Cell, RefCell};

/// Slots of the shared offsets array: method, url and status text, then a header each.
const OFFSET_SLOTS: usize = 6 + 4 * MAX_HEADERS;

thread_local! {
    static OFFSETS: &'static [Cell<f64>] = Box::leak((0..OFFSET_SLOTS).map(|_| Cell::new(0.0)).collect::<Vec<_>>().into_boxed_slice());
    static CALLBACKS: RefCell<Option<[Protected; 3]>> = const { RefCell::new(None) };
    /// What a callback threw, rethrown by `execute`/`finish`.
    static THROWN: RefCell<Option<Protected>> = const { RefCell::new(None) };
}

/// A parser as JS holds it: the parser, the object its callbacks receive, its last error.
struct HttpParser {
    parser: Parser,
    owner: RefCell<Option<Protected>>,
    error: RefCell<Option<(ParseError, usize)>>,
}

fn callback(ctx: Ctx, i: usize) -> JsResult<Object> {
    CALLBACKS
        .with(|c| c.borrow().as_ref().map(|cbs| cbs[i].value()))
        .ok_or_else(|| ctx.error("http callbacks not set"))?
        .expect_object()
}

/// Header bytes are latin1 to JS, as llhttp's strings in Node.
fn latin1(ctx: Ctx, bytes: &[u8]) -> Value {
    ctx.latin1_string(bytes)
}

/// A callback threw: the parser stops, and `execute` rethrows it.
fn js_error(e: Value) -> ParseError {
    THROWN.with(|t| *t.borrow_mut() = Some(e.protect()));
    fail("JS", "")
}

/// The parser's events, as calls to the JS callbacks with the parser's owner.
struct JsEvents<'a> {
    ctx: Ctx,
    parser: &'a HttpParser,
}

impl JsEvents<'_> {
    /// Read at each call: a callback may close the parser.
    fn owner(&self) -> Value {
        self.parser.owner.borrow().as_ref().map_or_else(|| self.ctx.undefined(), |p| p.value())
    }
}

impl Events for JsEvents<'_> {
    fn head(&self, info: &Head) -> Result<bool, ParseError> {
        let ctx = self.ctx;
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
            let args = [
                self.owner(),
                latin1(ctx, info.head),
                ctx.number(info.minor as f64),
                ctx.number(info.status as f64),
                ctx.number(info.flags as f64),
                ctx.number(info.headers.len() as f64),
            ];
            callback(ctx, 0).and_then(|f| f.call(None, &args))
        });
        result.map(|v| v.to_boolean()).map_err(js_error)
    }

    /// Body bytes go by their place in the input, which JS slices without a copy.
    fn body(&self, _input: &[u8], start: usize, end: usize) -> Result<(), ParseError> {
        let ctx = self.ctx;
        let args = [self.owner(), ctx.number(start as f64), ctx.number(end as f64)];
        callback(ctx, 1).and_then(|f| f.call(None, &args)).map(|_| ()).map_err(js_error)
    }

    fn complete(&self, trailers: Vec<Vec<u8>>) -> Result<(), ParseError> {
        let ctx = self.ctx;
        let result = (|| -> JsResult<()> {
            let trailers = if trailers.is_empty() { ctx.undefined() } else { raw_trailers(ctx, &trailers)? };
            callback(ctx, 2)?.call(None, &[self.owner(), trailers])?;
            Ok(())
        })();
        result.map_err(js_error)
    }
}

/// `[name, value, ...]` of trailer lines `Name: value` (lines without a colon are dropped).
fn raw_trailers(ctx: Ctx, lines: &[Vec<u8>]) -> JsResult<Value> {
    let mut raw = jsc::ArrayBuilder::new(ctx)?;
    for line in lines {
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            raw.push(latin1(ctx, line[..colon].trim_ascii()))?;
            raw.push(latin1(ctx, line[colon + 1..].trim_ascii()))?;
        }
    }
    Ok(raw.value())
}

fn parser_of(args: &Args) -> JsResult<std::rc::Rc<HttpParser>> {
    args.get(0).wrapped::<std::rc::Rc<HttpParser>>().cloned().ok_or_else(|| args.ctx.error("not an HTTP parser"))
}

/// `createParser(kind 0 request | 1 response, maxHeaderSize, owner, maxHeaders)`:
/// maxHeaders 0 for no limit but the parser's own.
fn create_parser(args: &Args) -> JsResult<Value> {
    let kind = if args.number(0)? == 1.0 { Kind::Response } else { Kind::Request };
    let parser = Parser::new(kind, args.number(1)? as usize);
    parser.set_max_headers(args.number(3)? as usize);
    let parser = HttpParser {
        parser,
        owner: RefCell::new(Some(args.get(2).protect())),
        error: RefCell::new(None),
    };
    Ok(args.ctx.wrap(std::rc::Rc::new(parser)).value())
}

/// A parse failure: a callback's exception is rethrown; a parse error is kept for
/// `lastError` and reported as -1.
fn failure(args: &Args, parser: &HttpParser, e: ParseError, bytes_parsed: usize) -> JsResult<Value> {
    if e.code == "JS" {
        return Err(THROWN.with(|t| t.borrow_mut().take()).map_or_else(|| args.ctx.undefined(), |p| p.value()));
    }
    *parser.error.borrow_mut() = Some((e, bytes_parsed));
    Ok(args.ctx.number(-1.0))
}

/// `execute(parser, bytes)` → bytes consumed, or -1 after an error (see `lastError`).
/// Exceptions thrown by the callbacks propagate.
fn execute(args: &Args) -> JsResult<Value> {
    let parser = parser_of(args)?;
    let data = args.get(1);
    // The callbacks may run JS, so parse a private copy rather than the JS-owned bytes.
    let bytes = data.bytes().map(|b| b.to_vec()).ok_or_else(|| args.ctx.error("execute: not a byte view"))?;
    match parser.parser.execute(&JsEvents { ctx: args.ctx, parser: &parser }, &bytes) {
        Ok(n) => Ok(args.ctx.number(n as f64)),
        Err(e) => failure(args, &parser, e, bytes.len()),
    }
}

/// `finish(parser)`: the connection ended. A body read until close completes; a message
/// cut short is an error (-1).
fn finish(args: &Args) -> JsResult<Value> {
    let parser = parser_of(args)?;
    match parser.parser.finish(&JsEvents { ctx: args.ctx, parser: &parser }) {
        Ok(()) => Ok(args.ctx.number(0.0)),
        Err(e) => failure(args, &parser, e, 0),
    }
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
    b.set("methods", ctx.array_from(METHODS.iter().map(|m| Ok(ctx.string(m))))?.value())?;
    Ok(b)
}
