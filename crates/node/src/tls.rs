//! Ops behind node:tls: OpenSSL contexts and connection engines. An engine is an
//! `SslStream` over in-memory buffers: JS feeds it the ciphertext read from the socket
//! and gets back plaintext to push and ciphertext to write; nothing here touches the
//! network. js/_tls_common.js and js/_tls_wrap.js validate options, so the ops assume
//! valid input.

use jsc::{Args, Ctx, JsResult, Object, Value};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{
    ClientHelloResponse, ErrorCode, NameType, Ssl, SslContext, SslContextBuilder, SslMethod, SslOptions,
    SslSession, SslSessionCacheMode, SslStream, SslVerifyMode, SslVersion,
};
use openssl::x509::{X509Ref, X509VerifyResult, X509};
use std::cell::RefCell;
use std::ffi::{c_int, c_void};
use std::io::{self, Read, Write};
use std::sync::OnceLock;

use jsc::ArrayBuilder;

unsafe extern "C" {
    fn SSL_client_hello_get0_ext(ssl: *mut c_void, kind: u32, out: *mut *const u8, outlen: *mut usize) -> c_int;
    fn SSL_set_SSL_CTX(ssl: *mut c_void, ctx: *mut c_void) -> *mut c_void;
    fn X509_check_ca(x: *const c_void) -> c_int;
    fn X509_get_ext_d2i(x: *const c_void, nid: c_int, crit: *mut c_int, idx: *mut c_int) -> *mut c_void;
    fn OPENSSL_sk_num(stack: *const c_void) -> c_int;
    fn OPENSSL_sk_value(stack: *const c_void, i: c_int) -> *mut c_void;
    fn OPENSSL_sk_pop_free(stack: *mut c_void, free: unsafe extern "C" fn(*mut c_void));
    fn ASN1_OBJECT_free(obj: *mut c_void);
    fn SSL_ctrl(ssl: *mut c_void, cmd: c_int, larg: std::ffi::c_long, parg: *mut c_void) -> std::ffi::c_long;
    fn SSL_set_session(ssl: *mut c_void, session: *mut c_void) -> c_int;
    fn SSL_get_ex_data(ssl: *const c_void, idx: c_int) -> *mut c_void;
    fn SSL_get_ciphers(ssl: *const c_void) -> *const c_void;
    fn SSL_CIPHER_get_name(cipher: *const c_void) -> *const std::ffi::c_char;
    fn OBJ_obj2txt(buf: *mut u8, len: c_int, obj: *const c_void, no_name: c_int) -> c_int;
}

/// The transport under the TLS stream: ciphertext received but not yet read by OpenSSL,
/// and ciphertext OpenSSL wrote that JS has not yet taken.
#[derive(Default)]
struct MemoryTransport {
    incoming: Vec<u8>,
    read_pos: usize,
    outgoing: Vec<u8>,
}

impl Read for MemoryTransport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = &self.incoming[self.read_pos..];
        if available.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.read_pos += n;
        if self.read_pos == self.incoming.len() {
            self.incoming.clear();
            self.read_pos = 0;
        }
        Ok(n)
    }
}

impl Write for MemoryTransport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outgoing.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Per-connection state the OpenSSL callbacks share with the engine (Ssl ex data).
#[derive(Default)]
struct CallbackState {
    /// The server pauses at the ClientHello so JS can pick a context (SNICallback).
    pause_for_servername: bool,
    /// The server name the ClientHello asked for.
    servername: Option<String>,
    /// Server ALPN preference list in wire format; None means no ALPN on this server.
    alpn_server: Option<Vec<u8>>,
    /// Sessions the server sent (client side), DER-encoded, not yet handed to JS.
    new_sessions: Vec<Vec<u8>>,
}

fn state_index() -> openssl::ex_data::Index<Ssl, CallbackState> {
    static INDEX: OnceLock<openssl::ex_data::Index<Ssl, CallbackState>> = OnceLock::new();
    *INDEX.get_or_init(|| Ssl::new_ex_index().expect("ssl ex index"))
}

struct Engine {
    stream: SslStream<MemoryTransport>,
    is_server: bool,
    established: bool,
}

struct EngineHandle(RefCell<Engine>);
struct ContextHandle(SslContext);

fn engine<'a>(args: &'a Args, i: usize) -> JsResult<&'a EngineHandle> {
    // Safety of the lifetime: the handle object is an argument, alive for the whole op.
    let v = args.get(i);
    match v.wrapped::<EngineHandle>() {
        Some(e) => Ok(unsafe { &*(e as *const EngineHandle) }),
        None => Err(args.ctx.error("tls: not a TLS engine")),
    }
}

fn context<'a>(args: &'a Args, i: usize) -> JsResult<&'a SslContext> {
    let v = args.get(i);
    match v.wrapped::<ContextHandle>() {
        Some(c) => Ok(unsafe { &(*(c as *const ContextHandle)).0 }),
        None => Err(args.ctx.error("tls: not a secure context")),
    }
}

fn bytes_of(v: Value) -> Vec<u8> {
    v.bytes().map(|b| b.to_vec()).unwrap_or_default()
}

/// An OpenSSL failure as Node's error (message, library, reason, code ERR_OSSL_*; JS
/// renames the SSL library's codes to ERR_SSL_*).
fn openssl_error(ctx: Ctx, stack: &ErrorStack) -> Value {
    crate::crypto::SslFailure::from_stack(stack).to_js(ctx, "TLS failure", false)
}

// --- contexts ------------------------------------------------------------------------

fn version_of(name: &str) -> Option<SslVersion> {
    match name {
        "TLSv1" => Some(SslVersion::TLS1),
        "TLSv1.1" => Some(SslVersion::TLS1_1),
        "TLSv1.2" => Some(SslVersion::TLS1_2),
        "TLSv1.3" => Some(SslVersion::TLS1_3),
        _ => None,
    }
}

fn parse_certs(pem: &[u8]) -> Result<Vec<X509>, ErrorStack> {
    // DER starts with a SEQUENCE tag; anything else is taken as PEM.
    if pem.first() == Some(&0x30) {
        return X509::from_der(pem).map(|c| vec![c]);
    }
    let certs = X509::stack_from_pem(pem)?;
    if certs.is_empty() {
        // No PEM block at all: OpenSSL's own error for it.
        X509::from_pem(pem)?;
    }
    Ok(certs)
}

fn parse_key(pem: &[u8], passphrase: Option<&[u8]>) -> Result<PKey<Private>, ErrorStack> {
    if pem.first() == Some(&0x30) {
        return PKey::private_key_from_der(pem);
    }
    match passphrase {
        Some(p) => PKey::private_key_from_pem_passphrase(pem, p),
        None => PKey::private_key_from_pem(pem),
    }
}

/// Everything a context was configured with, in the order js/_tls_common.js passes it.
struct ContextOptions {
    keys: Vec<Vec<u8>>,
    certs: Vec<Vec<u8>>,
    cas: Vec<Vec<u8>>,
    pfx: Option<openssl::pkcs12::ParsedPkcs12_2>,
    passphrase: Option<Vec<u8>>,
    ciphers: Option<String>,
    min_version: String,
    max_version: String,
    ecdh_curve: Option<String>,
    honor_cipher_order: bool,
}

fn list_of_bytes(v: Value) -> JsResult<Vec<Vec<u8>>> {
    let Some(list) = v.as_object() else { return Ok(Vec::new()) };
    let len = list.get("length")?.to_number()? as u32;
    (0..len).map(|i| Ok(bytes_of(list.get_index(i)?))).collect()
}

fn optional_string(v: Value) -> JsResult<Option<String>> {
    if v.is_string() { Ok(Some(v.to_string()?)) } else { Ok(None) }
}

fn build_context(o: &ContextOptions) -> Result<SslContext, ErrorStack> {
    let mut b = SslContextBuilder::new(SslMethod::tls())?;
    b.set_min_proto_version(version_of(&o.min_version))?;
    b.set_max_proto_version(version_of(&o.max_version))?;
    b.set_options(SslOptions::NO_COMPRESSION | SslOptions::NO_RENEGOTIATION);
    if o.honor_cipher_order {
        b.set_options(SslOptions::CIPHER_SERVER_PREFERENCE);
    }
    if let Some(ciphers) = &o.ciphers {
        // One list names both TLSv1.3 suites (TLS_*) and older cipher strings.
        let (v13, older): (Vec<&str>, Vec<&str>) = ciphers.split(':').partition(|c| c.starts_with("TLS_"));
        if !older.is_empty() {
            b.set_cipher_list(&older.join(":"))?;
        }
        b.set_ciphersuites(&v13.join(":"))?;
    }
    if let Some(curve) = &o.ecdh_curve {
        if curve != "auto" {
            b.set_groups_list(curve)?;
        }
    }
    if let Some(parsed) = &o.pfx {
        if let Some(key) = &parsed.pkey {
            b.set_private_key(&key)?;
        }
        if let Some(cert) = &parsed.cert {
            b.set_certificate(cert)?;
        }
        if let Some(chain) = &parsed.ca {
            for c in chain {
                b.add_extra_chain_cert(c.to_owned())?;
            }
        }
    }
    for pem in &o.certs {
        let mut chain = parse_certs(pem)?.into_iter();
        if let Some(leaf) = chain.next() {
            b.set_certificate(&leaf)?;
        }
        for c in chain {
            b.add_extra_chain_cert(c)?;
        }
    }
    for pem in &o.keys {
        let key = parse_key(pem, o.passphrase.as_deref())?;
        b.set_private_key(&key)?;
    }
    if o.cas.is_empty() {
        b.set_default_verify_paths()?;
    } else {
        for pem in &o.cas {
            for c in parse_certs(pem)? {
                // The same CA twice is not an error for Node.
                let _ = b.cert_store_mut().add_cert(c);
            }
        }
    }
    b.set_session_id_context(b"ferro-tls")?;
    b.set_session_cache_mode(SslSessionCacheMode::BOTH);
    b.set_new_session_callback(|ssl, session| {
        if let (Some(state), Ok(der)) = (ssl.ex_data_mut(state_index()), session.to_der()) {
            state.new_sessions.push(der);
        }
    });
    b.set_client_hello_callback(|ssl, _alert| {
        let ptr = ssl as *mut openssl::ssl::SslRef as *mut c_void;
        let servername = unsafe { client_hello_servername(ptr) };
        let Some(state) = ssl.ex_data_mut(state_index()) else { return Ok(ClientHelloResponse::SUCCESS) };
        if state.pause_for_servername {
            state.pause_for_servername = false;
            state.servername = servername;
            if state.servername.is_some() {
                return Ok(ClientHelloResponse::RETRY);
            }
        } else if state.servername.is_none() {
            state.servername = servername;
        }
        Ok(ClientHelloResponse::SUCCESS)
    });
    b.set_alpn_select_callback(|ssl, client| {
        let server = ssl.ex_data(state_index()).and_then(|s| s.alpn_server.clone());
        let Some(server) = server else { return Err(openssl::ssl::AlpnError::NOACK) };
        // Node picks by the server's preference order.
        let mut rest = &server[..];
        while let Some((&len, tail)) = rest.split_first() {
            let (proto, next) = tail.split_at((len as usize).min(tail.len()));
            if let Some(found) = find_protocol(client, proto) {
                return Ok(found);
            }
            rest = next;
        }
        Err(openssl::ssl::AlpnError::ALERT_FATAL)
    });
    // Verification runs to the end and JS judges its result (rejectUnauthorized).
    b.set_verify_callback(SslVerifyMode::NONE, |_, _| true);
    Ok(b.build())
}

/// The entry of `client` (an ALPN wire list) equal to `proto`, borrowed from `client`.
fn find_protocol<'a>(client: &'a [u8], proto: &[u8]) -> Option<&'a [u8]> {
    let mut rest = client;
    while let Some((&len, tail)) = rest.split_first() {
        let (p, next) = tail.split_at((len as usize).min(tail.len()));
        if p == proto {
            return Some(p);
        }
        rest = next;
    }
    None
}

/// The host_name entry of the ClientHello's server_name extension.
unsafe fn client_hello_servername(ssl: *mut c_void) -> Option<String> {
    let mut data: *const u8 = std::ptr::null();
    let mut len = 0usize;
    if unsafe { SSL_client_hello_get0_ext(ssl, 0, &mut data, &mut len) } == 0 || data.is_null() {
        return None;
    }
    let ext = unsafe { std::slice::from_raw_parts(data, len) };
    // list length (2), name type (1, 0 = host_name), name length (2), name.
    if ext.len() < 5 || ext[2] != 0 {
        return None;
    }
    let n = u16::from_be_bytes([ext[3], ext[4]]) as usize;
    let name = ext.get(5..5 + n)?;
    String::from_utf8(name.to_vec()).ok()
}

/// `createContext(keys[], certs[], cas[], pfx, passphrase, ciphers, minVersion, maxVersion,
/// ecdhCurve, honorCipherOrder)`.
fn create_context(args: &Args) -> JsResult<Value> {
    let passphrase = args.get(4);
    let pfx = bytes_of(args.get(3));
    let pfx = if pfx.is_empty() {
        None
    } else {
        let password = if passphrase.is_string() { passphrase.to_string()? } else { String::new() };
        // Node reports a bad bundle by OpenSSL's reason alone, without a code.
        match Pkcs12::from_der(&pfx).and_then(|p| p.parse2(&password)) {
            Ok(parsed) => Some(parsed),
            Err(e) => {
                let reason = e.errors().first().and_then(|e| e.reason()).unwrap_or("not enough data").to_string();
                return Err(crate::crypto::js_error(args.ctx, "Error", &reason, None));
            }
        }
    };
    let o = ContextOptions {
        keys: list_of_bytes(args.get(0))?,
        certs: list_of_bytes(args.get(1))?,
        cas: list_of_bytes(args.get(2))?,
        pfx,
        passphrase: if passphrase.is_string() {
            Some(passphrase.to_string()?.into_bytes())
        } else {
            passphrase.bytes().map(|b| b.to_vec())
        },
        ciphers: optional_string(args.get(5))?,
        min_version: args.string(6)?,
        max_version: args.string(7)?,
        ecdh_curve: optional_string(args.get(8))?,
        honor_cipher_order: args.get(9).to_boolean(),
    };
    match build_context(&o) {
        Ok(c) => Ok(args.ctx.wrap(ContextHandle(c)).value()),
        Err(e) => Err(openssl_error(args.ctx, &e)),
    }
}

// --- engines -------------------------------------------------------------------------

/// `create(context, isServer, servername, alpnWire, requestCert (0, 1 or 2), sessionDer,
/// pauseForServername)`.
fn create(args: &Args) -> JsResult<Value> {
    let ctx = context(args, 0)?;
    let is_server = args.get(1).to_boolean();
    let make = || -> Result<Ssl, ErrorStack> {
        let mut ssl = Ssl::new(ctx)?;
        let mut state = CallbackState::default();
        let alpn = args.get(3).bytes().map(|b| b.to_vec());
        if is_server {
            ssl.set_accept_state();
            state.alpn_server = alpn;
            state.pause_for_servername = args.get(6).to_boolean();
            // requestCert: 1 asks for a certificate, 2 also fails the handshake without one.
            let request_cert = args.get(4).to_number().unwrap_or(0.0);
            if request_cert >= 2.0 {
                ssl.set_verify_callback(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT, |_, _| true);
            } else if request_cert >= 1.0 {
                ssl.set_verify_callback(SslVerifyMode::PEER, |_, _| true);
            }
        } else {
            ssl.set_connect_state();
            ssl.set_verify_callback(SslVerifyMode::PEER, |_, _| true);
            if let Some(name) = args.get(2).is_string().then(|| args.string(2).ok()).flatten().filter(|s| !s.is_empty()) {
                ssl.set_hostname(&name)?;
            }
            if let Some(wire) = alpn.filter(|w| !w.is_empty()) {
                ssl.set_alpn_protos(&wire)?;
            }
            if let Some(der) = args.get(5).bytes() {
                if let Ok(session) = SslSession::from_der(der) {
                    // Safety: the session comes from a context of the same kind (TLS client).
                    unsafe { ssl.set_session(&session)? };
                }
            }
        }
        ssl.set_ex_data(state_index(), state);
        Ok(ssl)
    };
    match make() {
        Ok(ssl) => {
            let stream = SslStream::new(ssl, MemoryTransport::default()).map_err(|e| openssl_error(args.ctx, &e))?;
            let engine = Engine { stream, is_server, established: false };
            Ok(args.ctx.wrap(EngineHandle(RefCell::new(engine))).value())
        }
        Err(e) => Err(openssl_error(args.ctx, &e)),
    }
}

// Flags in what `feed` returns.
const SECURE_NOW: f64 = 1.0;
const PEER_CLOSED: f64 = 2.0;
const WANTS_SERVERNAME: f64 = 4.0;

/// `feed(engine, ciphertext?)`: runs the handshake and reads all the plaintext there is.
/// Returns [ciphertextOut, plaintext, flags, error, sessions].
fn feed(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let handle = engine(args, 0)?;
    let mut e = handle.0.borrow_mut();
    if let Some(bytes) = args.get(1).bytes() {
        e.stream.get_mut().incoming.extend_from_slice(bytes);
    }
    let mut flags = 0.0;
    let mut error = ctx.undefined();
    let mut plaintext = Vec::new();
    let mut filled = 0;
    if !e.established {
        match e.stream.do_handshake() {
            Ok(()) => {
                e.established = true;
                flags += SECURE_NOW;
            }
            Err(err) if err.code() == ErrorCode::WANT_READ || err.code() == ErrorCode::WANT_WRITE => {}
            Err(err) if err.code() == ErrorCode::WANT_CLIENT_HELLO_CB => flags += WANTS_SERVERNAME,
            Err(err) => error = ssl_error(ctx, &err),
        }
    }
    if e.established && error.is_undefined() {
        // Plaintext is never longer than the ciphertext it came in, so one buffer of
        // that size (plus a record's worth) takes it all without copying twice.
        let pending = e.stream.get_ref().incoming.len() - e.stream.get_ref().read_pos;
        plaintext.resize(pending + 16384, 0);
        loop {
            if filled == plaintext.len() {
                plaintext.resize(filled + 16384, 0);
            }
            match e.stream.ssl_read(&mut plaintext[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(err) if err.code() == ErrorCode::WANT_READ || err.code() == ErrorCode::WANT_WRITE => break,
                Err(err) if err.code() == ErrorCode::ZERO_RETURN => {
                    flags += PEER_CLOSED;
                    break;
                }
                Err(err) => {
                    error = ssl_error(ctx, &err);
                    break;
                }
            }
        }
    }
    plaintext.truncate(filled);
    let out = std::mem::take(&mut e.stream.get_mut().outgoing);
    let sessions: Vec<Vec<u8>> = unsafe_state(&e).map(|s| std::mem::take(&mut s.new_sessions)).unwrap_or_default();
    let out = if out.is_empty() { ctx.undefined() } else { ctx.uint8_array(out)?.value() };
    let plaintext = if plaintext.is_empty() { ctx.undefined() } else { ctx.uint8_array(plaintext)?.value() };
    let sessions = if sessions.is_empty() {
        ctx.undefined()
    } else {
        ctx.array_from(sessions.into_iter().map(|s| ctx.uint8_array(s).map(|o| o.value())))?.value()
    };
    Ok(ctx.array(&[out, plaintext, ctx.number(flags), error, sessions])?.value())
}

/// The engine's callback state, for reading and taking what the callbacks left.
fn unsafe_state(e: &Engine) -> Option<&mut CallbackState> {
    // Safety: the state is a Box the openssl crate keeps in the SSL's ex data; the engine
    // is borrowed by the caller and no callback runs meanwhile.
    unsafe { (SSL_get_ex_data(raw_ssl(e), state_index().as_raw()) as *mut CallbackState).as_mut() }
}

fn ssl_error(ctx: Ctx, err: &openssl::ssl::Error) -> Value {
    match err.ssl_error() {
        Some(stack) => openssl_error(ctx, stack),
        None => crate::crypto::js_error(ctx, "Error", &err.io_error().map(|e| e.to_string()).unwrap_or_else(|| "socket hang up".into()), Some("ECONNRESET")),
    }
}

/// `write(engine, plaintext)` → the ciphertext to send.
fn write(args: &Args) -> JsResult<Value> {
    let handle = engine(args, 0)?;
    let mut e = handle.0.borrow_mut();
    // Borrowed from the JS buffer: nothing below runs JS.
    let value = args.get(1);
    let data: &[u8] = value.bytes().map(|b| &*b).unwrap_or(&[]);
    let mut written = 0;
    while written < data.len() {
        match e.stream.ssl_write(&data[written..]) {
            Ok(n) => written += n,
            Err(err) => return Err(ssl_error(args.ctx, &err)),
        }
    }
    let out = std::mem::take(&mut e.stream.get_mut().outgoing);
    Ok(args.ctx.uint8_array(out)?.value())
}

/// `shutdown(engine)` → the close_notify alert to send.
fn shutdown(args: &Args) -> JsResult<Value> {
    let handle = engine(args, 0)?;
    let mut e = handle.0.borrow_mut();
    let _ = e.stream.shutdown();
    let out = std::mem::take(&mut e.stream.get_mut().outgoing);
    Ok(args.ctx.uint8_array(out)?.value())
}

/// `setContext(engine, context)`: SNI picked another context; the handshake resumes on
/// the next `feed`.
fn set_context(args: &Args) -> JsResult<Value> {
    let handle = engine(args, 0)?;
    let ctx = context(args, 1)?;
    let e = handle.0.borrow_mut();
    let ssl = raw_ssl(&e);
    let raw_ctx = &**ctx as *const openssl::ssl::SslContextRef as *mut c_void;
    unsafe { SSL_set_SSL_CTX(ssl, raw_ctx) };
    Ok(args.ctx.undefined())
}

fn servername(args: &Args) -> JsResult<Value> {
    let handle = engine(args, 0)?;
    let e = handle.0.borrow();
    let name = if e.is_server {
        unsafe_state(&e).and_then(|s| s.servername.clone())
    } else {
        e.stream.ssl().servername(NameType::HOST_NAME).map(str::to_string)
    };
    Ok(match name {
        Some(n) => args.ctx.string(&n),
        None => args.ctx.boolean(false),
    })
}

fn protocol(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow();
    Ok(args.ctx.string(e.stream.ssl().version_str()))
}

/// [name, standardName, version] of the negotiated cipher.
fn cipher(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = engine(args, 0)?.0.borrow();
    let Some(c) = e.stream.ssl().current_cipher() else { return Ok(ctx.undefined()) };
    let version = if c.version() == "TLSv1.0" { "TLSv1/SSLv3" } else { c.version() };
    Ok(ctx
        .array(&[ctx.string(c.name()), ctx.string(c.standard_name().unwrap_or(c.name())), ctx.string(version)])?
        .value())
}

fn alpn_protocol(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow();
    Ok(match e.stream.ssl().selected_alpn_protocol() {
        Some(p) => args.ctx.string(&String::from_utf8_lossy(p)),
        None => args.ctx.boolean(false),
    })
}

/// [code number, message] of the peer verification, or null when it passed.
fn verify_error(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = engine(args, 0)?.0.borrow();
    let ssl = e.stream.ssl();
    if ssl.peer_certificate().is_none() {
        if e.is_server {
            return Ok(ctx.array(&[ctx.string("UNABLE_TO_GET_ISSUER_CERT"), ctx.string("peer did not return a certificate")])?.value());
        }
    }
    let result = ssl.verify_result();
    if result == X509VerifyResult::OK {
        return Ok(ctx.null());
    }
    Ok(ctx.array(&[ctx.string(verify_code_name(result.as_raw())), ctx.string(result.error_string())])?.value())
}

/// Node's names for OpenSSL's X509_V_ERR_* numbers.
fn verify_code_name(code: i32) -> &'static str {
    match code {
        2 => "UNABLE_TO_GET_ISSUER_CERT",
        3 => "UNABLE_TO_GET_CRL",
        4 => "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
        5 => "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
        6 => "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
        7 => "CERT_SIGNATURE_FAILURE",
        8 => "CRL_SIGNATURE_FAILURE",
        9 => "CERT_NOT_YET_VALID",
        10 => "CERT_HAS_EXPIRED",
        11 => "CRL_NOT_YET_VALID",
        12 => "CRL_HAS_EXPIRED",
        13 => "ERROR_IN_CERT_NOT_BEFORE_FIELD",
        14 => "ERROR_IN_CERT_NOT_AFTER_FIELD",
        15 => "ERROR_IN_CRL_LAST_UPDATE_FIELD",
        16 => "ERROR_IN_CRL_NEXT_UPDATE_FIELD",
        17 => "OUT_OF_MEM",
        18 => "DEPTH_ZERO_SELF_SIGNED_CERT",
        19 => "SELF_SIGNED_CERT_IN_CHAIN",
        20 => "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        21 => "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        22 => "CERT_CHAIN_TOO_LONG",
        23 => "CERT_REVOKED",
        24 => "INVALID_CA",
        25 => "PATH_LENGTH_EXCEEDED",
        26 => "INVALID_PURPOSE",
        27 => "CERT_UNTRUSTED",
        28 => "CERT_REJECTED",
        62 => "HOSTNAME_MISMATCH",
        _ => "UNSPECIFIED",
    }
}

fn is_session_reused(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow();
    Ok(args.ctx.boolean(e.stream.ssl().session_reused()))
}

fn session(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow();
    match e.stream.ssl().session().and_then(|s| s.to_der().ok()) {
        Some(der) => Ok(args.ctx.uint8_array(der)?.value()),
        None => Ok(args.ctx.undefined()),
    }
}

/// The engine's SSL as OpenSSL's pointer, for the calls the openssl crate only offers
/// on an owned `Ssl`.
fn raw_ssl(e: &Engine) -> *mut c_void {
    e.stream.ssl() as *const openssl::ssl::SslRef as *mut c_void
}

/// `finished(engine, peer)` → the latest Finished message sent (or received), or undefined.
fn finished(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow();
    let mut buf = [0u8; 128];
    let ssl = e.stream.ssl();
    let n = if args.get(1).to_boolean() { ssl.peer_finished(&mut buf) } else { ssl.finished(&mut buf) };
    if n == 0 {
        return Ok(args.ctx.undefined());
    }
    Ok(args.ctx.uint8_array(buf[..n.min(buf.len())].to_vec())?.value())
}

/// `exportKeyingMaterial(engine, length, label, context?)`.
fn export_keying_material(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow();
    let mut out = vec![0u8; args.number(1)? as usize];
    let label = args.string(2)?;
    let context = args.get(3).bytes().map(|b| b.to_vec());
    match e.stream.ssl().export_keying_material(&mut out, &label, context.as_deref()) {
        Ok(()) => Ok(args.ctx.uint8_array(out)?.value()),
        Err(err) => Err(openssl_error(args.ctx, &err)),
    }
}

/// `ephemeralKeyInfo(engine)` → [type, name, size] of the peer's key exchange key.
fn ephemeral_key_info(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = engine(args, 0)?.0.borrow();
    let Ok(key) = e.stream.ssl().peer_tmp_key() else { return Ok(ctx.undefined()) };
    let (kind, name) = match key.id() {
        openssl::pkey::Id::X25519 => ("ECDH", "X25519".to_string()),
        openssl::pkey::Id::X448 => ("ECDH", "X448".to_string()),
        openssl::pkey::Id::DH => ("DH", String::new()),
        openssl::pkey::Id::EC => {
            let curve = key.ec_key().ok().and_then(|k| k.group().curve_name());
            ("ECDH", curve.and_then(|n| n.short_name().ok()).unwrap_or("").to_string())
        }
        _ => return Ok(ctx.undefined()),
    };
    Ok(ctx.array(&[ctx.string(kind), ctx.string(&name), ctx.number(key.bits() as f64)])?.value())
}

/// `setServername(engine, name)`: the SNI a client sends, before its first flight.
fn set_servername(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow_mut();
    let Ok(name) = std::ffi::CString::new(args.string(1)?) else { return Ok(args.ctx.undefined()) };
    // SSL_set_tlsext_host_name: SSL_CTRL_SET_TLSEXT_HOSTNAME (55), TLSEXT_NAMETYPE_host_name (0).
    unsafe { SSL_ctrl(raw_ssl(&e), 55, 0, name.as_ptr() as *mut c_void) };
    Ok(args.ctx.undefined())
}

/// `setSession(engine, der)`: the session a client offers to resume.
fn set_session(args: &Args) -> JsResult<Value> {
    let e = engine(args, 0)?.0.borrow_mut();
    let der = bytes_of(args.get(1));
    let session = SslSession::from_der(&der).map_err(|err| openssl_error(args.ctx, &err))?;
    // SSL_set_session takes its own reference to the session.
    unsafe { SSL_set_session(raw_ssl(&e), &*session as *const openssl::ssl::SslSessionRef as *mut c_void) };
    Ok(args.ctx.undefined())
}

// --- certificates --------------------------------------------------------------------

fn hex_colons(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// A name as a flat [key, value, key, value, ...] list.
fn name_entries(ctx: Ctx, name: &openssl::x509::X509NameRef) -> JsResult<Value> {
    let mut flat = ArrayBuilder::new(ctx)?;
    for entry in name.entries() {
        flat.push(ctx.string(entry.object().nid().short_name().unwrap_or("UNDEF")))?;
        flat.push(ctx.string(&entry.data().to_string().unwrap_or_default()))?;
    }
    Ok(flat.value())
}

fn alt_names(cert: &X509Ref) -> Option<String> {
    let names = cert.subject_alt_names()?;
    let parts: Vec<String> = names
        .iter()
        .filter_map(|n| {
            if let Some(d) = n.dnsname() {
                Some(format!("DNS:{d}"))
            } else if let Some(ip) = n.ipaddress() {
                let addr = match ip.len() {
                    4 => std::net::IpAddr::from(<[u8; 4]>::try_from(ip).ok()?).to_string(),
                    16 => ipv6_text(ip),
                    _ => return None,
                };
                Some(format!("IP Address:{addr}"))
            } else if let Some(e) = n.email() {
                Some(format!("email:{e}"))
            } else {
                n.uri().map(|u| format!("URI:{u}"))
            }
        })
        .collect();
    Some(parts.join(", "))
}

/// OpenSSL's IPv6 spelling in certificates: eight uncompressed uppercase groups.
fn ipv6_text(ip: &[u8]) -> String {
    ip.chunks(2).map(|g| format!("{:X}", u16::from_be_bytes([g[0], g[1]]))).collect::<Vec<_>>().join(":")
}

fn ext_key_usage(cert: &X509Ref) -> Option<Vec<String>> {
    let raw = cert as *const X509Ref as *const c_void;
    // NID_ext_key_usage = 126.
    let stack = unsafe { X509_get_ext_d2i(raw, 126, std::ptr::null_mut(), std::ptr::null_mut()) };
    if stack.is_null() {
        return None;
    }
    let mut out = Vec::new();
    unsafe {
        for i in 0..OPENSSL_sk_num(stack) {
            let obj = OPENSSL_sk_value(stack, i);
            let mut buf = [0u8; 128];
            let n = OBJ_obj2txt(buf.as_mut_ptr(), buf.len() as c_int, obj, 1);
            if n > 0 {
                out.push(String::from_utf8_lossy(&buf[..(n as usize).min(buf.len())]).into_owned());
            }
        }
        OPENSSL_sk_pop_free(stack, ASN1_OBJECT_free);
    }
    Some(out)
}

/// A certificate in the shape of Node's getPeerCertificate() (before JS turns name
/// lists into objects and links issuers).
fn certificate_object(ctx: Ctx, cert: &X509Ref) -> JsResult<Object> {
    let o = ctx.object();
    o.set("subject", name_entries(ctx, cert.subject_name())?)?;
    o.set("issuer", name_entries(ctx, cert.issuer_name())?)?;
    o.set("subjectaltname", alt_names(cert).map(|s| ctx.string(&s)).unwrap_or(ctx.undefined()))?;
    o.set("infoAccess", ctx.undefined())?;
    let is_ca = unsafe { X509_check_ca(cert as *const X509Ref as *const c_void) } != 0;
    o.set("ca", ctx.boolean(is_ca))?;
    let key = cert.public_key().ok();
    let mut curve = None;
    if let Some(key) = &key {
        if let Ok(rsa) = key.rsa() {
            o.set("modulus", ctx.string(&rsa.n().to_hex_str().map(|s| s.to_string()).unwrap_or_default()))?;
            o.set("exponent", ctx.string(&format!("0x{}", rsa.e().to_hex_str().map(|s| s.trim_start_matches('0').to_lowercase()).unwrap_or_default())))?;
            o.set("pubkey", ctx.uint8_array(key.public_key_to_der().unwrap_or_default())?.value())?;
            o.set("bits", ctx.number(key.bits() as f64))?;
        } else if let Ok(ec) = key.ec_key() {
            o.set("pubkey", ctx.uint8_array(key.public_key_to_der().unwrap_or_default())?.value())?;
            o.set("bits", ctx.number(key.bits() as f64))?;
            curve = ec.group().curve_name();
        }
    }
    o.set("valid_from", ctx.string(&cert.not_before().to_string()))?;
    o.set("valid_to", ctx.string(&cert.not_after().to_string()))?;
    for (name, md) in [
        ("fingerprint", MessageDigest::sha1()),
        ("fingerprint256", MessageDigest::sha256()),
        ("fingerprint512", MessageDigest::sha512()),
    ] {
        let digest = cert.digest(md).map(|d| hex_colons(&d)).unwrap_or_default();
        o.set(name, ctx.string(&digest))?;
    }
    let usages = match ext_key_usage(cert) {
        Some(usages) => ctx.array_from(usages.iter().map(|u| Ok(ctx.string(u))))?.value(),
        None => ctx.undefined(),
    };
    o.set("ext_key_usage", usages)?;
    let serial = cert.serial_number().to_bn().ok().and_then(|bn| bn.to_hex_str().ok().map(|s| s.to_string()));
    o.set("serialNumber", ctx.string(&serial.unwrap_or_default()))?;
    o.set("raw", ctx.uint8_array(cert.to_der().unwrap_or_default())?.value())?;
    let (asn1, nist) = match curve {
        Some(nid) => (nid.short_name().ok().map(str::to_string), nist_name(nid)),
        None => (None, None),
    };
    o.set("asn1Curve", asn1.map(|s| ctx.string(&s)).unwrap_or(ctx.undefined()))?;
    o.set("nistCurve", nist.map(|s| ctx.string(s)).unwrap_or(ctx.undefined()))?;
    Ok(o)
}

fn nist_name(nid: Nid) -> Option<&'static str> {
    match nid {
        Nid::X9_62_PRIME256V1 => Some("P-256"),
        Nid::SECP384R1 => Some("P-384"),
        Nid::SECP521R1 => Some("P-521"),
        Nid::SECP224R1 => Some("P-224"),
        _ => None,
    }
}

/// `peerCertificates(engine)` → the peer's chain, leaf first, as certificate objects
/// (empty when the peer sent none): the verified chain up to the trusted root when
/// verification built one, else what the peer sent.
fn peer_certificates(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = engine(args, 0)?.0.borrow();
    let ssl = e.stream.ssl();
    let Some(leaf) = ssl.peer_certificate() else { return Ok(ctx.array(&[])?.value()) };
    let leaf_der = leaf.to_der().ok();
    let mut list = ArrayBuilder::new(ctx)?;
    list.push(certificate_object(ctx, &leaf)?.value())?;
    let chain = ssl.verified_chain().filter(|c| c.len() > 1).or(ssl.peer_cert_chain());
    if let Some(chain) = chain {
        for c in chain.iter() {
            // The server side's peer chain omits the leaf; the others start with it.
            if c.to_der().ok() != leaf_der {
                list.push(certificate_object(ctx, c)?.value())?;
            }
        }
    }
    Ok(list.value())
}

/// `ownCertificate(engine)` → this side's certificate object, or undefined.
fn own_certificate(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = engine(args, 0)?.0.borrow();
    match e.stream.ssl().certificate() {
        Some(c) => Ok(certificate_object(ctx, c)?.value()),
        None => Ok(ctx.undefined()),
    }
}

/// `rootCertificates()` → the system store's certificates as PEM strings.
fn root_certificates(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let mut pems = ArrayBuilder::new(ctx)?;
    for path in system_ca_files() {
        if let Ok(bytes) = std::fs::read(&path) {
            for cert in X509::stack_from_pem(&bytes).unwrap_or_default() {
                if let Ok(pem) = cert.to_pem() {
                    pems.push(ctx.string(String::from_utf8_lossy(&pem).trim_end()))?;
                }
            }
            break;
        }
    }
    Ok(pems.value())
}

/// Where the system keeps its CA bundle (what OpenSSL's default verify paths load).
fn system_ca_files() -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(f) = std::env::var("SSL_CERT_FILE") {
        out.push(f);
    }
    for f in [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/ssl/cert.pem",
        "/usr/lib/ssl/cert.pem",
    ] {
        out.push(f.to_string());
    }
    out
}

/// `ciphers()` → the names of the ciphers a default context offers, lowercase, sorted.
fn ciphers(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let mut names = Vec::new();
    if let Ok(ssl) = SslContext::builder(SslMethod::tls()).and_then(|b| Ssl::new(&b.build())) {
        let ssl_ptr = &*ssl as *const openssl::ssl::SslRef as *const c_void;
        unsafe {
            let stack = SSL_get_ciphers(ssl_ptr);
            if !stack.is_null() {
                for i in 0..OPENSSL_sk_num(stack) {
                    let name = SSL_CIPHER_get_name(OPENSSL_sk_value(stack, i));
                    if !name.is_null() {
                        names.push(std::ffi::CStr::from_ptr(name).to_string_lossy().to_lowercase());
                    }
                }
            }
        }
    }
    names.sort();
    names.dedup();
    ctx.array_from(names.iter().map(|n| Ok(ctx.string(n)))).map(|a| a.value())
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("createContext", create_context)?;
    b.set_function("create", create)?;
    b.set_function("feed", feed)?;
    b.set_function("write", write)?;
    b.set_function("shutdown", shutdown)?;
    b.set_function("setContext", set_context)?;
    b.set_function("servername", servername)?;
    b.set_function("protocol", protocol)?;
    b.set_function("cipher", cipher)?;
    b.set_function("alpnProtocol", alpn_protocol)?;
    b.set_function("verifyError", verify_error)?;
    b.set_function("isSessionReused", is_session_reused)?;
    b.set_function("session", session)?;
    b.set_function("peerCertificates", peer_certificates)?;
    b.set_function("ownCertificate", own_certificate)?;
    b.set_function("rootCertificates", root_certificates)?;
    b.set_function("ciphers", ciphers)?;
    b.set_function("finished", finished)?;
    b.set_function("exportKeyingMaterial", export_keying_material)?;
    b.set_function("ephemeralKeyInfo", ephemeral_key_info)?;
    b.set_function("setServername", set_servername)?;
    b.set_function("setSession", set_session)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_alpn_protocol_in_wire_list() {
        let client = b"\x02h2\x08http/1.1";
        assert_eq!(find_protocol(client, b"http/1.1"), Some(&b"http/1.1"[..]));
        assert_eq!(find_protocol(client, b"h3"), None);
    }

    #[test]
    fn names_verify_errors_as_node() {
        assert_eq!(verify_code_name(18), "DEPTH_ZERO_SELF_SIGNED_CERT");
        assert_eq!(verify_code_name(21), "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    }

    #[test]
    fn spells_ipv6_as_openssl() {
        let mut ip = [0u8; 16];
        ip[15] = 1;
        assert_eq!(ipv6_text(&ip), "0:0:0:0:0:0:0:1");
    }

    #[test]
    fn memory_transport_reads_what_was_fed() {
        let mut t = MemoryTransport::default();
        t.incoming.extend_from_slice(b"abc");
        let mut buf = [0u8; 2];
        assert_eq!(t.read(&mut buf).unwrap(), 2);
        assert_eq!(t.read(&mut buf).unwrap(), 1);
        assert_eq!(t.read(&mut buf).unwrap_err().kind(), io::ErrorKind::WouldBlock);
    }
}
