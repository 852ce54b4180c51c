//! Ops behind node:zlib: one native engine per stream (zlib deflate/inflate through
//! zlib-rs, the brotli C library, zstd). js/zlib.js validates options, so the ops assume valid input.
//!
//! A write feeds a whole chunk with one flush mode and runs the engine the way Node's
//! handle does: the first call gets the free space left in the stream's current output
//! buffer, every further call a fresh `chunkSize` buffer, until a call leaves space
//! free. All output lands in one Vec; JS cuts it at the same buffer boundaries.
//! Writes run inline (`write`) or on the thread pool (`writeAsync`).

mod brotli;

use jsc::{Args, Ctx, JsResult, Object, Value};
use std::sync::{Arc, Mutex};
use zlib_rs::{Deflate, DeflateConfig, DeflateFlush, Inflate, InflateError, InflateFlush, Status, Strategy};
use zstd::zstd_safe::{self, CCtx, CParameter, DCtx, DParameter, InBuffer, OutBuffer, ResetDirective};

// Node's mode numbers (zlib.constants); the others (INFLATE 2, BROTLI_DECODE 8,
// ZSTD_DECOMPRESS 11) are what remains.
const DEFLATE: i32 = 1;
const GZIP: i32 = 3;
const GUNZIP: i32 = 4;
const DEFLATERAW: i32 = 5;
const INFLATERAW: i32 = 6;
const UNZIP: i32 = 7;
const BROTLI_ENCODE: i32 = 9;
const ZSTD_COMPRESS: i32 = 10;

const Z_FINISH: i32 = 4;
const Z_NEED_DICT: i32 = 2;
const Z_BUF_ERROR: i32 = -5;
const BROTLI_OPERATION_FINISH: i32 = 2;

/// A failed write as Node reports it: message and errno (JS derives `code` from both).
#[derive(Debug, PartialEq)]
struct Failure {
    message: String,
    errno: i32,
}

impl Failure {
    fn new(message: &str, errno: i32) -> Failure {
        Failure { message: message.to_string(), errno }
    }
}

/// What one engine call did.
struct Step {
    consumed: usize,
    produced: usize,
}

/// zlib settings, kept to rebuild the engine on reset.
#[derive(Clone)]
struct ZlibConfig {
    mode: i32,
    level: i32,
    window_bits: i32,
    mem_level: i32,
    strategy: i32,
    dictionary: Vec<u8>,
}

enum ZlibCodec {
    Deflate(Deflate),
    Inflate(Inflate),
}

struct Zlib {
    config: ZlibConfig,
    codec: ZlibCodec,
    /// Unzip: how many bytes of the gzip magic have been seen (2 means it is gzip).
    gzip_magic_seen: u8,
    /// Unzip turned out to be gzip, so concatenated members are read as Gunzip does.
    is_gzip: bool,
}

fn zlib_strategy(n: i32) -> Strategy {
    Strategy::try_from(n).unwrap_or_default()
}

impl Zlib {
    fn new(config: ZlibConfig) -> Result<Zlib, Failure> {
        let codec = Zlib::codec(&config)?;
        Ok(Zlib { is_gzip: config.mode == GUNZIP, config, codec, gzip_magic_seen: 0 })
    }

    fn codec(c: &ZlibConfig) -> Result<ZlibCodec, Failure> {
        let wb = c.window_bits;
        Ok(match c.mode {
            DEFLATE | GZIP | DEFLATERAW => {
                // zlib silently raises a window of 8 to 9 when deflating.
                let wb = wb.max(9);
                let window_bits = match c.mode {
                    GZIP => wb + 16,
                    DEFLATERAW => -wb,
                    _ => wb,
                };
                let config = DeflateConfig {
                    level: c.level,
                    window_bits,
                    mem_level: c.mem_level,
                    strategy: zlib_strategy(c.strategy),
                    ..DeflateConfig::default()
                };
                let mut deflate = Deflate::new_with_config(config);
                if !c.dictionary.is_empty() && c.mode != GZIP {
                    deflate.set_dictionary(&c.dictionary).map_err(|_| Failure::new("Failed to set dictionary", -2))?;
                }
                ZlibCodec::Deflate(deflate)
            }
            _ => {
                let (header, bits) = match c.mode {
                    GUNZIP => (true, wb + 16),
                    UNZIP => (true, wb + 32),
                    INFLATERAW => (false, wb),
                    _ => (true, wb),
                };
                let mut inflate = Inflate::new(header, bits as u8);
                if c.mode == INFLATERAW && !c.dictionary.is_empty() {
                    inflate.set_dictionary(&c.dictionary).map_err(|_| Failure::new("Failed to set dictionary", -2))?;
                }
                ZlibCodec::Inflate(inflate)
            }
        })
    }

    fn reset(&mut self) -> Result<(), Failure> {
        self.codec = Zlib::codec(&self.config)?;
        self.gzip_magic_seen = 0;
        self.is_gzip = self.config.mode == GUNZIP;
        Ok(())
    }

    fn step(&mut self, input: &[u8], output: &mut [u8], flush: i32) -> Result<Step, Failure> {
        match &mut self.codec {
            ZlibCodec::Deflate(d) => {
                let (in0, out0) = (d.total_in(), d.total_out());
                let flush = match flush {
                    1 => DeflateFlush::PartialFlush,
                    2 => DeflateFlush::SyncFlush,
                    3 => DeflateFlush::FullFlush,
                    4 => DeflateFlush::Finish,
                    5 => DeflateFlush::Block,
                    _ => DeflateFlush::NoFlush,
                };
                d.compress(input, output, flush).map_err(|e| Failure::new(e.as_str(), e as i32))?;
                Ok(Step { consumed: (d.total_in() - in0) as usize, produced: (d.total_out() - out0) as usize })
            }
            ZlibCodec::Inflate(_) => self.inflate_step(input, output, flush),
        }
    }

    /// One inflate call as Node makes it: supplies the dictionary when asked for, and
    /// reads further gzip members when non-zero bytes follow one that ended.
    fn inflate_step(&mut self, input: &[u8], output: &mut [u8], flush: i32) -> Result<Step, Failure> {
        if self.config.mode == UNZIP && !self.is_gzip {
            self.note_gzip_magic(input);
        }
        let inflate_flush = match flush {
            4 => InflateFlush::Finish,
            5 => InflateFlush::Block,
            0 => InflateFlush::NoFlush,
            _ => InflateFlush::SyncFlush,
        };
        let (mut consumed, mut produced) = (0, 0);
        loop {
            let ZlibCodec::Inflate(inf) = &mut self.codec else { unreachable!("inflate engine") };
            let (in0, out0) = (inf.total_in(), inf.total_out());
            let mut result = inf.decompress(&input[consumed..], &mut output[produced..], inflate_flush);
            if let Err(InflateError::NeedDict { .. }) = result {
                if self.config.dictionary.is_empty() {
                    return Err(Failure::new("Missing dictionary", Z_NEED_DICT));
                }
                if inf.set_dictionary(&self.config.dictionary).is_err() {
                    return Err(Failure::new("Bad dictionary", Z_NEED_DICT));
                }
                let (i, o) = ((inf.total_in() - in0) as usize, (inf.total_out() - out0) as usize);
                result = inf.decompress(&input[consumed + i..], &mut output[produced + o..], inflate_flush);
            }
            consumed += (inf.total_in() - in0) as usize;
            produced += (inf.total_out() - out0) as usize;
            let status = match result {
                Ok(status) => status,
                Err(e) => {
                    let message = inf.error_message().unwrap_or(e.as_str()).to_string();
                    return Err(Failure { message, errno: inflate_errno(e) });
                }
            };
            let more_members = status == Status::StreamEnd
                && self.is_gzip
                && consumed < input.len()
                && input[consumed] != 0;
            if !more_members {
                let output_free = produced < output.len();
                if status != Status::StreamEnd && output_free && flush == Z_FINISH {
                    return Err(Failure::new("unexpected end of file", Z_BUF_ERROR));
                }
                return Ok(Step { consumed, produced });
            }
            self.codec = Zlib::codec(&self.config)?;
        }
    }

    fn note_gzip_magic(&mut self, input: &[u8]) {
        const MAGIC: [u8; 2] = [0x1f, 0x8b];
        for &byte in input.iter().take(2) {
            match self.gzip_magic_seen {
                0 | 1 if byte == MAGIC[self.gzip_magic_seen as usize] => self.gzip_magic_seen += 1,
                0 | 1 => self.gzip_magic_seen = 3, // not gzip
                _ => break,
            }
        }
        self.is_gzip = self.gzip_magic_seen == 2;
    }
}

/// zlib's return code for an inflate error, which Node reports as `errno`.
fn inflate_errno(e: InflateError) -> i32 {
    match e {
        InflateError::NeedDict { .. } => Z_NEED_DICT,
        InflateError::StreamError => -2,
        InflateError::DataError => -3,
        InflateError::MemError => -4,
    }
}

struct ZstdEncoder {
    cctx: CCtx<'static>,
}

enum Engine {
    Zlib(Zlib),
    BrotliEncode(brotli::Encoder),
    BrotliDecode(brotli::Decoder),
    ZstdCompress(ZstdEncoder),
    ZstdDecompress(DCtx<'static>),
}

fn zstd_failure(code: usize) -> Failure {
    // zstd error results are the negated error code.
    Failure { message: zstd_safe::get_error_name(code).to_string(), errno: code.wrapping_neg() as i32 }
}

impl Engine {
    fn step(&mut self, input: &[u8], output: &mut [u8], flush: i32) -> Result<Step, Failure> {
        match self {
            Engine::Zlib(z) => z.step(input, output, flush),
            Engine::BrotliEncode(enc) => match enc.step(input, output, flush) {
                Some((consumed, produced)) => Ok(Step { consumed, produced }),
                None => Err(Failure::new("Compression failed", -1)),
            },
            Engine::BrotliDecode(dec) => match dec.step(input, output) {
                brotli::Decoded::Error(code) => Err(Failure::new("Decompression failed", code)),
                brotli::Decoded::Progress { needs_input: true, .. } if flush == BROTLI_OPERATION_FINISH => {
                    Err(Failure::new("unexpected end of file", Z_BUF_ERROR))
                }
                brotli::Decoded::Progress { consumed, produced, .. } => Ok(Step { consumed, produced }),
            },
            Engine::ZstdCompress(enc) => {
                let directive = match flush {
                    1 => zstd_safe::zstd_sys::ZSTD_EndDirective::ZSTD_e_flush,
                    2 => zstd_safe::zstd_sys::ZSTD_EndDirective::ZSTD_e_end,
                    _ => zstd_safe::zstd_sys::ZSTD_EndDirective::ZSTD_e_continue,
                };
                let mut inb = InBuffer::around(input);
                let mut outb = OutBuffer::around(output);
                enc.cctx.compress_stream2(&mut outb, &mut inb, directive).map_err(zstd_failure)?;
                Ok(Step { consumed: inb.pos(), produced: outb.pos() })
            }
            Engine::ZstdDecompress(dctx) => {
                let mut inb = InBuffer::around(input);
                let mut outb = OutBuffer::around(output);
                dctx.decompress_stream(&mut outb, &mut inb).map_err(zstd_failure)?;
                Ok(Step { consumed: inb.pos(), produced: outb.pos() })
            }
        }
    }

    fn reset(&mut self) -> Result<(), Failure> {
        match self {
            Engine::Zlib(z) => z.reset()?,
            Engine::BrotliEncode(enc) => {
                *enc = enc.renewed().map_err(|_| Failure::new("Initialization failed", -1))?
            }
            Engine::BrotliDecode(dec) => {
                *dec = dec.renewed().map_err(|_| Failure::new("Initialization failed", -1))?
            }
            Engine::ZstdCompress(enc) => {
                enc.cctx.reset(ResetDirective::SessionOnly).map_err(zstd_failure)?;
            }
            Engine::ZstdDecompress(dctx) => {
                dctx.reset(ResetDirective::SessionOnly).map_err(zstd_failure)?;
            }
        }
        Ok(())
    }
}

/// The outcome of a write.
#[derive(Debug, Default)]
struct Written {
    output: Vec<u8>,
    /// Input bytes the engine did not take (it stopped at the end of its stream).
    unconsumed: usize,
    /// Free space left in the last output buffer.
    free: usize,
    failure: Option<Failure>,
    /// The output passed the caller's limit (maxOutputLength).
    too_large: bool,
}

/// Runs `engine` over `input` with Node's buffer sizes (see the module comment).
fn write(engine: &mut Engine, input: &[u8], flush: i32, free: usize, chunk_size: usize, limit: usize) -> Written {
    let mut out = Written { free, ..Written::default() };
    let mut pos = 0;
    loop {
        if out.free == 0 {
            out.free = chunk_size;
        }
        let start = out.output.len();
        out.output.resize(start + out.free, 0);
        let result = engine.step(&input[pos..], &mut out.output[start..], flush);
        let step = match result {
            Ok(step) => step,
            Err(failure) => {
                out.output.truncate(start);
                out.failure = Some(failure);
                break;
            }
        };
        out.output.truncate(start + step.produced);
        pos += step.consumed;
        out.free -= step.produced;
        if out.output.len() > limit {
            out.too_large = true;
            break;
        }
        // A call that leaves output space has taken all the input it will take.
        if out.free > 0 || (step.produced == 0 && step.consumed == 0) {
            break;
        }
    }
    out.unconsumed = input.len() - pos;
    out
}

/// The JS-side handle: the engine, shared with thread-pool jobs.
struct Handle {
    engine: Arc<Mutex<Option<Engine>>>,
}

fn handle(args: &Args, i: usize) -> JsResult<Arc<Mutex<Option<Engine>>>> {
    let v = args.get(i);
    match v.wrapped::<Handle>() {
        Some(h) => Ok(h.engine.clone()),
        None => Err(args.ctx.error("zlib: not a zlib handle")),
    }
}

fn bytes_of(v: Value) -> Vec<u8> {
    v.bytes().map(|b| b.to_vec()).unwrap_or_default()
}

fn init_failed(ctx: Ctx, message: &str) -> Value {
    let err = ctx.error(message);
    if let Some(o) = err.as_object() {
        let _ = o.set("code", ctx.string("ERR_ZLIB_INITIALIZATION_FAILED"));
    }
    err
}

fn wrap_engine(ctx: Ctx, engine: Engine) -> Value {
    ctx.wrap(Handle { engine: Arc::new(Mutex::new(Some(engine))) }).value()
}

/// `createZlib(mode, level, windowBits, memLevel, strategy, dictionary?)`
fn create_zlib(args: &Args) -> JsResult<Value> {
    let int = |i| -> JsResult<i32> { Ok(args.number(i)? as i32) };
    let config = ZlibConfig {
        mode: int(0)?,
        level: int(1)?,
        window_bits: int(2)?,
        mem_level: int(3)?,
        strategy: int(4)?,
        dictionary: bytes_of(args.get(5)),
    };
    match Zlib::new(config) {
        Ok(z) => Ok(wrap_engine(args.ctx, Engine::Zlib(z))),
        Err(f) => Err(init_failed(args.ctx, &f.message)),
    }
}

/// The brotli parameters JS collected, as a flat [key, value, key, value...] array.
fn param_pairs(args: &Args, i: usize) -> JsResult<Vec<(u32, i64)>> {
    let Some(list) = args.get(i).as_object() else { return Ok(Vec::new()) };
    let len = list.get("length")?.to_number()? as u32;
    let mut pairs = Vec::new();
    for k in (0..len).step_by(2) {
        pairs.push((list.get_index(k)?.to_number()? as u32, list.get_index(k + 1)?.to_number()? as i64));
    }
    Ok(pairs)
}

/// `createBrotli(mode, params, dictionary?)`: throws Node's initialization error for a parameter the
/// encoder or decoder rejects.
fn create_brotli(args: &Args) -> JsResult<Value> {
    let mode = args.number(0)? as i32;
    let params = param_pairs(args, 1)?.into_iter().map(|(key, value)| (key, value as u32)).collect();
    let dictionary = bytes_of(args.get(2));
    let engine = if mode == BROTLI_ENCODE {
        brotli::Encoder::new(params, dictionary).map(Engine::BrotliEncode)
    } else {
        brotli::Decoder::new(params, dictionary).map(Engine::BrotliDecode)
    };
    match engine {
        Ok(engine) => Ok(wrap_engine(args.ctx, engine)),
        Err(brotli::InitFailed) => Err(init_failed(args.ctx, "Initialization failed")),
    }
}

fn zstd_c_parameter(key: u32, value: i64) -> Option<CParameter> {
    use zstd_safe::zstd_sys::ZSTD_strategy as S;
    let v = value as u32;
    Some(match key {
        100 => CParameter::CompressionLevel(value as i32),
        101 => CParameter::WindowLog(v),
        102 => CParameter::HashLog(v),
        103 => CParameter::ChainLog(v),
        104 => CParameter::SearchLog(v),
        105 => CParameter::MinMatch(v),
        106 => CParameter::TargetLength(v),
        107 => CParameter::Strategy(match value {
            1 => S::ZSTD_fast,
            2 => S::ZSTD_dfast,
            3 => S::ZSTD_greedy,
            4 => S::ZSTD_lazy,
            5 => S::ZSTD_lazy2,
            6 => S::ZSTD_btlazy2,
            7 => S::ZSTD_btopt,
            8 => S::ZSTD_btultra,
            9 => S::ZSTD_btultra2,
            _ => return None,
        }),
        160 => CParameter::EnableLongDistanceMatching(value != 0),
        161 => CParameter::LdmHashLog(v),
        162 => CParameter::LdmMinMatch(v),
        163 => CParameter::LdmBucketSizeLog(v),
        164 => CParameter::LdmHashRateLog(v),
        200 => CParameter::ContentSizeFlag(value != 0),
        201 => CParameter::ChecksumFlag(value != 0),
        202 => CParameter::DictIdFlag(value != 0),
        400 => CParameter::NbWorkers(v),
        401 => CParameter::JobSize(v),
        402 => CParameter::OverlapSizeLog(v),
        _ => return None,
    })
}

/// `createZstd(mode, params, dictionary?)`
fn create_zstd(args: &Args) -> JsResult<Value> {
    let mode = args.number(0)? as i32;
    let pairs = param_pairs(args, 1)?;
    let dictionary = bytes_of(args.get(2));
    let failed = || init_failed(args.ctx, "Setting parameter failed");
    let engine = if mode == ZSTD_COMPRESS {
        let mut cctx = CCtx::try_create().ok_or_else(|| init_failed(args.ctx, "Could not initialize zstd instance"))?;
        for (key, value) in pairs {
            let param = zstd_c_parameter(key, value).ok_or_else(failed)?;
            let result = cctx.set_parameter(param);
            // This zstd is built without threads: Node's takes the worker settings, so they
            // are accepted here and compression stays single-threaded.
            let threading = matches!(param, CParameter::NbWorkers(_) | CParameter::JobSize(_) | CParameter::OverlapSizeLog(_));
            if result.is_err() && !threading {
                return Err(failed());
            }
        }
        if !dictionary.is_empty() {
            cctx.load_dictionary(&dictionary).map_err(|_| init_failed(args.ctx, "Failed to set dictionary"))?;
        }
        Engine::ZstdCompress(ZstdEncoder { cctx })
    } else {
        let mut dctx = DCtx::try_create().ok_or_else(|| init_failed(args.ctx, "Could not initialize zstd instance"))?;
        for (key, value) in pairs {
            if key != 100 {
                return Err(failed());
            }
            dctx.set_parameter(DParameter::WindowLogMax(value as u32)).map_err(|_| failed())?;
        }
        if !dictionary.is_empty() {
            dctx.load_dictionary(&dictionary).map_err(|_| init_failed(args.ctx, "Failed to set dictionary"))?;
        }
        Engine::ZstdDecompress(dctx)
    };
    Ok(wrap_engine(args.ctx, engine))
}

/// `[output, unconsumed, free, errorMessage, errno]`; output is null when empty, and
/// errno is the string 'too large' when the output passed the limit.
fn written_to_js(ctx: Ctx, w: Written) -> JsResult<Value> {
    let output = if w.output.is_empty() { ctx.null() } else { ctx.uint8_array(w.output)?.value() };
    let (message, errno) = match (&w.failure, w.too_large) {
        (_, true) => (ctx.undefined(), ctx.string("too large")),
        (Some(f), _) => (ctx.string(&f.message), ctx.number(f.errno as f64)),
        _ => (ctx.undefined(), ctx.undefined()),
    };
    Ok(ctx.array(&[output, ctx.number(w.unconsumed as f64), ctx.number(w.free as f64), message, errno])?.value())
}

fn closed() -> Written {
    Written { failure: Some(Failure::new("zlib binding closed", -2)), ..Written::default() }
}

fn limit_arg(args: &Args, i: usize) -> JsResult<usize> {
    let v = args.get(i);
    Ok(if v.is_number() { v.to_number()?.min(usize::MAX as f64) as usize } else { usize::MAX })
}

/// `write(handle, flush, input, free, chunkSize, limit?)`
fn write_sync(args: &Args) -> JsResult<Value> {
    let engine = handle(args, 0)?;
    let flush = args.number(1)? as i32;
    let (free, chunk_size, limit) = (args.number(3)? as usize, args.number(4)? as usize, limit_arg(args, 5)?);
    let input = args.get(2);
    let mut guard = engine.lock().unwrap_or_else(|e| e.into_inner());
    let written = match guard.as_mut() {
        Some(engine) => write(engine, input.bytes().map(|b| &*b).unwrap_or(&[]), flush, free, chunk_size, limit),
        None => closed(),
    };
    drop(guard);
    written_to_js(args.ctx, written)
}

/// `writeAsync(handle, flush, input, free, chunkSize, limit, finishFlush, callback)`: the
/// same on the thread pool, followed by an empty write with `finishFlush` when that is a
/// number; `callback(result)` gets what `write` returns.
fn write_async(args: &Args) -> JsResult<Value> {
    let engine = handle(args, 0)?;
    let flush = args.number(1)? as i32;
    let input = bytes_of(args.get(2));
    let (free, chunk_size, limit) = (args.number(3)? as usize, args.number(4)? as usize, limit_arg(args, 5)?);
    let finish = args.get(6);
    let finish = if finish.is_number() { Some(finish.to_number()? as i32) } else { None };
    let callback = args.get(7).protect();
    runtime::event_loop::spawn_blocking(
        move || {
            let mut guard = engine.lock().unwrap_or_else(|e| e.into_inner());
            let Some(engine) = guard.as_mut() else { return closed() };
            let mut written = write(engine, &input, flush, free, chunk_size, limit);
            if let (Some(finish), None, false) = (finish, &written.failure, written.too_large) {
                let rest = write(engine, &[], finish, written.free, chunk_size, limit - written.output.len());
                written.output.extend_from_slice(&rest.output);
                written.free = rest.free;
                written.failure = rest.failure;
                written.too_large = rest.too_large;
            }
            written
        },
        move |ctx, written| {
            let result = written_to_js(ctx, written)?;
            callback.object().expect("callback").call(None, &[result])?;
            Ok(())
        },
    );
    Ok(args.ctx.undefined())
}

/// `params(handle, level, strategy)`: deflate only, as zlib's deflateParams (the vendored
/// zlib-rs's `set_params`) for the input that follows.
fn params(args: &Args) -> JsResult<Value> {
    let engine = handle(args, 0)?;
    let (level, strategy) = (args.number(1)? as i32, args.number(2)? as i32);
    let mut guard = engine.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(Engine::Zlib(z)) = guard.as_mut() {
        let fresh = matches!(&z.codec, ZlibCodec::Deflate(d) if d.total_in() == 0);
        z.config.level = level;
        z.config.strategy = strategy;
        if fresh {
            z.codec = Zlib::codec(&z.config).map_err(|f| init_failed(args.ctx, &f.message))?;
        } else if let ZlibCodec::Deflate(d) = &mut z.codec {
            let _ = d.set_params(level, zlib_strategy(strategy));
        }
    }
    Ok(args.ctx.undefined())
}

fn reset(args: &Args) -> JsResult<Value> {
    let engine = handle(args, 0)?;
    let mut guard = engine.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(engine) = guard.as_mut() {
        engine.reset().map_err(|f| init_failed(args.ctx, &f.message))?;
    }
    Ok(args.ctx.undefined())
}

/// Frees the engine now rather than when the handle is collected.
fn close(args: &Args) -> JsResult<Value> {
    let engine = handle(args, 0)?;
    engine.lock().unwrap_or_else(|e| e.into_inner()).take();
    Ok(args.ctx.undefined())
}

/// `crc32(bytes, start)`: strings arrive as Buffers.
fn crc32(args: &Args) -> JsResult<Value> {
    let start = args.number(1)? as u32;
    let crc = zlib_rs::crc32::crc32(start, args.get(0).bytes().map(|b| &*b).unwrap_or(&[]));
    Ok(args.ctx.number(crc as f64))
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("createZlib", create_zlib)?;
    b.set_function("createBrotli", create_brotli)?;
    b.set_function("createZstd", create_zstd)?;
    b.set_function("write", write_sync)?;
    b.set_function("writeAsync", write_async)?;
    b.set_function("params", params)?;
    b.set_function("reset", reset)?;
    b.set_function("close", close)?;
    b.set_function("crc32", crc32)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFLATE: i32 = 2;

    fn zlib(mode: i32, level: i32) -> Engine {
        let config = ZlibConfig { mode, level, window_bits: 15, mem_level: 8, strategy: 0, dictionary: Vec::new() };
        Engine::Zlib(Zlib::new(config).unwrap())
    }

    #[test]
    fn deflate_round_trip_with_small_buffers() {
        let input: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8 ^ (i / 1000) as u8).collect();
        let packed = write(&mut zlib(DEFLATE, 6), &input, Z_FINISH, 64, 64, usize::MAX);
        assert!(packed.failure.is_none());
        let unpacked = write(&mut zlib(INFLATE, 0), &packed.output, Z_FINISH, 64, 64, usize::MAX);
        assert_eq!(unpacked.output, input);
        assert_eq!(unpacked.unconsumed, 0);
    }

    #[test]
    fn truncated_inflate_is_unexpected_end() {
        let packed = write(&mut zlib(DEFLATE, 6), b"hello world", Z_FINISH, 16384, 16384, usize::MAX);
        let w = write(&mut zlib(INFLATE, 0), &packed.output[..5], Z_FINISH, 16384, 16384, usize::MAX);
        assert_eq!(w.failure, Some(Failure::new("unexpected end of file", Z_BUF_ERROR)));
    }

    #[test]
    fn gunzip_reads_concatenated_members() {
        let mut both = write(&mut zlib(GZIP, 6), b"abc", Z_FINISH, 16384, 16384, usize::MAX).output;
        both.extend(write(&mut zlib(GZIP, 6), b"def", Z_FINISH, 16384, 16384, usize::MAX).output);
        let w = write(&mut zlib(UNZIP, 0), &both, Z_FINISH, 16384, 16384, usize::MAX);
        assert_eq!(w.output, b"abcdef");
    }

    #[test]
    fn limit_stops_output() {
        let w = write(&mut zlib(INFLATE, 0), &write(&mut zlib(DEFLATE, 6), &[7; 1000], Z_FINISH, 64, 64, usize::MAX).output, Z_FINISH, 64, 64, 100);
        assert!(w.too_large);
    }
}
