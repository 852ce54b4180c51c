//! Ops behind node:crypto, on the system OpenSSL 3. js/crypto.js and js/internal/crypto/*
//! validate arguments (with Node's error codes) and keep the Node-visible state machines;
//! each op here does one whole unit of work. Digests, HMACs and ciphers go through
//! OpenSSL's EVP C API directly (fetched algorithms cached per name, contexts copied for
//! `hash.copy()`); keys, signatures and key agreement use the `openssl` crate.
//!
//! Byte arguments are typed-array views or ArrayBuffers; a string argument means its UTF-8
//! bytes (JS converts other encodings first). Native state lives in objects made with
//! `ctx.wrap`. OpenSSL failures become Node's `ERR_OSSL_*` errors (see `openssl_error`).

use jsc::{Args, Ctx, JsResult, Object, StringChars, Value};
use openssl::error::ErrorStack;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::ptr;

mod keys;

// --- OpenSSL's C API (libcrypto is linked through the openssl crate) ---------------------

#[allow(non_camel_case_types)]
type EVP_MD = c_void;
#[allow(non_camel_case_types)]
type EVP_CIPHER = c_void;

extern "C" {
    fn EVP_get_digestbyname(name: *const c_char) -> *const EVP_MD;
    fn EVP_MD_fetch(libctx: *mut c_void, name: *const c_char, props: *const c_char) -> *mut EVP_MD;
    fn EVP_MD_get0_name(md: *const EVP_MD) -> *const c_char;
    fn EVP_MD_get_size(md: *const EVP_MD) -> c_int;
    fn EVP_MD_get_block_size(md: *const EVP_MD) -> c_int;
    fn EVP_MD_get_flags(md: *const EVP_MD) -> std::ffi::c_ulong;
    fn EVP_MD_do_all_sorted(f: unsafe extern "C" fn(*const EVP_MD, *const c_char, *const c_char, *mut c_void), arg: *mut c_void);
    fn EVP_MD_CTX_new() -> *mut c_void;
    fn EVP_MD_CTX_free(ctx: *mut c_void);
    fn EVP_MD_CTX_copy_ex(out: *mut c_void, input: *const c_void) -> c_int;
    fn EVP_DigestInit_ex(ctx: *mut c_void, md: *const EVP_MD, engine: *mut c_void) -> c_int;
    fn EVP_DigestUpdate(ctx: *mut c_void, data: *const c_void, len: usize) -> c_int;
    fn EVP_DigestFinal_ex(ctx: *mut c_void, out: *mut u8, len: *mut c_uint) -> c_int;
    fn EVP_DigestFinalXOF(ctx: *mut c_void, out: *mut u8, len: usize) -> c_int;

    fn HMAC_CTX_new() -> *mut c_void;
    fn HMAC_CTX_free(ctx: *mut c_void);
    fn HMAC_Init_ex(ctx: *mut c_void, key: *const c_void, len: c_int, md: *const EVP_MD, engine: *mut c_void) -> c_int;
    fn HMAC_Update(ctx: *mut c_void, data: *const u8, len: usize) -> c_int;
    fn HMAC_Final(ctx: *mut c_void, out: *mut u8, len: *mut c_uint) -> c_int;
    fn HMAC_CTX_copy(dst: *mut c_void, src: *mut c_void) -> c_int;
    fn EVP_MD_get_type(md: *const EVP_MD) -> c_int;
    fn SHA1_Init(c: *mut ShaState) -> c_int;
    fn SHA1_Update(c: *mut ShaState, data: *const c_void, len: usize) -> c_int;
    fn SHA1_Final(md: *mut u8, c: *mut ShaState) -> c_int;
    fn SHA224_Init(c: *mut ShaState) -> c_int;
    fn SHA256_Init(c: *mut ShaState) -> c_int;
    fn SHA256_Update(c: *mut ShaState, data: *const c_void, len: usize) -> c_int;
    fn SHA256_Final(md: *mut u8, c: *mut ShaState) -> c_int;
    fn SHA384_Init(c: *mut ShaState) -> c_int;
    fn SHA512_Init(c: *mut ShaState) -> c_int;
    fn SHA512_Update(c: *mut ShaState, data: *const c_void, len: usize) -> c_int;
    fn SHA512_Final(md: *mut u8, c: *mut ShaState) -> c_int;

    fn EVP_PBE_scrypt(
        pass: *const c_char,
        passlen: usize,
        salt: *const u8,
        saltlen: usize,
        n: u64,
        r: u64,
        p: u64,
        maxmem: u64,
        key: *mut u8,
        keylen: usize,
    ) -> c_int;

    fn EVP_get_cipherbyname(name: *const c_char) -> *const EVP_CIPHER;
    fn EVP_CIPHER_fetch(libctx: *mut c_void, name: *const c_char, props: *const c_char) -> *mut EVP_CIPHER;
    fn EVP_CIPHER_do_all_sorted(f: unsafe extern "C" fn(*const EVP_CIPHER, *const c_char, *const c_char, *mut c_void), arg: *mut c_void);
    fn EVP_CIPHER_get_nid(c: *const EVP_CIPHER) -> c_int;
    fn EVP_CIPHER_get_mode(c: *const EVP_CIPHER) -> c_int;
    fn EVP_CIPHER_get_flags(c: *const EVP_CIPHER) -> std::ffi::c_ulong;
    fn EVP_CIPHER_get_key_length(c: *const EVP_CIPHER) -> c_int;
    fn EVP_CIPHER_get_iv_length(c: *const EVP_CIPHER) -> c_int;
    fn EVP_CIPHER_get_block_size(c: *const EVP_CIPHER) -> c_int;
    fn EVP_CIPHER_CTX_new() -> *mut c_void;
    fn EVP_CIPHER_CTX_free(ctx: *mut c_void);
    fn EVP_CipherInit_ex(ctx: *mut c_void, c: *const EVP_CIPHER, engine: *mut c_void, key: *const u8, iv: *const u8, enc: c_int) -> c_int;
    fn EVP_CIPHER_CTX_set_key_length(ctx: *mut c_void, len: c_int) -> c_int;
    fn EVP_CIPHER_CTX_set_flags(ctx: *mut c_void, flags: c_int);
    fn EVP_CIPHER_CTX_set_padding(ctx: *mut c_void, pad: c_int) -> c_int;
    fn EVP_CIPHER_CTX_ctrl(ctx: *mut c_void, kind: c_int, arg: c_int, ptr: *mut c_void) -> c_int;
    fn EVP_CipherUpdate(ctx: *mut c_void, out: *mut u8, outl: *mut c_int, input: *const u8, inl: c_int) -> c_int;
    fn EVP_CipherFinal_ex(ctx: *mut c_void, out: *mut u8, outl: *mut c_int) -> c_int;

    fn OBJ_nid2sn(nid: c_int) -> *const c_char;
    fn OBJ_sn2nid(name: *const c_char) -> c_int;
    fn OBJ_ln2nid(name: *const c_char) -> c_int;
    fn EC_curve_nist2nid(name: *const c_char) -> c_int;
    fn X509_check_ca(x: *const c_void) -> c_int;
    fn EC_get_builtin_curves(r: *mut BuiltinCurve, nitems: usize) -> usize;
    fn RAND_bytes(buf: *mut u8, num: c_int) -> c_int;
    fn CRYPTO_memcmp(a: *const c_void, b: *const c_void, len: usize) -> c_int;
    fn ERR_clear_error();
    fn OpenSSL_version_num() -> std::ffi::c_ulong;
}

#[repr(C)]
struct BuiltinCurve {
    nid: c_int,
    comment: *const c_char,
}

const EVP_MD_FLAG_XOF: std::ffi::c_ulong = 0x2;
const EVP_CIPH_VARIABLE_LENGTH: std::ffi::c_ulong = 0x8;
const EVP_CIPH_FLAG_AEAD_CIPHER: std::ffi::c_ulong = 0x20_0000;
const EVP_CIPHER_CTX_FLAG_WRAP_ALLOW: c_int = 0x1;
const EVP_CTRL_AEAD_SET_IVLEN: c_int = 0x9;
const EVP_CTRL_AEAD_GET_TAG: c_int = 0x10;
const EVP_CTRL_AEAD_SET_TAG: c_int = 0x11;

fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

fn c_str(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: OpenSSL hands out NUL-terminated static names.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The NID of a cipher by any of its names, for the openssl crate's lookups.
pub fn cipher_nid(name: &str) -> Option<c_int> {
    let c = legacy_cipher(name);
    // SAFETY: c is a valid legacy cipher description.
    if c.is_null() { None } else { Some(unsafe { EVP_CIPHER_get_nid(c) }) }
}

/// The NID of a named curve: OpenSSL short or long names, or NIST names (P-256...).
pub fn curve_nid(name: &str) -> Option<c_int> {
    let cname = c_string(name);
    // SAFETY: lookups by a NUL-terminated name.
    let nid = unsafe {
        let mut nid = OBJ_sn2nid(cname.as_ptr());
        if nid == 0 {
            nid = OBJ_ln2nid(cname.as_ptr());
        }
        if nid == 0 {
            nid = EC_curve_nist2nid(cname.as_ptr());
        }
        ERR_clear_error();
        nid
    };
    (nid != 0).then_some(nid)
}

/// Empties OpenSSL's error queue after a failure that is reported another way.
///
/// # Safety
/// Always safe; marked unsafe only as an FFI call.
pub unsafe fn clear_errors() {
    ERR_clear_error();
}

pub fn x509_is_ca(cert: &openssl::x509::X509Ref) -> bool {
    // SAFETY: a foreign-types reference is the C object's pointer.
    unsafe { X509_check_ca(cert as *const openssl::x509::X509Ref as *const c_void) != 0 }
}

// --- Errors ------------------------------------------------------------------------------

/// Short names of OpenSSL's libraries as Node puts them in `ERR_OSSL_<LIB>_<REASON>` codes;
/// errors of other libraries (the providers') get no library part.
fn library_short_name(lib: c_int) -> Option<&'static str> {
    Some(match lib {
        2 => "SYS",
        3 => "BN",
        4 => "RSA",
        5 => "DH",
        6 => "EVP",
        7 => "BUF",
        8 => "OBJ",
        9 => "PEM",
        10 => "DSA",
        11 => "X509",
        13 => "ASN1",
        14 => "CONF",
        15 => "CRYPTO",
        16 => "EC",
        20 => "SSL",
        32 => "BIO",
        33 => "PKCS7",
        34 => "X509V3",
        35 => "PKCS12",
        36 => "RAND",
        37 => "DSO",
        38 => "ENGINE",
        39 => "OCSP",
        40 => "UI",
        41 => "COMP",
        42 => "ECDSA",
        43 => "ECDH",
        44 => "OSSL_STORE",
        45 => "FIPS",
        46 => "CMS",
        47 => "TS",
        48 => "HMAC",
        50 => "CT",
        51 => "ASYNC",
        52 => "KDF",
        53 => "SM2",
        _ => return None,
    })
}

/// One OpenSSL error as plain data, so it can cross from the thread pool.
#[derive(Clone, Debug)]
pub struct SslError {
    text: String,
    library: String,
    reason: String,
    code: String,
}

/// The OpenSSL errors of a failed call (the error queue, oldest first).
#[derive(Clone, Debug, Default)]
pub struct SslFailure {
    errors: Vec<SslError>,
}

impl SslFailure {
    pub fn from_stack(stack: &ErrorStack) -> SslFailure {
        let errors = stack
            .errors()
            .iter()
            .map(|e| {
                let library = e.library().unwrap_or("").to_string();
                let reason = e.reason().unwrap_or("").to_string();
                // Node's OpenSSL leaves the function name out of the text.
                let text = format!("error:{:08X}:{}::{}", e.code(), library, reason);
                let lib_part = library_short_name(e.library_code()).map(|l| format!("{l}_")).unwrap_or_default();
                let code = format!("ERR_OSSL_{lib_part}{}", reason.to_uppercase().replace([' ', '-'], "_"));
                SslError { text, library, reason, code }
            })
            .collect();
        SslFailure { errors }
    }

    /// Only the generic message, with the queued errors as `opensslErrorStack`.
    pub fn to_js_generic(&self, ctx: Ctx, message: &str) -> Value {
        let err = js_error(ctx, "Error", message, None);
        if let (Some(obj), Ok(list)) = (err.as_object(), self.error_texts(ctx)) {
            let _ = obj.set("opensslErrorStack", list);
        }
        err
    }

    /// The queued errors' texts, newest first (Node's `opensslErrorStack`).
    fn error_texts(&self, ctx: Ctx) -> JsResult<Value> {
        Ok(ctx.array_from(self.errors.iter().rev().map(|e| Ok(ctx.string(&e.text))))?.value())
    }

    /// One synthesized error (for failures OpenSSL reports differently than Node's build).
    pub fn single(code: u32, library: &str, reason: &str, lib_short: &str) -> SslFailure {
        let text = format!("error:{code:08X}:{library}::{reason}");
        let code = format!("ERR_OSSL_{lib_short}{}", reason.to_uppercase().replace([' ', '-'], "_"));
        SslFailure { errors: vec![SslError { text, library: library.into(), reason: reason.into(), code }] }
    }

    /// Drains OpenSSL's error queue.
    pub fn take() -> SslFailure {
        SslFailure::from_stack(&ErrorStack::get())
    }

    /// The JS error as Node makes it: the oldest queued OpenSSL error's text, with
    /// `library`, `reason` and `code`; `with_stack` adds `opensslErrorStack` (every queued
    /// error, newest first), as Node does for most ops.
    pub fn to_js(&self, ctx: Ctx, fallback: &str, with_stack: bool) -> Value {
        let Some(last) = self.errors.first() else {
            return js_error(ctx, "Error", fallback, None);
        };
        let err = js_error(ctx, "Error", &last.text, None);
        if let Some(obj) = err.as_object() {
            if with_stack {
                if let Ok(list) = self.error_texts(ctx) {
                    let _ = obj.set("opensslErrorStack", list);
                }
            }
            let _ = obj.set("library", ctx.string(&last.library));
            let _ = obj.set("reason", ctx.string(&last.reason));
            let _ = obj.set("code", ctx.string(&last.code));
        }
        err
    }
}

/// An error made through the global constructor `ctor` (so its stack has V8's format),
/// with an optional `code`.
pub fn js_error(ctx: Ctx, ctor: &str, message: &str, code: Option<&str>) -> Value {
    let err = ctx
        .global()
        .get(ctor)
        .and_then(|c| c.expect_object()?.construct(&[ctx.string(message)]))
        .map(|o| o.value())
        .unwrap_or_else(|_| ctx.error(message));
    if let (Some(code), Some(obj)) = (code, err.as_object()) {
        let _ = obj.set("code", ctx.string(code));
    }
    err
}

// --- Argument helpers -------------------------------------------------------------------

/// The bytes of a view or ArrayBuffer argument; a string gives its UTF-8 bytes.
fn arg_bytes(args: &Args, i: usize) -> JsResult<Vec<u8>> {
    let v = args.get(i);
    if let Some(b) = v.bytes() {
        return Ok(b.to_vec());
    }
    if v.is_string() {
        return Ok(v.to_string()?.into_bytes());
    }
    Ok(Vec::new())
}

/// Runs `f` over an argument's bytes without copying views.
fn with_arg_bytes<R>(args: &Args, i: usize, f: impl FnOnce(&[u8]) -> R) -> JsResult<R> {
    let v = args.get(i);
    if let Some(b) = v.bytes() {
        return Ok(f(b));
    }
    if v.is_string() {
        return Ok(f(v.to_string()?.as_bytes()));
    }
    Ok(f(&[]))
}

// --- Output encodings -------------------------------------------------------------------

/// How an op returns bytes: as an ArrayBuffer (JS makes the Buffer) or as a string.
#[derive(Clone, Copy)]
enum OutEnc {
    Bytes,
    Hex,
    Base64,
    Base64Url,
    Latin1,
}

fn out_enc(v: Value) -> OutEnc {
    match v.to_number().unwrap_or(0.0) as i32 {
        1 => OutEnc::Hex,
        2 => OutEnc::Base64,
        3 => OutEnc::Base64Url,
        4 => OutEnc::Latin1,
        _ => OutEnc::Bytes,
    }
}

// Hex and base64 are built as ASCII text: JSC stores it as an 8-bit string.
fn hex_text(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    hex_into(bytes, &mut out);
    String::from_utf8(out).expect("hex is ASCII")
}

/// Lowercase hex of `bytes` into `out` (twice as long).
fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const PAIRS: [[u8; 2]; 256] = {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut pairs = [[0; 2]; 256];
        let mut i = 0;
        while i < 256 {
            pairs[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
            i += 1;
        }
        pairs
    };
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&PAIRS[b as usize]);
    }
}

fn base64_text(bytes: &[u8], url: bool) -> String {
    let table: &[u8; 64] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        let emit = chunk.len() + 1;
        for i in 0..4 {
            if i < emit {
                out.push(table[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if !url {
                out.push('=');
            }
        }
    }
    out
}

/// Like `encode_out`, but bytes go into `out` (a Buffer JS allocated, which is cheaper
/// than wrapping a new ArrayBuffer) when it is a view of exactly their length.
fn encode_into(ctx: Ctx, bytes: Vec<u8>, enc: OutEnc, out: Value) -> JsResult<Value> {
    if let (OutEnc::Bytes, Some(target)) = (enc, out.bytes()) {
        if target.len() == bytes.len() {
            target.copy_from_slice(&bytes);
            return Ok(out);
        }
    }
    encode_out(ctx, bytes, enc)
}

fn encode_out(ctx: Ctx, bytes: Vec<u8>, enc: OutEnc) -> JsResult<Value> {
    Ok(match enc {
        OutEnc::Bytes => ctx.array_buffer(bytes)?.value(),
        OutEnc::Hex => ctx.string(&hex_text(&bytes)),
        OutEnc::Base64 => ctx.string(&base64_text(&bytes, false)),
        OutEnc::Base64Url => ctx.string(&base64_text(&bytes, true)),
        OutEnc::Latin1 => ctx.string_utf16(&bytes.iter().map(|&b| b as u16).collect::<Vec<_>>()),
    })
}

// --- Digests ----------------------------------------------------------------------------

thread_local! {
    /// Fetched digests by the name JS asked for (null: unknown). Fetched once, kept for
    /// the life of the thread, as fetching is far slower than hashing a short input.
    static DIGESTS: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    static CIPHERS: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    /// Fetched digests by the small id `digestId` handed to JS, so hot calls skip the
    /// name lookup.
    static DIGEST_IDS: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// `(name)` -> a digest id for the other digest ops, or -1 for an unknown digest.
fn digest_id(args: &Args) -> JsResult<Value> {
    let md = fetch_md(&args.string(0)?);
    if md.is_null() {
        return Ok(args.ctx.number(-1.0));
    }
    let id = DIGEST_IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        ids.push(md as usize);
        ids.len() - 1
    });
    Ok(args.ctx.number(id as f64))
}

/// The digest named by argument `i`: an id from `digestId`, or a name.
fn digest_arg(args: &Args, i: usize) -> JsResult<*const EVP_MD> {
    let v = args.get(i);
    if v.is_number() {
        let id = v.to_number()? as usize;
        return Ok(DIGEST_IDS.with(|ids| ids.borrow().get(id).copied().unwrap_or(0)) as *const EVP_MD);
    }
    Ok(fetch_md(&v.to_string()?))
}

/// The provider implementation of a digest named as OpenSSL's legacy names allow
/// (`sha256`, `SHA256`, `RSA-SHA256`...), or null.
pub fn fetch_md(name: &str) -> *const EVP_MD {
    if let Some(md) = DIGESTS.with(|d| d.borrow().get(name).copied()) {
        return md as *const EVP_MD;
    }
    let cname = c_string(name);
    // SAFETY: plain lookups by NUL-terminated names.
    let md = unsafe {
        let legacy = EVP_get_digestbyname(cname.as_ptr());
        let fetched = if legacy.is_null() {
            EVP_MD_fetch(ptr::null_mut(), cname.as_ptr(), ptr::null())
        } else {
            EVP_MD_fetch(ptr::null_mut(), EVP_MD_get0_name(legacy), ptr::null())
        };
        ERR_clear_error();
        fetched as *const EVP_MD
    };
    DIGESTS.with(|d| d.borrow_mut().insert(name.to_string(), md as usize));
    md
}

/// The `openssl` crate's view of a digest, for the ops built on the crate.
pub fn md_ref(name: &str) -> Option<&'static openssl::md::MdRef> {
    let md = fetch_md(name);
    // SAFETY: a foreign-types reference is the C pointer itself; fetched digests live forever.
    if md.is_null() { None } else { Some(unsafe { &*(md as *const openssl::md::MdRef) }) }
}

fn md_is_xof(md: *const EVP_MD) -> bool {
    // SAFETY: md is a valid fetched digest.
    unsafe { EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF != 0 }
}

/// A digest context; `out_len` is the output length asked for (XOFs).
struct Digest {
    ctx: *mut c_void,
    md: *const EVP_MD,
    out_len: usize,
}

impl Drop for Digest {
    fn drop(&mut self) {
        // SAFETY: ctx was made by EVP_MD_CTX_new and is freed once.
        unsafe { EVP_MD_CTX_free(self.ctx) }
    }
}

impl Digest {
    fn new(md: *const EVP_MD, out_len: usize) -> Option<Digest> {
        // SAFETY: md is a valid fetched digest; the context is freed by Drop.
        unsafe {
            let ctx = EVP_MD_CTX_new();
            let digest = Digest { ctx, md, out_len };
            if ctx.is_null() || EVP_DigestInit_ex(ctx, md, ptr::null_mut()) != 1 {
                return None;
            }
            Some(digest)
        }
    }

    fn update(&self, data: &[u8]) -> bool {
        // SAFETY: ctx is initialized; data is a live slice.
        unsafe { EVP_DigestUpdate(self.ctx, data.as_ptr() as *const c_void, data.len()) == 1 }
    }

    fn finish(&self) -> Result<Vec<u8>, SslFailure> {
        let mut out = vec![0u8; self.out_len];
        if self.finish_into(&mut out) { Ok(out) } else { Err(SslFailure::take()) }
    }

    /// Writes the digest (`out_len` bytes, the digest's size unless an XOF) to `out`.
    fn finish_into(&self, out: &mut [u8]) -> bool {
        assert!(out.len() >= self.out_len, "digest output too small");
        // SAFETY: out has room for out_len bytes, the size asked of OpenSSL.
        unsafe {
            if md_is_xof(self.md) {
                self.out_len == 0 || EVP_DigestFinalXOF(self.ctx, out.as_mut_ptr(), self.out_len) == 1
            } else {
                let mut len: c_uint = 0;
                EVP_DigestFinal_ex(self.ctx, out.as_mut_ptr(), &mut len) == 1
            }
        }
    }
}

/// Node refuses an `outputLength` other than the digest's size unless it is an XOF.
fn digest_out_len(ctx: Ctx, md: *const EVP_MD, asked: Value) -> JsResult<usize> {
    // SAFETY: md is a valid fetched digest.
    let size = unsafe { EVP_MD_get_size(md) } as usize;
    if asked.is_undefined() {
        return Ok(size);
    }
    let len = asked.to_number()? as usize;
    if len != size && !md_is_xof(md) {
        let failure = SslFailure::single(0x030000B2, "digital envelope routines", "not XOF or invalid length", "EVP_");
        return Err(failure.to_js(ctx, "", false));
    }
    Ok(len)
}

/// `(idOrName, outputLength?)` -> a digest handle, or undefined for an unknown digest.
fn digest_new(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let md = digest_arg(args, 0)?;
    if md.is_null() {
        return Ok(ctx.undefined());
    }
    let out_len = digest_out_len(ctx, md, args.get(1))?;
    match Digest::new(md, out_len) {
        Some(d) => Ok(ctx.wrap(d).value()),
        None => Err(SslFailure::take().to_js(ctx, "Digest method not supported", false)),
    }
}

/// The native state of handle argument `$i` (the handle Value stays on the stack).
macro_rules! handle {
    ($args:expr, $i:expr, $t:ty) => {{
        let value = $args.get($i);
        // SAFETY: the wrapped data lives as long as the handle object, which is on the stack.
        match value.wrapped::<$t>() {
            Some(state) => unsafe { &*(state as *const $t) },
            None => return Err($args.ctx.error("invalid crypto handle")),
        }
    }};
}

/// `(handle, data)`: data is a view or a string (its UTF-8 bytes).
fn digest_update(args: &Args) -> JsResult<Value> {
    let d = handle!(args, 0, Digest);
    with_arg_bytes(args, 1, |b| d.update(b))?;
    Ok(args.ctx.undefined())
}

/// `(handle, encoding, out?)` -> string, `out` filled, or an ArrayBuffer (see OutEnc).
fn digest_final(args: &Args) -> JsResult<Value> {
    let d = handle!(args, 0, Digest);
    let bytes = d.finish().map_err(|f| f.to_js(args.ctx, "Digest failed", false))?;
    encode_into(args.ctx, bytes, out_enc(args.get(1)), args.get(2))
}

/// `(handle, outputLength?)` -> a new handle with the same state.
fn digest_copy(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let d = handle!(args, 0, Digest);
    // Without outputLength a copy has the digest's default length, not the source's.
    let out_len = digest_out_len(ctx, d.md, args.get(1))?;
    // SAFETY: both contexts are valid; the copy is owned by the new Digest.
    unsafe {
        let copy = Digest { ctx: EVP_MD_CTX_new(), md: d.md, out_len };
        if copy.ctx.is_null() || EVP_MD_CTX_copy_ex(copy.ctx, d.ctx) != 1 {
            return Err(SslFailure::take().to_js(ctx, "Digest copy failed", false));
        }
        Ok(ctx.wrap(copy).value())
    }
}

/// `(idOrName, data, encoding, outputLength?, out?)` -> digest in one call, or undefined for
/// an unknown digest.
fn digest_once(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let md = digest_arg(args, 0)?;
    if md.is_null() {
        return Ok(ctx.undefined());
    }
    let out_len = digest_out_len(ctx, md, args.get(3))?;
    let bytes = thread_local_digest(md, |d| {
        d.out_len = out_len;
        with_arg_bytes(args, 1, |b| d.update(b)).map(|_| d.finish())
    })?
    .map_err(|f| f.to_js(ctx, "Digest failed", false))?;
    encode_into(ctx, bytes, out_enc(args.get(2)), args.get(4))
}

/// Runs `f` with a per-thread context reinitialized for `md` (one-shot hashes allocate nothing).
fn thread_local_digest<R>(md: *const EVP_MD, f: impl FnOnce(&mut Digest) -> R) -> R {
    thread_local! {
        static SCRATCH: RefCell<Option<Digest>> = const { RefCell::new(None) };
    }
    SCRATCH.with(|s| {
        let mut slot = s.borrow_mut();
        let reusable = slot.as_ref().is_some_and(|d| {
            // SAFETY: the scratch context is valid; reinit resets its state.
            unsafe { EVP_DigestInit_ex(d.ctx, md, ptr::null_mut()) == 1 }
        });
        if !reusable {
            *slot = Digest::new(md, 0);
        }
        let d = slot.as_mut().expect("digest context");
        d.md = md;
        f(d)
    })
}

// One-shot digests of short inputs trade their arguments and result through memory both
// sides see (`binding.digestScratch`, a Float64Array JS also views as bytes): a native call
// costs far more in argument conversions than hashing a few dozen bytes. Cell 0 holds the
// digest id, cell 1 the input length, cell 2 is 1 to have the digest returned as hex; the
// input is at SHORT_INPUT_AT and the digest (the digest's default size, at most
// EVP_MAX_MD_SIZE) is written at SHORT_OUTPUT_AT, after the three cells.
const EVP_MAX_MD_SIZE: usize = 64;
const SHORT_OUTPUT_AT: usize = 3 * 8;
const SHORT_INPUT_AT: usize = SHORT_OUTPUT_AT + EVP_MAX_MD_SIZE;
const SHORT_INPUT_MAX: usize = 1024;

thread_local! {
    /// Leaked per thread: JS typed arrays over it may outlive any Rust owner.
    static SHORT_SCRATCH: &'static [Cell<f64>] =
        Box::leak(vec![Cell::new(0.0); (SHORT_INPUT_AT + SHORT_INPUT_MAX) / 8].into_boxed_slice());
}

/// `(string?)`: digests `string` (its UTF-8 bytes) when given, else the scratch's input,
/// with the scratch's digest id (see SHORT_OUTPUT_AT); returns the hex text when asked,
/// else undefined.
fn digest_short(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    SHORT_SCRATCH.with(|cells| {
        let id = cells[0].get() as usize;
        let len = (cells[1].get() as usize).min(SHORT_INPUT_MAX);
        let as_hex = cells[2].get() == 1.0;
        let md = DIGEST_IDS.with(|ids| ids.borrow().get(id).copied().unwrap_or(0)) as *const EVP_MD;
        // SAFETY: the cells are plain memory that may be written through shared references
        // (Cell), no longer read as cells below; no JS runs during this op.
        let bytes = unsafe { std::slice::from_raw_parts_mut(cells.as_ptr() as *mut u8, std::mem::size_of_val(*cells)) };
        let (head, input) = bytes.split_at_mut(SHORT_INPUT_AT);
        let digest = &mut head[SHORT_OUTPUT_AT..];
        let ok = !md.is_null()
            && if args.is_empty() {
                digest_default_into(md, &input[..len], digest)
            } else {
                args.get(0).with_string_chars(|chars| match chars {
                    StringChars::Latin1(ascii) if ascii.is_ascii() => digest_default_into(md, ascii, digest),
                    other => digest_default_into(md, utf8_of(other).as_bytes(), digest),
                })?
            };
        if !ok {
            return Err(SslFailure::take().to_js(ctx, "Digest failed", false));
        }
        if as_hex {
            // SAFETY: md is a valid fetched digest.
            let size = unsafe { EVP_MD_get_size(md) } as usize;
            return Ok(ctx.string_from_bytes_with(size * 2, |out| hex_into(&digest[..size], out)));
        }
        // SAFETY: JSC turns a callback's null result into undefined (APICallbackFunction),
        // which saves the lock a JSValueMakeUndefined call would take.
        Ok(unsafe { Value::from_raw(ctx, ptr::null()) })
    })
}

/// UTF-8 of an engine string; lone surrogates become U+FFFD, as in Node.
fn utf8_of(chars: StringChars) -> String {
    match chars {
        StringChars::Latin1(bytes) => bytes.iter().map(|&b| b as char).collect(),
        StringChars::Utf16(units) => String::from_utf16_lossy(units),
    }
}

/// Digests `input` to the digest's default size at the start of `out` (room for
/// EVP_MAX_MD_SIZE). SHA-1/SHA-2 run on their block functions with the state on the stack:
/// an EVP context re-creates its provider state (an allocation) on every reinit.
fn digest_default_into(md: *const EVP_MD, input: &[u8], out: &mut [u8]) -> bool {
    assert!(out.len() >= EVP_MAX_MD_SIZE, "digest output too small");
    if let Some(f) = sha_family(md) {
        // SAFETY: the state is large enough for any SHA context; out holds a whole digest.
        unsafe {
            let mut state = ShaState([0; 32]);
            return (f.init)(&mut state) == 1
                && (f.update)(&mut state, input.as_ptr() as *const c_void, input.len()) == 1
                && (f.finish)(out.as_mut_ptr(), &mut state) == 1;
        }
    }
    // SAFETY: md is a valid fetched digest.
    let size = unsafe { EVP_MD_get_size(md) } as usize;
    thread_local_digest(md, |d| {
        d.out_len = size;
        d.update(input) && d.finish_into(out)
    })
}

/// `(name)` -> [size, blockSize, isXof] or undefined.
fn digest_info(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let md = fetch_md(&args.string(0)?);
    if md.is_null() {
        return Ok(ctx.undefined());
    }
    // SAFETY: md is a valid fetched digest.
    let (size, block) = unsafe { (EVP_MD_get_size(md), EVP_MD_get_block_size(md)) };
    Ok(ctx.array(&[ctx.number(size as f64), ctx.number(block as f64), ctx.boolean(md_is_xof(md))])?.value())
}

/// Names for which OpenSSL's name table and a provider both have an implementation.
fn get_hashes(args: &Args) -> JsResult<Value> {
    unsafe extern "C" fn collect(md: *const EVP_MD, from: *const c_char, _to: *const c_char, arg: *mut c_void) {
        let names = &mut *(arg as *mut Vec<String>);
        if !md.is_null() && !from.is_null() {
            names.push(c_str(from));
        } else if !from.is_null() {
            names.push(c_str(from));
        }
    }
    let mut names: Vec<String> = Vec::new();
    // SAFETY: the callback only touches `names` through `arg`.
    unsafe { EVP_MD_do_all_sorted(collect, &mut names as *mut Vec<String> as *mut c_void) };
    let mut usable: Vec<String> = names.into_iter().filter(|n| !fetch_md(n).is_null()).collect();
    usable.sort();
    usable.dedup();
    string_array(args.ctx, &usable)
}

fn get_ciphers(args: &Args) -> JsResult<Value> {
    unsafe extern "C" fn collect(_c: *const EVP_CIPHER, from: *const c_char, _to: *const c_char, arg: *mut c_void) {
        let names = &mut *(arg as *mut Vec<String>);
        if !from.is_null() {
            names.push(c_str(from));
        }
    }
    let mut names: Vec<String> = Vec::new();
    // SAFETY: the callback only touches `names` through `arg`.
    unsafe { EVP_CIPHER_do_all_sorted(collect, &mut names as *mut Vec<String> as *mut c_void) };
    names.extend(CIPHER_ALIASES.iter().map(|(alias, _)| alias.to_string()));
    let mut usable: Vec<String> = names.into_iter().filter(|n| !fetch_cipher(n).is_null()).collect();
    usable.sort();
    usable.dedup();
    string_array(args.ctx, &usable)
}

fn get_curves(args: &Args) -> JsResult<Value> {
    // SAFETY: the first call counts the curves, the second fills a buffer of that size.
    let mut names: Vec<String> = unsafe {
        let n = EC_get_builtin_curves(ptr::null_mut(), 0);
        let mut curves: Vec<BuiltinCurve> = (0..n).map(|_| BuiltinCurve { nid: 0, comment: ptr::null() }).collect();
        EC_get_builtin_curves(curves.as_mut_ptr(), n);
        curves.iter().map(|c| c_str(OBJ_nid2sn(c.nid))).collect()
    };
    names.sort();
    string_array(args.ctx, &names)
}

fn string_array(ctx: Ctx, items: &[String]) -> JsResult<Value> {
    ctx.array_from(items.iter().map(|s| Ok(ctx.string(s)))).map(|a| a.value())
}

// --- HMAC -------------------------------------------------------------------------------

struct Hmac {
    ctx: *mut c_void,
    size: usize,
}

impl Drop for Hmac {
    fn drop(&mut self) {
        // SAFETY: made by HMAC_CTX_new, freed once.
        unsafe { HMAC_CTX_free(self.ctx) }
    }
}

/// `(digestName, key)` -> an HMAC handle, or undefined for an unknown digest.
fn hmac_new(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let md = fetch_md(&args.string(0)?);
    if md.is_null() {
        return Ok(ctx.undefined());
    }
    // SAFETY: md is valid; the key pointer is valid for its length (a dummy byte when empty).
    let hmac = unsafe {
        let hmac = Hmac { ctx: HMAC_CTX_new(), size: EVP_MD_get_size(md) as usize };
        let ok = with_arg_bytes(args, 1, |key| {
            let key_ptr = if key.is_empty() { b"\0".as_ptr() } else { key.as_ptr() };
            HMAC_Init_ex(hmac.ctx, key_ptr as *const c_void, key.len() as c_int, md, ptr::null_mut()) == 1
        })?;
        if !ok {
            // OpenSSL refuses some digests (XOFs) without queueing a reason; Node shows the empty error.
            return Err(SslFailure::take().to_js(ctx, "error:00000000:lib(0)::reason(0)", true));
        }
        hmac
    };
    Ok(ctx.wrap(hmac).value())
}

fn hmac_update(args: &Args) -> JsResult<Value> {
    let h = handle!(args, 0, Hmac);
    // SAFETY: the context is initialized; the slice is live for the call.
    with_arg_bytes(args, 1, |b| unsafe { HMAC_Update(h.ctx, b.as_ptr(), b.len()) })?;
    Ok(args.ctx.undefined())
}

fn hmac_final(args: &Args) -> JsResult<Value> {
    let h = handle!(args, 0, Hmac);
    let mut out = vec![0u8; h.size.max(64)];
    let mut len: c_uint = 0;
    // SAFETY: out is at least the digest size.
    unsafe { HMAC_Final(h.ctx, out.as_mut_ptr(), &mut len) };
    out.truncate(len as usize);
    encode_into(args.ctx, out, out_enc(args.get(1)), args.get(2))
}

/// HMAC of one message (HKDF's building block).
fn hmac_once(md: *const EVP_MD, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // SAFETY: as in hmac_new; the context is freed by Hmac's Drop.
    unsafe {
        let h = Hmac { ctx: HMAC_CTX_new(), size: EVP_MD_get_size(md) as usize };
        let key_ptr = if key.is_empty() { b"\0".as_ptr() } else { key.as_ptr() };
        HMAC_Init_ex(h.ctx, key_ptr as *const c_void, key.len() as c_int, md, ptr::null_mut());
        for p in parts {
            HMAC_Update(h.ctx, p.as_ptr(), p.len());
        }
        let mut out = vec![0u8; h.size.max(64)];
        let mut len: c_uint = 0;
        HMAC_Final(h.ctx, out.as_mut_ptr(), &mut len);
        out.truncate(len as usize);
        out
    }
}

// --- Random -----------------------------------------------------------------------------

fn fill_random(buf: &mut [u8]) -> bool {
    // OpenSSL takes an int length: fill large buffers in pieces.
    buf.chunks_mut(1 << 30).all(|chunk| unsafe { RAND_bytes(chunk.as_mut_ptr(), chunk.len() as c_int) == 1 })
}

/// `(view, offset, size, callback?)`: fills view[offset..offset+size] with random bytes,
/// now or (with a callback) on the thread pool, calling `callback(err)`.
fn random_fill(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let offset = args.number(1)? as usize;
    let size = args.number(2)? as usize;
    let callback = args.get(3);
    if !callback.is_function() {
        if let Some(bytes) = args.get(0).bytes() {
            let end = (offset + size).min(bytes.len());
            fill_random(&mut bytes[offset.min(end)..end]);
        }
        return Ok(ctx.undefined());
    }
    let target = args.get(0).protect();
    let callback = callback.protect();
    runtime::event_loop::spawn_blocking(
        move || {
            let mut fresh = vec![0u8; size];
            fill_random(&mut fresh);
            fresh
        },
        move |ctx, fresh| {
            if let Some(bytes) = target.value().bytes() {
                let end = (offset + fresh.len()).min(bytes.len());
                let start = offset.min(end);
                bytes[start..end].copy_from_slice(&fresh[..end - start]);
            }
            callback.object().expect("callback").call(None, &[ctx.null()])?;
            Ok(())
        },
    );
    Ok(ctx.undefined())
}

/// `(a, b)` -> whether two equal-length views hold the same bytes, in constant time.
fn timing_safe_equal(args: &Args) -> JsResult<Value> {
    let (a, b) = (args.get(0), args.get(1));
    let (Some(a), Some(b)) = (a.bytes(), b.bytes()) else { return Ok(args.ctx.boolean(false)) };
    if a.len() != b.len() {
        return Ok(args.ctx.boolean(false));
    }
    // SAFETY: both slices have a.len() bytes.
    let same = a.is_empty() || unsafe { CRYPTO_memcmp(a.as_ptr() as *const c_void, b.as_ptr() as *const c_void, a.len()) == 0 };
    Ok(args.ctx.boolean(same))
}

// --- Key derivation ---------------------------------------------------------------------

/// Result of a derivation: the key, or an error to throw (OpenSSL's, or Node's code+message).
enum Derived {
    Key(Vec<u8>),
    Ssl(SslFailure),
    Node(&'static str, Option<&'static str>, String),
}

impl Derived {
    fn to_js(self, ctx: Ctx) -> Result<Value, Value> {
        match self {
            Derived::Key(k) => Ok(ctx.array_buffer(k)?.value()),
            Derived::Ssl(f) => Err(f.to_js(ctx, "Key derivation failed", true)),
            Derived::Node(ctor, code, msg) => Err(js_error(ctx, ctor, &msg, code)),
        }
    }
}

/// Runs a derivation now (returns the ArrayBuffer or throws) or, given a callback at `cb`,
/// on the thread pool, calling `callback(err, arrayBuffer)`.
fn run_derivation(args: &Args, cb: usize, work: impl FnOnce() -> Derived + Send + 'static) -> JsResult<Value> {
    let callback = args.get(cb);
    if !callback.is_function() {
        return match work().to_js(args.ctx) {
            Ok(v) => Ok(v),
            Err(e) => Err(e),
        };
    }
    let callback = callback.protect();
    runtime::event_loop::spawn_blocking(work, move |ctx, derived| {
        let (err, value) = match derived.to_js(ctx) {
            Ok(v) => (ctx.null(), v),
            Err(e) => (e, ctx.undefined()),
        };
        callback.object().expect("callback").call(None, &[err, value])?;
        Ok(())
    });
    Ok(args.ctx.undefined())
}

/// `(password, salt, iterations, keylen, digest, callback?)`; JS has checked the digest.
fn pbkdf2(args: &Args) -> JsResult<Value> {
    let pass = arg_bytes(args, 0)?;
    let salt = arg_bytes(args, 1)?;
    let iterations = args.number(2)? as c_int;
    let keylen = args.number(3)? as usize;
    let md = fetch_md(&args.string(4)?) as usize;
    run_derivation(args, 5, move || {
        if keylen == 0 {
            return Derived::Node("Error", None, "Deriving bits failed".into());
        }
        Derived::Key(pbkdf2_hmac(md as *const EVP_MD, &pass, &salt, iterations as u32, keylen))
    })
}

/// Room for any of OpenSSL's SHA1_CTX / SHA256_CTX / SHA512_CTX (plain structs, copied by value).
#[repr(C, align(8))]
#[derive(Clone, Copy)]
struct ShaState([u64; 32]);

/// The SHA-1/SHA-2 block functions behind a digest, for PBKDF2's inner loop.
#[derive(Clone, Copy)]
struct ShaFamily {
    init: unsafe extern "C" fn(*mut ShaState) -> c_int,
    update: unsafe extern "C" fn(*mut ShaState, *const c_void, usize) -> c_int,
    finish: unsafe extern "C" fn(*mut u8, *mut ShaState) -> c_int,
    size: usize,
    block: usize,
}

fn sha_family(md: *const EVP_MD) -> Option<ShaFamily> {
    // SAFETY: md is a fetched digest.
    let nid = unsafe { EVP_MD_get_type(md) };
    let f = |init, update, finish, size, block| Some(ShaFamily { init, update, finish, size, block });
    match nid {
        64 => f(SHA1_Init, SHA1_Update, SHA1_Final, 20, 64),
        675 => f(SHA224_Init, SHA256_Update, SHA256_Final, 28, 64),
        672 => f(SHA256_Init, SHA256_Update, SHA256_Final, 32, 64),
        673 => f(SHA384_Init, SHA512_Update, SHA512_Final, 48, 128),
        674 => f(SHA512_Init, SHA512_Update, SHA512_Final, 64, 128),
        _ => None,
    }
}

/// PBKDF2 for SHA-1/SHA-2 on the block functions: the keyed inner and outer states are
/// computed once and copied by value each iteration (OpenSSL 3.0's PKCS5_PBKDF2_HMAC and
/// HMAC_CTX_copy allocate per iteration and run at half the speed).
fn pbkdf2_sha(f: ShaFamily, password: &[u8], salt: &[u8], iterations: u32, keylen: usize) -> Vec<u8> {
    // SAFETY: every state is a ShaState large enough for the family's context struct, and
    // every buffer holds at least one digest.
    unsafe {
        let mut key = vec![0u8; f.block];
        if password.len() > f.block {
            let mut s = ShaState([0; 32]);
            (f.init)(&mut s);
            (f.update)(&mut s, password.as_ptr() as *const c_void, password.len());
            (f.finish)(key.as_mut_ptr(), &mut s);
        } else {
            key[..password.len()].copy_from_slice(password);
        }
        let keyed = |pad: u8| {
            let mut s = ShaState([0; 32]);
            (f.init)(&mut s);
            let padded: Vec<u8> = key.iter().map(|b| b ^ pad).collect();
            (f.update)(&mut s, padded.as_ptr() as *const c_void, padded.len());
            s
        };
        let (inner, outer) = (keyed(0x36), keyed(0x5c));
        let hmac = |parts: &[&[u8]], out: &mut [u8; 64]| {
            let mut s = inner;
            for p in parts {
                (f.update)(&mut s, p.as_ptr() as *const c_void, p.len());
            }
            let mut digest = [0u8; 64];
            (f.finish)(digest.as_mut_ptr(), &mut s);
            let mut s = outer;
            (f.update)(&mut s, digest.as_ptr() as *const c_void, f.size);
            (f.finish)(out.as_mut_ptr(), &mut s);
        };
        let mut out = Vec::with_capacity(keylen + f.size);
        let mut u = [0u8; 64];
        let mut block: u32 = 1;
        while out.len() < keylen {
            hmac(&[salt, &block.to_be_bytes()], &mut u);
            let mut t = u;
            for _ in 1..iterations {
                let prev = u;
                hmac(&[&prev[..f.size]], &mut u);
                for (a, b) in t[..f.size].iter_mut().zip(&u[..f.size]) {
                    *a ^= b;
                }
            }
            out.extend_from_slice(&t[..f.size]);
            block += 1;
        }
        out.truncate(keylen);
        out
    }
}

/// RFC 8018 PBKDF2-HMAC: the fast path for SHA-1/SHA-2, HMAC contexts for other digests.
fn pbkdf2_hmac(md: *const EVP_MD, password: &[u8], salt: &[u8], iterations: u32, keylen: usize) -> Vec<u8> {
    if let Some(family) = sha_family(md) {
        return pbkdf2_sha(family, password, salt, iterations, keylen);
    }
    pbkdf2_hmac_contexts(md, password, salt, iterations, keylen)
}

fn pbkdf2_hmac_contexts(md: *const EVP_MD, password: &[u8], salt: &[u8], iterations: u32, keylen: usize) -> Vec<u8> {
    // SAFETY: the contexts are owned by Hmac values (freed on drop); buffers hold a digest.
    unsafe {
        let size = EVP_MD_get_size(md) as usize;
        let keyed = Hmac { ctx: HMAC_CTX_new(), size };
        let work = Hmac { ctx: HMAC_CTX_new(), size };
        let key_ptr = if password.is_empty() { b"\0".as_ptr() } else { password.as_ptr() };
        HMAC_Init_ex(keyed.ctx, key_ptr as *const c_void, password.len() as c_int, md, ptr::null_mut());
        let mut out = Vec::with_capacity(keylen + size);
        let mut u = vec![0u8; size.max(64)];
        let mut t = vec![0u8; size];
        let mut block: u32 = 1;
        let mut len: c_uint = 0;
        while out.len() < keylen {
            HMAC_CTX_copy(work.ctx, keyed.ctx);
            HMAC_Update(work.ctx, salt.as_ptr(), salt.len());
            HMAC_Update(work.ctx, block.to_be_bytes().as_ptr(), 4);
            HMAC_Final(work.ctx, u.as_mut_ptr(), &mut len);
            t.copy_from_slice(&u[..size]);
            for _ in 1..iterations {
                HMAC_CTX_copy(work.ctx, keyed.ctx);
                HMAC_Update(work.ctx, u.as_ptr(), size);
                HMAC_Final(work.ctx, u.as_mut_ptr(), &mut len);
                for (a, b) in t.iter_mut().zip(&u[..size]) {
                    *a ^= b;
                }
            }
            out.extend_from_slice(&t);
            block += 1;
        }
        out.truncate(keylen);
        out
    }
}

/// `(N, r, p, maxmem)` -> undefined when OpenSSL accepts the parameters, else the reason.
fn scrypt_check(args: &Args) -> JsResult<Value> {
    let (n, r, p, maxmem) = (args.number(0)? as u64, args.number(1)? as u64, args.number(2)? as u64, args.number(3)? as u64);
    if n < 2 {
        // Node's OpenSSL (3.5) reports N < 2 as a memory limit error; 3.0 gives no reason.
        return Ok(args.ctx.string("error:030000AC:digital envelope routines::memory limit exceeded"));
    }
    // SAFETY: a null key asks OpenSSL only to check the parameters.
    let ok = unsafe { EVP_PBE_scrypt(ptr::null(), 0, ptr::null(), 0, n, r, p, maxmem, ptr::null_mut(), 0) == 1 };
    if ok {
        return Ok(args.ctx.undefined());
    }
    let failure = SslFailure::take();
    Ok(args.ctx.string(&failure.errors.last().map(|e| e.text.clone()).unwrap_or_default()))
}

/// `(password, salt, N, r, p, maxmem, keylen, callback?)`; JS has checked the parameters.
fn scrypt(args: &Args) -> JsResult<Value> {
    let pass = arg_bytes(args, 0)?;
    let salt = arg_bytes(args, 1)?;
    let (n, r, p, maxmem) = (args.number(2)? as u64, args.number(3)? as u64, args.number(4)? as u64, args.number(5)? as u64);
    let keylen = args.number(6)? as usize;
    run_derivation(args, 7, move || {
        let mut key = vec![0u8; keylen];
        // SAFETY: buffers are valid for the lengths given.
        let ok = unsafe {
            EVP_PBE_scrypt(pass.as_ptr() as *const c_char, pass.len(), salt.as_ptr(), salt.len(), n, r, p, maxmem, key.as_mut_ptr(), keylen) == 1
        };
        if ok { Derived::Key(key) } else { Derived::Ssl(SslFailure::take()) }
    })
}

/// RFC 5869 on HMAC (an empty key or salt is allowed, as in Node).
fn hkdf_derive(md: *const EVP_MD, key: &[u8], salt: &[u8], info: &[u8], length: usize) -> Vec<u8> {
    // SAFETY: md is a fetched digest.
    let hash_len = unsafe { EVP_MD_get_size(md) } as usize;
    let zero_salt = vec![0u8; hash_len];
    let prk = hmac_once(md, if salt.is_empty() { &zero_salt } else { salt }, &[key]);
    let mut okm = Vec::with_capacity(length + hash_len);
    let mut block: Vec<u8> = Vec::new();
    let mut counter = 1u8;
    while okm.len() < length {
        block = hmac_once(md, &prk, &[&block, info, &[counter]]);
        okm.extend_from_slice(&block);
        counter = counter.wrapping_add(1);
    }
    okm.truncate(length);
    okm
}

/// `(digest, key, salt, info, length, callback?)`; JS has checked every argument.
fn hkdf(args: &Args) -> JsResult<Value> {
    let md = fetch_md(&args.string(0)?) as usize;
    let key = arg_bytes(args, 1)?;
    let salt = arg_bytes(args, 2)?;
    let info = arg_bytes(args, 3)?;
    let length = args.number(4)? as usize;
    run_derivation(args, 5, move || {
        if length == 0 {
            return Derived::Node("Error", None, "Deriving bits failed".into());
        }
        Derived::Key(hkdf_derive(md as *const EVP_MD, &key, &salt, &info, length))
    })
}

// --- Ciphers ----------------------------------------------------------------------------

/// Cipher aliases newer OpenSSL releases (Node's) know and 3.0 does not.
const CIPHER_ALIASES: &[(&str, &str)] =
    &[("aes128-wrap-pad", "id-aes128-wrap-pad"), ("aes192-wrap-pad", "id-aes192-wrap-pad"), ("aes256-wrap-pad", "id-aes256-wrap-pad")];

fn legacy_cipher(name: &str) -> *const EVP_CIPHER {
    let name = CIPHER_ALIASES.iter().find(|(alias, _)| alias.eq_ignore_ascii_case(name)).map_or(name, |(_, target)| target);
    let cname = c_string(name);
    // SAFETY: a lookup by a NUL-terminated name.
    unsafe { EVP_get_cipherbyname(cname.as_ptr()) }
}

/// The provider implementation of a cipher by any of its OpenSSL names, or null.
fn fetch_cipher(name: &str) -> *const EVP_CIPHER {
    if let Some(c) = CIPHERS.with(|m| m.borrow().get(name).copied()) {
        return c as *const EVP_CIPHER;
    }
    // SAFETY: lookups by NUL-terminated names.
    let cipher = unsafe {
        let legacy = legacy_cipher(name);
        let fetched = if legacy.is_null() {
            ptr::null_mut()
        } else {
            EVP_CIPHER_fetch(ptr::null_mut(), OBJ_nid2sn(EVP_CIPHER_get_nid(legacy)), ptr::null())
        };
        ERR_clear_error();
        fetched as *const EVP_CIPHER
    };
    CIPHERS.with(|m| m.borrow_mut().insert(name.to_string(), cipher as usize));
    cipher
}

fn mode_name(mode: c_int) -> &'static str {
    match mode {
        1 => "ecb",
        2 => "cbc",
        3 => "cfb",
        4 => "ofb",
        5 => "ctr",
        6 => "gcm",
        7 => "ccm",
        0x10001 => "xts",
        0x10002 => "wrap",
        0x10003 => "ocb",
        _ => "stream",
    }
}

/// `(name)` -> [nid, shortName, mode, blockSize, ivLength, keyLength, variableKeyLength, aead]
/// for a cipher OpenSSL knows (known to the name table even when no provider has it),
/// or undefined. `supported` (index 8) says whether a provider implements it.
fn cipher_info(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    // SAFETY: lookups and getters on a legacy cipher description.
    unsafe {
        let c = legacy_cipher(&args.string(0)?);
        if c.is_null() {
            return Ok(ctx.undefined());
        }
        let nid = EVP_CIPHER_get_nid(c);
        let flags = EVP_CIPHER_get_flags(c);
        let supported = !fetch_cipher(&args.string(0)?).is_null();
        let items = [
            ctx.number(nid as f64),
            ctx.string(&c_str(OBJ_nid2sn(nid))),
            ctx.string(mode_name(EVP_CIPHER_get_mode(c))),
            ctx.number(EVP_CIPHER_get_block_size(c) as f64),
            ctx.number(EVP_CIPHER_get_iv_length(c) as f64),
            ctx.number(EVP_CIPHER_get_key_length(c) as f64),
            ctx.boolean(flags & EVP_CIPH_VARIABLE_LENGTH != 0),
            ctx.boolean(flags & EVP_CIPH_FLAG_AEAD_CIPHER != 0),
            ctx.boolean(supported),
        ];
        Ok(ctx.array(&items)?.value())
    }
}

/// `(nid)` -> the cipher's short name, or undefined.
fn cipher_name_of_nid(args: &Args) -> JsResult<Value> {
    let nid = args.number(0)? as c_int;
    // SAFETY: OBJ_nid2sn returns null for unknown nids.
    let name = unsafe { OBJ_nid2sn(nid) };
    if name.is_null() || unsafe { EVP_get_cipherbyname(name) }.is_null() {
        unsafe { ERR_clear_error() };
        return Ok(args.ctx.undefined());
    }
    Ok(args.ctx.string(&c_str(name)))
}

struct CipherState {
    ctx: *mut c_void,
    block_size: usize,
}

impl Drop for CipherState {
    fn drop(&mut self) {
        // SAFETY: made by EVP_CIPHER_CTX_new, freed once.
        unsafe { EVP_CIPHER_CTX_free(self.ctx) }
    }
}

/// `(name, key, iv|null, encrypt, authTagLength, aead, isWrapMode)` -> a cipher handle. JS has checked
/// the key and IV lengths; OpenSSL's refusals are thrown as `ERR_OSSL_*`.
fn cipher_new(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cipher = fetch_cipher(&args.string(0)?);
    if cipher.is_null() {
        // Known by name but without a provider (legacy algorithms): OpenSSL's own error.
        // SAFETY: a fetch that is expected to fail, for its error queue.
        unsafe {
            let legacy = legacy_cipher(&args.string(0)?);
            if !legacy.is_null() {
                EVP_CIPHER_fetch(ptr::null_mut(), OBJ_nid2sn(EVP_CIPHER_get_nid(legacy)), ptr::null());
            }
        }
        return Err(SslFailure::take().to_js(ctx, "Unknown cipher", true));
    }
    let key = arg_bytes(args, 1)?;
    let iv_arg = args.get(2);
    let iv: Option<Vec<u8>> = if iv_arg.is_nullish() { None } else { Some(arg_bytes(args, 2)?) };
    let encrypt = args.get(3).to_boolean();
    let tag_len = args.number(4)? as i32;
    let aead = args.get(5).to_boolean();
    let allow_wrap = args.get(6).to_boolean();
    // SAFETY: the context is owned by CipherState; key and iv are checked to be long enough.
    unsafe {
        let state = CipherState { ctx: EVP_CIPHER_CTX_new(), block_size: EVP_CIPHER_get_block_size(cipher) as usize };
        let fail = |ctx: Ctx| SslFailure::take().to_js(ctx, "Cipher initialization failed", true);
        if allow_wrap {
            EVP_CIPHER_CTX_set_flags(state.ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
        }
        if EVP_CipherInit_ex(state.ctx, cipher, ptr::null_mut(), ptr::null(), ptr::null(), encrypt as c_int) != 1 {
            return Err(fail(ctx));
        }
        if let (true, Some(iv)) = (aead, &iv) {
            if EVP_CIPHER_CTX_ctrl(state.ctx, EVP_CTRL_AEAD_SET_IVLEN, iv.len() as c_int, ptr::null_mut()) != 1 {
                ERR_clear_error();
                return Err(js_error(ctx, "TypeError", "Invalid initialization vector", Some("ERR_CRYPTO_INVALID_IV")));
            }
        }
        if tag_len > 0 && matches!(EVP_CIPHER_get_mode(cipher), 7 | 0x10003) {
            // CCM and OCB take the tag length before the key; the others with the tag.
            if EVP_CIPHER_CTX_ctrl(state.ctx, EVP_CTRL_AEAD_SET_TAG, tag_len, ptr::null_mut()) != 1 {
                ERR_clear_error();
            }
        }
        if key.len() as c_int != EVP_CIPHER_get_key_length(cipher) && EVP_CIPHER_CTX_set_key_length(state.ctx, key.len() as c_int) != 1 {
            ERR_clear_error();
            return Err(js_error(ctx, "RangeError", "Invalid key length", Some("ERR_CRYPTO_INVALID_KEYLEN")));
        }
        let iv_ptr = iv.as_ref().map_or(ptr::null(), |v| v.as_ptr());
        if EVP_CipherInit_ex(state.ctx, ptr::null(), ptr::null_mut(), key.as_ptr(), iv_ptr, encrypt as c_int) != 1 {
            return Err(fail(ctx));
        }
        Ok(ctx.wrap(state).value())
    }
}

/// `(handle, data)` -> ArrayBuffer of output, or throws.
fn cipher_update(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let c = handle!(args, 0, CipherState);
    let out = with_arg_bytes(args, 1, |input| {
        // OpenSSL writes at most one block more than the input (key wrap: a 16-byte header).
        let mut out = vec![0u8; input.len() + c.block_size.max(16) + 16];
        let mut len: c_int = 0;
        // SAFETY: out has room for the input plus one block, OpenSSL's maximum.
        let ok = unsafe { EVP_CipherUpdate(c.ctx, out.as_mut_ptr(), &mut len, input.as_ptr(), input.len() as c_int) == 1 };
        out.truncate(len.max(0) as usize);
        ok.then_some(out)
    })?;
    match out {
        Some(out) => Ok(ctx.array_buffer(out)?.value()),
        None => {
            // Node reports every failed update the same way, without OpenSSL's reason.
            unsafe { ERR_clear_error() };
            Err(js_error(ctx, "Error", "Trying to add data in unsupported state", None))
        }
    }
}

/// `(handle, aad)`: additional authenticated data for AEAD modes; false when refused.
fn cipher_set_aad(args: &Args) -> JsResult<Value> {
    let c = handle!(args, 0, CipherState);
    let ok = with_arg_bytes(args, 1, |aad| {
        let mut len: c_int = 0;
        // SAFETY: a null output pointer makes OpenSSL take the input as AAD.
        unsafe { EVP_CipherUpdate(c.ctx, ptr::null_mut(), &mut len, aad.as_ptr(), aad.len() as c_int) == 1 }
    })?;
    if !ok {
        unsafe { ERR_clear_error() };
    }
    Ok(args.ctx.boolean(ok))
}

/// `(handle, length)`: CCM's plaintext length, announced before any data; false when refused.
fn cipher_set_length(args: &Args) -> JsResult<Value> {
    let c = handle!(args, 0, CipherState);
    let length = args.number(1)? as c_int;
    let mut len: c_int = 0;
    // SAFETY: null input and output with a length sets CCM's message length.
    let ok = unsafe { EVP_CipherUpdate(c.ctx, ptr::null_mut(), &mut len, ptr::null(), length) == 1 };
    if !ok {
        unsafe { ERR_clear_error() };
    }
    Ok(args.ctx.boolean(ok))
}

/// `(handle)` -> the final block (ArrayBuffer), or throws: null when authentication failed.
fn cipher_final(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let c = handle!(args, 0, CipherState);
    let mut out = vec![0u8; c.block_size.max(1) * 2];
    let mut len: c_int = 0;
    // SAFETY: out has room for a final block.
    let ok = unsafe { EVP_CipherFinal_ex(c.ctx, out.as_mut_ptr(), &mut len) == 1 };
    if !ok {
        let failure = SslFailure::take();
        if failure.errors.is_empty() {
            return Ok(ctx.null());
        }
        return Err(failure.to_js(ctx, "Cipher final failed", true));
    }
    out.truncate(len.max(0) as usize);
    Ok(ctx.array_buffer(out)?.value())
}

/// `(handle, tagLength)` -> the authentication tag after encryption.
fn cipher_get_tag(args: &Args) -> JsResult<Value> {
    let c = handle!(args, 0, CipherState);
    let mut tag = vec![0u8; args.number(1)? as usize];
    // SAFETY: tag has the length asked for.
    unsafe { EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_AEAD_GET_TAG, tag.len() as c_int, tag.as_mut_ptr() as *mut c_void) };
    Ok(args.ctx.array_buffer(tag)?.value())
}

/// `(handle, tag)`: the expected tag before decryption finishes; false when refused.
fn cipher_set_tag(args: &Args) -> JsResult<Value> {
    let c = handle!(args, 0, CipherState);
    let mut tag = arg_bytes(args, 1)?;
    // SAFETY: tag is valid for its length.
    let ok = unsafe { EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_AEAD_SET_TAG, tag.len() as c_int, tag.as_mut_ptr() as *mut c_void) == 1 };
    if !ok {
        unsafe { ERR_clear_error() };
    }
    Ok(args.ctx.boolean(ok))
}

fn cipher_set_padding(args: &Args) -> JsResult<Value> {
    let c = handle!(args, 0, CipherState);
    // SAFETY: the context is valid.
    let ok = unsafe { EVP_CIPHER_CTX_set_padding(c.ctx, args.get(1).to_boolean() as c_int) == 1 };
    Ok(args.ctx.boolean(ok))
}

// --- Binding ----------------------------------------------------------------------------

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    let ops: &[(&str, jsc::NativeFn)] = &[
        ("digestId", digest_id),
        ("digestNew", digest_new),
        ("digestUpdate", digest_update),
        ("digestFinal", digest_final),
        ("digestCopy", digest_copy),
        ("digestOnce", digest_once),
        ("digestShort", digest_short),
        ("digestInfo", digest_info),
        ("getHashes", get_hashes),
        ("getCiphers", get_ciphers),
        ("getCurves", get_curves),
        ("hmacNew", hmac_new),
        ("hmacUpdate", hmac_update),
        ("hmacFinal", hmac_final),
        ("randomFill", random_fill),
        ("timingSafeEqual", timing_safe_equal),
        ("pbkdf2", pbkdf2),
        ("scryptCheck", scrypt_check),
        ("scrypt", scrypt),
        ("hkdf", hkdf),
        ("cipherInfo", cipher_info),
        ("cipherNameOfNid", cipher_name_of_nid),
        ("cipherNew", cipher_new),
        ("cipherUpdate", cipher_update),
        ("cipherSetAAD", cipher_set_aad),
        ("cipherSetLength", cipher_set_length),
        ("cipherFinal", cipher_final),
        ("cipherGetTag", cipher_get_tag),
        ("cipherSetTag", cipher_set_tag),
        ("cipherSetPadding", cipher_set_padding),
    ];
    for (name, op) in ops {
        b.set_function(name, *op)?;
    }
    b.set("digestScratch", SHORT_SCRATCH.with(|cells| ctx.shared_f64_array(cells))?.value())?;
    // SAFETY: a constant of the linked library.
    b.set("opensslVersionNumber", ctx.number(unsafe { OpenSSL_version_num() } as f64))?;
    keys::register(ctx, b)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        let enc = |s: &str, url| base64_text(s.as_bytes(), url);
        assert_eq!(enc("", false), "");
        assert_eq!(enc("f", false), "Zg==");
        assert_eq!(enc("fo", false), "Zm8=");
        assert_eq!(enc("foobar", false), "Zm9vYmFy");
        assert_eq!(enc("\u{ff}\u{fe}", true), "w7_Dvg");
    }

    #[test]
    fn hex_is_lowercase_pairs() {
        assert_eq!(hex_text(&[]), "");
        assert_eq!(hex_text(&[0, 9, 10, 0x7f, 0x80, 0xab, 0xff]), "00090a7f80abff");
    }

    #[test]
    fn one_shot_digests_match_evp_contexts() {
        let input: Vec<u8> = (0..300u32).map(|i| (i * 7) as u8).collect();
        for name in ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-256", "shake128"] {
            let md = fetch_md(name);
            let size = unsafe { EVP_MD_get_size(md) } as usize;
            for len in [0, 1, 55, 56, 64, 300] {
                let mut fast = [0u8; EVP_MAX_MD_SIZE];
                assert!(digest_default_into(md, &input[..len], &mut fast), "{name}");
                let d = Digest::new(md, size).expect("context");
                assert!(d.update(&input[..len]));
                assert_eq!(&fast[..size], &d.finish().expect("digest")[..], "{name} {len}");
            }
        }
    }

    #[test]
    fn hkdf_matches_rfc5869_case_1() {
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0..=12).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        let okm = hkdf_derive(fetch_md("sha256"), &ikm, &salt, &info, 42);
        let hex: String = okm.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    #[test]
    fn pbkdf2_sha_fast_path_matches_hmac_contexts() {
        for name in ["sha1", "sha224", "sha256", "sha384", "sha512"] {
            let md = fetch_md(name);
            let family = sha_family(md).expect("sha family");
            let long_key = vec![7u8; 200];
            let cases: [(&[u8], &[u8], u32, usize); 3] = [(b"password", b"salt", 2, 20), (&long_key, b"s", 3, 100), (b"", b"", 1, 8)];
            for (pass, salt, iterations, len) in cases {
                assert_eq!(pbkdf2_sha(family, pass, salt, iterations, len), pbkdf2_hmac_contexts(md, pass, salt, iterations, len), "{name}");
            }
        }
    }
}
