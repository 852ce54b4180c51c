//! Asymmetric keys for node:crypto: parsing and exporting (PEM, DER, JWK components),
//! generation, signatures, RSA encryption, ECDH, Diffie-Hellman and X.509 certificates,
//! on the `openssl` crate. js/internal/crypto/{keys,sig,keygen,diffiehellman,x509}.js
//! validate arguments and shape results.

use super::{js_error, SslFailure};
use jsc::ArrayBuilder;
use jsc::{Args, Ctx, JsResult, Object, Value};
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::derive::Deriver;
use openssl::dh::Dh;
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::ecdsa::EcdsaSig;
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, PKeyRef, Private, Public};
use openssl::rsa::{Padding, Rsa};
use openssl::sign::{RsaPssSaltlen, Signer, Verifier};
use openssl::symm::Cipher;
use openssl::x509::{X509NameRef, X509};

/// A native asymmetric key, owned by a JS KeyObject.
pub enum Key {
    Private(PKey<Private>),
    Public(PKey<Public>),
}

impl Key {
    fn public(&self) -> Result<PKey<Public>, ErrorStack> {
        match self {
            Key::Public(k) => Ok(k.clone()),
            Key::Private(k) => PKey::public_key_from_der(&k.public_key_to_der()?),
        }
    }

    fn id(&self) -> Id {
        match self {
            Key::Private(k) => k.id(),
            Key::Public(k) => k.id(),
        }
    }
}

fn ssl(ctx: Ctx) -> impl Fn(ErrorStack) -> Value {
    move |stack| SslFailure::from_stack(&stack).to_js(ctx, "Operation failed", false)
}

fn bytes_arg(args: &Args, i: usize) -> Vec<u8> {
    let v = args.get(i);
    if let Some(b) = v.bytes() {
        return b.to_vec();
    }
    if v.is_string() {
        return v.to_string().map(String::into_bytes).unwrap_or_default();
    }
    Vec::new()
}

fn opt_bytes_arg(args: &Args, i: usize) -> Option<Vec<u8>> {
    if args.get(i).is_nullish() { None } else { Some(bytes_arg(args, i)) }
}

fn string_arg(args: &Args, i: usize) -> JsResult<String> {
    args.string(i)
}

fn key_arg<'a>(args: &'a Args, i: usize) -> JsResult<&'a Key> {
    let value = args.get(i);
    match value.wrapped::<Key>() {
        // SAFETY: the key lives as long as its handle object, which the caller holds.
        Some(key) => Ok(unsafe { &*(key as *const Key) }),
        None => Err(args.ctx.error("invalid key handle")),
    }
}

fn wrap_key(ctx: Ctx, key: Key) -> Value {
    ctx.wrap(key).value()
}

fn buffer(ctx: Ctx, bytes: Vec<u8>) -> JsResult<Value> {
    Ok(ctx.array_buffer(bytes)?.value())
}

fn pem_string(ctx: Ctx, pem: Vec<u8>) -> Value {
    ctx.string(&String::from_utf8_lossy(&pem))
}

// --- Parsing ----------------------------------------------------------------------

/// Why a key could not be read.
enum ParseError {
    Ssl(ErrorStack),
    /// The key is encrypted and no passphrase was given.
    NeedsPassphrase,
}

impl From<ErrorStack> for ParseError {
    fn from(stack: ErrorStack) -> ParseError {
        ParseError::Ssl(stack)
    }
}

/// Runs a parse that may ask for a passphrase; a request without one is reported as
/// `NeedsPassphrase` (Node shows it as OpenSSL's "interrupted or cancelled").
fn with_passphrase<T>(
    passphrase: &Option<Vec<u8>>,
    parse: impl FnOnce(&mut dyn FnMut(&mut [u8]) -> Result<usize, ErrorStack>) -> Result<T, ErrorStack>,
) -> Result<T, ParseError> {
    let mut asked_without = false;
    let result = {
        let mut callback = |buf: &mut [u8]| -> Result<usize, ErrorStack> {
            match passphrase {
                Some(p) if p.len() <= buf.len() => {
                    buf[..p.len()].copy_from_slice(p);
                    Ok(p.len())
                }
                _ => {
                    asked_without = true;
                    Err(ErrorStack::get())
                }
            }
        };
        parse(&mut callback)
    };
    match result {
        Ok(v) => Ok(v),
        Err(_) if asked_without => {
            ErrorStack::get();
            Err(ParseError::NeedsPassphrase)
        }
        Err(stack) => Err(ParseError::Ssl(stack)),
    }
}

fn pem_label(data: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(data).ok()?;
    let start = text.find("-----BEGIN ")? + 11;
    let end = text[start..].find("-----")?;
    Some(text[start..start + end].to_string())
}

fn parse_private(data: &[u8], format: &str, kind: &str, passphrase: &Option<Vec<u8>>) -> Result<PKey<Private>, ParseError> {
    if format == "pem" {
        return with_passphrase(passphrase, |cb| PKey::private_key_from_pem_callback(data, cb));
    }
    match kind {
        "pkcs1" => Ok(PKey::from_rsa(Rsa::private_key_from_der(data)?)?),
        "sec1" => Ok(PKey::from_ec_key(EcKey::private_key_from_der(data)?)?),
        _ => match passphrase {
            Some(p) => Ok(PKey::private_key_from_pkcs8_passphrase(data, p)?),
            None => {
                // Plain PKCS#8 first; failing that, encrypted PKCS#8 (which needs a passphrase).
                if let Ok(key) = PKey::private_key_from_pkcs8(data) {
                    return Ok(key);
                }
                ErrorStack::get();
                with_passphrase(passphrase, |cb| PKey::private_key_from_pkcs8_callback(data, cb))
            }
        },
    }
}

fn parse_public(data: &[u8], format: &str, kind: &str, passphrase: &Option<Vec<u8>>) -> Result<Key, ParseError> {
    if format == "pem" {
        return match pem_label(data).as_deref() {
            Some("PUBLIC KEY") => Ok(Key::Public(PKey::public_key_from_pem(data)?)),
            Some("RSA PUBLIC KEY") => Ok(Key::Public(PKey::from_rsa(Rsa::public_key_from_pem_pkcs1(data)?)?)),
            Some("CERTIFICATE") | Some("X509 CERTIFICATE") | Some("TRUSTED CERTIFICATE") => {
                Ok(Key::Public(X509::from_pem(data)?.public_key()?))
            }
            Some(label) if label.contains("PRIVATE KEY") => Ok(Key::Private(parse_private(data, format, kind, passphrase)?)),
            _ => Ok(Key::Public(PKey::public_key_from_pem(data)?)),
        };
    }
    match kind {
        "pkcs1" => Ok(Key::Public(PKey::from_rsa(Rsa::public_key_from_der_pkcs1(data)?)?)),
        "spki" => Ok(Key::Public(PKey::public_key_from_der(data)?)),
        _ => Ok(Key::Private(parse_private(data, format, kind, passphrase)?)),
    }
}

/// `(wantPublic, data, format 'pem'|'der', type, passphrase?)` -> key handle. A public key
/// asked of private material keeps the private key (JS exposes only its public half).
fn key_parse(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let want_public = args.get(0).to_boolean();
    let data = bytes_arg(args, 1);
    let format = string_arg(args, 2)?;
    let kind = if args.get(3).is_string() { args.string(3)? } else { String::new() };
    let passphrase = opt_bytes_arg(args, 4);
    let parsed = if want_public {
        parse_public(&data, &format, &kind, &passphrase)
    } else {
        parse_private(&data, &format, &kind, &passphrase).map(Key::Private)
    };
    match parsed {
        Ok(key) => Ok(wrap_key(ctx, key)),
        Err(ParseError::NeedsPassphrase) => {
            let failure = SslFailure::single(0x07880109, "common libcrypto routines", "interrupted or cancelled", "CRYPTO_");
            Err(failure.to_js(ctx, "", true))
        }
        // Node names no OpenSSL reason for unreadable public DER.
        Err(ParseError::Ssl(stack)) if want_public && format == "der" && kind != "pkcs8" && kind != "sec1" => {
            Err(SslFailure::from_stack(&stack).to_js_generic(ctx, "Failed to read asymmetric key"))
        }
        Err(ParseError::Ssl(stack)) => Err(SslFailure::from_stack(&stack).to_js(ctx, "Failed to read asymmetric key", true)),
    }
}

// --- Description ------------------------------------------------------------------

fn type_name(id: Id) -> &'static str {
    match id {
        Id::RSA => "rsa",
        Id::RSA_PSS => "rsa-pss",
        Id::EC => "ec",
        Id::ED25519 => "ed25519",
        Id::ED448 => "ed448",
        Id::X25519 => "x25519",
        Id::X448 => "x448",
        Id::DSA => "dsa",
        Id::DH | Id::DHX => "dh",
        _ => "unknown",
    }
}

/// `(handle)` -> [asymmetricKeyType, isPrivate, modulusLength?, publicExponentHex?, namedCurve?, divisorLength?]
fn key_info(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let key = key_arg(args, 0)?;
    let id = key.id();
    let mut items = ArrayBuilder::new(ctx)?;
    items.push(ctx.string(type_name(id)))?;
    items.push(ctx.boolean(matches!(key, Key::Private(_))))?;
    let public = key.public().map_err(ssl(ctx))?;
    match id {
        Id::RSA | Id::RSA_PSS => {
            let rsa = public.rsa().map_err(ssl(ctx))?;
            items.push(ctx.number(rsa.n().num_bits() as f64))?;
            items.push(ctx.string(&rsa.e().to_hex_str().map_err(ssl(ctx))?))?;
        }
        Id::EC => {
            let ec = public.ec_key().map_err(ssl(ctx))?;
            let name = ec.group().curve_name().and_then(|n| n.short_name().ok()).unwrap_or("");
            items.push(ctx.undefined())?;
            items.push(ctx.undefined())?;
            items.push(ctx.string(name))?;
        }
        Id::DSA => {
            let dsa = public.dsa().map_err(ssl(ctx))?;
            items.push(ctx.number(dsa.p().num_bits() as f64))?;
            items.push(ctx.undefined())?;
            items.push(ctx.undefined())?;
            items.push(ctx.number(dsa.q().num_bits() as f64))?;
        }
        _ => {}
    }
    Ok(items.value())
}

/// `(a, b)` -> whether two keys hold the same key material (both private or both public).
fn key_equals(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (a, b) = (key_arg(args, 0)?, key_arg(args, 1)?);
    let same = match (a, b) {
        (Key::Private(x), Key::Private(y)) => x.id() == y.id() && x.private_key_to_der().ok() == y.private_key_to_der().ok(),
        (Key::Public(x), Key::Public(y)) => x.public_eq(y),
        (Key::Private(x), Key::Public(y)) | (Key::Public(y), Key::Private(x)) => {
            // A public KeyObject made from private material is still only its public half.
            x.public_eq(y)
        }
    };
    Ok(ctx.boolean(same))
}

// --- Export -----------------------------------------------------------------------

fn export_cipher(name: &str) -> Option<Cipher> {
    Cipher::from_nid(openssl::nid::Nid::from_raw(super::cipher_nid(name)?))
}

/// `(handle, wantPublic, format 'pem'|'der', type, cipher?, passphrase?)` -> string or ArrayBuffer.
/// JS has checked the type fits the key.
fn key_export(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let key = key_arg(args, 0)?;
    let want_public = args.get(1).to_boolean();
    let pem = string_arg(args, 2)? == "pem";
    let kind = string_arg(args, 3)?;
    let cipher = if args.get(4).is_string() {
        match export_cipher(&args.string(4)?) {
            Some(c) => Some(c),
            None => return Err(js_error(ctx, "Error", "Unknown cipher", Some("ERR_CRYPTO_UNKNOWN_CIPHER"))),
        }
    } else {
        None
    };
    let passphrase = opt_bytes_arg(args, 5).unwrap_or_default();
    let out: Result<Vec<u8>, ErrorStack> = (|| {
        if want_public {
            let public = key.public()?;
            return match (kind.as_str(), pem) {
                ("pkcs1", true) => public.rsa()?.public_key_to_pem_pkcs1(),
                ("pkcs1", false) => public.rsa()?.public_key_to_der_pkcs1(),
                (_, true) => public.public_key_to_pem(),
                (_, false) => public.public_key_to_der(),
            };
        }
        let Key::Private(private) = key else { return Err(ErrorStack::get()) };
        match (kind.as_str(), pem, cipher) {
            ("pkcs1", true, None) => private.rsa()?.private_key_to_pem(),
            ("pkcs1", true, Some(c)) => private.rsa()?.private_key_to_pem_passphrase(c, &passphrase),
            ("pkcs1", false, _) => private.rsa()?.private_key_to_der(),
            ("sec1", true, None) => private.ec_key()?.private_key_to_pem(),
            ("sec1", true, Some(c)) => private.ec_key()?.private_key_to_pem_passphrase(c, &passphrase),
            ("sec1", false, _) => private.ec_key()?.private_key_to_der(),
            (_, true, None) => private.private_key_to_pem_pkcs8(),
            (_, true, Some(c)) => private.private_key_to_pem_pkcs8_passphrase(c, &passphrase),
            (_, false, None) => private.private_key_to_pkcs8(),
            (_, false, Some(c)) => private.private_key_to_pkcs8_passphrase(c, &passphrase),
        }
    })();
    let out = out.map_err(ssl(ctx))?;
    if pem { Ok(pem_string(ctx, out)) } else { buffer(ctx, out) }
}

fn padded(bn: &BigNumRef, len: usize) -> Result<Vec<u8>, ErrorStack> {
    bn.to_vec_padded(len as i32)
}

fn jwk_curve(nid: Nid) -> Option<&'static str> {
    match nid {
        Nid::X9_62_PRIME256V1 => Some("P-256"),
        Nid::SECP384R1 => Some("P-384"),
        Nid::SECP521R1 => Some("P-521"),
        Nid::SECP256K1 => Some("secp256k1"),
        _ => None,
    }
}

/// `(handle, wantPublic)` -> JWK members as [name, value, ...] (byte values as
/// ArrayBuffers, JS base64url-encodes them), or a string naming why there is no JWK form:
/// 'type' (unsupported key type) or 'curve:<name>'.
fn key_jwk(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let key = key_arg(args, 0)?;
    let include_private = !args.get(1).to_boolean() && matches!(key, Key::Private(_));
    let mut members = ArrayBuilder::new(ctx)?;
    let mut push = |name: &str, value: Value| -> JsResult<()> {
        members.push(ctx.string(name))?;
        members.push(value)
    };
    let s = ssl(ctx);
    match key.id() {
        Id::RSA => {
            let public = key.public().map_err(&s)?.rsa().map_err(&s)?;
            push("kty", ctx.string("RSA"))?;
            push("n", buffer(ctx, public.n().to_vec())?)?;
            push("e", buffer(ctx, public.e().to_vec())?)?;
            if let (true, Key::Private(k)) = (include_private, key) {
                let rsa = k.rsa().map_err(&s)?;
                push("d", buffer(ctx, rsa.d().to_vec())?)?;
                let parts = [rsa.p(), rsa.q(), rsa.dmp1(), rsa.dmq1(), rsa.iqmp()];
                for (name, part) in ["p", "q", "dp", "dq", "qi"].iter().zip(parts) {
                    if let Some(v) = part {
                        push(name, buffer(ctx, v.to_vec())?)?;
                    }
                }
            }
            return Ok(members.value());
        }
        Id::EC => {
            let public = key.public().map_err(&s)?.ec_key().map_err(&s)?;
            let group = public.group();
            let nid = group.curve_name().unwrap_or(Nid::UNDEF);
            let Some(crv) = jwk_curve(nid) else {
                return Ok(ctx.string(&format!("curve:{}", nid.short_name().unwrap_or(""))));
            };
            let mut bn_ctx = BigNumContext::new().map_err(&s)?;
            let (mut x, mut y) = (BigNum::new().map_err(&s)?, BigNum::new().map_err(&s)?);
            public.public_key().affine_coordinates(group, &mut x, &mut y, &mut bn_ctx).map_err(&s)?;
            let field_len = (group.degree() as usize).div_ceil(8);
            push("kty", ctx.string("EC"))?;
            push("crv", ctx.string(crv))?;
            push("x", buffer(ctx, padded(&x, field_len).map_err(&s)?)?)?;
            push("y", buffer(ctx, padded(&y, field_len).map_err(&s)?)?)?;
            if let (true, Key::Private(k)) = (include_private, key) {
                let ec = k.ec_key().map_err(&s)?;
                let mut order = BigNum::new().map_err(&s)?;
                group.order(&mut order, &mut bn_ctx).map_err(&s)?;
                let d = padded(ec.private_key(), (order.num_bits() as usize).div_ceil(8)).map_err(&s)?;
                push("d", buffer(ctx, d)?)?;
            }
            return Ok(members.value());
        }
        id @ (Id::ED25519 | Id::ED448 | Id::X25519 | Id::X448) => {
            let crv = match id {
                Id::ED25519 => "Ed25519",
                Id::ED448 => "Ed448",
                Id::X25519 => "X25519",
                _ => "X448",
            };
            push("crv", ctx.string(crv))?;
            let public = key.public().map_err(&s)?;
            push("x", buffer(ctx, public.raw_public_key().map_err(&s)?)?)?;
            if let (true, Key::Private(k)) = (include_private, key) {
                push("d", buffer(ctx, k.raw_private_key().map_err(&s)?)?)?;
            }
            push("kty", ctx.string("OKP"))?;
            return Ok(members.value());
        }
        _ => {}
    }
    Ok(ctx.string("type"))
}

fn bn(bytes: &[u8]) -> Result<BigNum, ErrorStack> {
    BigNum::from_slice(bytes)
}

/// `(kty, isPrivate, ...members)` -> key handle from JWK members already base64url-decoded:
/// RSA (n, e, d, p, q, dp, dq, qi), EC (curveName, x, y, d), OKP (crv, x, d).
/// Returns undefined when the material does not form a key.
fn key_from_jwk(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let kty = string_arg(args, 0)?;
    let private = args.get(1).to_boolean();
    let b = |i: usize| bytes_arg(args, i);
    let key: Result<Key, ErrorStack> = (|| match kty.as_str() {
        "RSA" => {
            let (n, e) = (bn(&b(2))?, bn(&b(3))?);
            if !private {
                return Ok(Key::Public(PKey::from_rsa(Rsa::from_public_components(n, e)?)?));
            }
            let rsa = Rsa::from_private_components(n, e, bn(&b(4))?, bn(&b(5))?, bn(&b(6))?, bn(&b(7))?, bn(&b(8))?, bn(&b(9))?)?;
            Ok(Key::Private(PKey::from_rsa(rsa)?))
        }
        "EC" => {
            let nid = Nid::from_raw(super::curve_nid(&string_arg(args, 2).unwrap_or_default()).unwrap_or(0));
            let group = EcGroup::from_curve_name(nid)?;
            let (x, y) = (bn(&b(3))?, bn(&b(4))?);
            let public = EcKey::from_public_key_affine_coordinates(&group, &x, &y)?;
            if !private {
                return Ok(Key::Public(PKey::from_ec_key(public)?));
            }
            let d = bn(&b(5))?;
            let ec = EcKey::from_private_components(&group, &d, public.public_key())?;
            ec.check_key()?;
            Ok(Key::Private(PKey::from_ec_key(ec)?))
        }
        _ => {
            let id = match string_arg(args, 2).unwrap_or_default().as_str() {
                "Ed25519" => openssl::pkey::Id::ED25519,
                "Ed448" => openssl::pkey::Id::ED448,
                "X25519" => openssl::pkey::Id::X25519,
                _ => openssl::pkey::Id::X448,
            };
            if private {
                let key = PKey::private_key_from_raw_bytes(&b(4), id)?;
                // The public member must belong to the private one.
                if key.raw_public_key()? != b(3) {
                    return Err(ErrorStack::get());
                }
                Ok(Key::Private(key))
            } else {
                Ok(Key::Public(PKey::public_key_from_raw_bytes(&b(3), id)?))
            }
        }
    })();
    match key {
        Ok(key) => Ok(wrap_key(ctx, key)),
        Err(_) => Ok(ctx.undefined()),
    }
}

// --- Generation -------------------------------------------------------------------

/// `(type, modulusLengthOrBits, publicExponent, curveName, callback?)` -> [public, private]
/// handles, or with a callback `callback(err, public, private)` from the thread pool.
fn key_generate(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let kind = string_arg(args, 0)?;
    let bits = args.number(1).unwrap_or(0.0) as u32;
    let exponent = args.number(2).unwrap_or(65537.0) as u32;
    let curve = if args.get(3).is_string() { args.string(3)? } else { String::new() };
    let curve_nid = super::curve_nid(&curve);
    let work = move || -> Result<PKey<Private>, SslFailure> {
        let generated = (|| match kind.as_str() {
            "rsa" => {
                let e = BigNum::from_u32(exponent)?;
                PKey::from_rsa(Rsa::generate_with_e(bits, &e)?)
            }
            "rsa-pss" => {
                let mut pctx = openssl::pkey_ctx::PkeyCtx::new_id(Id::RSA_PSS)?;
                pctx.keygen_init()?;
                pctx.set_rsa_keygen_bits(bits)?;
                let e = BigNum::from_u32(exponent)?;
                pctx.set_rsa_keygen_pubexp(&e)?;
                pctx.keygen()
            }
            "ec" => {
                let group = EcGroup::from_curve_name(Nid::from_raw(curve_nid.unwrap_or(0)))?;
                PKey::from_ec_key(EcKey::generate(&group)?)
            }
            "ed25519" => PKey::generate_ed25519(),
            "ed448" => PKey::generate_ed448(),
            "x25519" => PKey::generate_x25519(),
            "x448" => PKey::generate_x448(),
            "dsa" => PKey::from_dsa(openssl::dsa::Dsa::generate(bits)?),
            _ => Err(ErrorStack::get()),
        })();
        generated.map_err(|s| SslFailure::from_stack(&s))
    };
    let to_pair = |ctx: Ctx, key: PKey<Private>| -> JsResult<(Value, Value)> {
        let public = Key::Private(key.clone()).public().map_err(ssl(ctx))?;
        Ok((wrap_key(ctx, Key::Public(public)), wrap_key(ctx, Key::Private(key))))
    };
    let callback = args.get(4);
    if !callback.is_function() {
        let key = work().map_err(|f| f.to_js(ctx, "Key generation failed", true))?;
        let (public, private) = to_pair(ctx, key)?;
        return Ok(ctx.array(&[public, private])?.value());
    }
    let callback = callback.protect();
    runtime::event_loop::spawn_blocking(work, move |ctx, result| {
        let args = match result {
            Ok(key) => {
                let (public, private) = to_pair(ctx, key)?;
                vec![ctx.null(), public, private]
            }
            Err(f) => vec![f.to_js(ctx, "Key generation failed", true)],
        };
        callback.object().expect("callback").call(None, &args)?;
        Ok(())
    });
    Ok(ctx.undefined())
}

// --- Signatures -------------------------------------------------------------------

struct SignOptions {
    digest: Option<MessageDigest>,
    padding: Option<Padding>,
    salt_length: Option<i32>,
    p1363: bool,
}

fn sign_options(args: &Args, first: usize) -> JsResult<Result<SignOptions, Value>> {
    let ctx = args.ctx;
    let digest = if args.get(first).is_string() {
        let name = args.string(first)?;
        match MessageDigest::from_name(&name) {
            Some(md) => Some(md),
            None => return Ok(Err(js_error(ctx, "TypeError", &format!("Invalid digest: {name}"), Some("ERR_CRYPTO_INVALID_DIGEST")))),
        }
    } else {
        None
    };
    let padding = args.get(first + 1);
    let salt = args.get(first + 2);
    Ok(Ok(SignOptions {
        digest,
        padding: if padding.is_number() { Some(Padding::from_raw(padding.to_number()? as i32)) } else { None },
        salt_length: if salt.is_number() { Some(salt.to_number()? as i32) } else { None },
        p1363: args.get(first + 3).to_boolean(),
    }))
}

/// Bytes of r and s in an IEEE P1363 signature for an EC key (the order's size).
fn ec_scalar_len(key: &PKeyRef<Public>) -> Option<usize> {
    let ec = key.ec_key().ok()?;
    let mut order = BigNum::new().ok()?;
    let mut bn_ctx = BigNumContext::new().ok()?;
    ec.group().order(&mut order, &mut bn_ctx).ok()?;
    Some((order.num_bits() as usize).div_ceil(8))
}

fn configure_rsa<F>(options: &SignOptions, id: Id, mut set_padding: F) -> Result<(), ErrorStack>
where
    F: FnMut(Option<Padding>, Option<RsaPssSaltlen>) -> Result<(), ErrorStack>,
{
    if id != Id::RSA && id != Id::RSA_PSS {
        return Ok(());
    }
    let padding = options.padding.or(if id == Id::RSA_PSS { Some(Padding::PKCS1_PSS) } else { None });
    let salt = match (padding, options.salt_length) {
        (Some(Padding::PKCS1_PSS), Some(len)) => Some(RsaPssSaltlen::custom(len)),
        (Some(Padding::PKCS1_PSS), None) => Some(RsaPssSaltlen::MAXIMUM_LENGTH),
        _ => None,
    };
    set_padding(padding, salt)
}

/// `(key, data, digest?, padding?, saltLength?, p1363)` -> signature ArrayBuffer.
fn sign(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let key = key_arg(args, 0)?;
    let data = bytes_arg(args, 1);
    let options = match sign_options(args, 2)? {
        Ok(o) => o,
        Err(e) => return Err(e),
    };
    let Key::Private(pkey) = key else { return Err(js_error(ctx, "Error", "No private key", None)) };
    // Node reports failures of the signing itself (not of its setup) with the error stack.
    let setup = (|| {
        let mut signer = match options.digest {
            Some(md) => Signer::new(md, pkey)?,
            None => Signer::new_without_digest(pkey)?,
        };
        configure_rsa(&options, pkey.id(), |padding, salt| {
            if let Some(p) = padding {
                signer.set_rsa_padding(p)?;
            }
            if let Some(s) = salt {
                signer.set_rsa_pss_saltlen(s)?;
            }
            Ok(())
        })?;
        Ok::<_, ErrorStack>(signer)
    })();
    let mut signer = setup.map_err(ssl(ctx))?;
    let der = signer
        .sign_oneshot_to_vec(&data)
        .map_err(|stack| SslFailure::from_stack(&stack).to_js(ctx, "Signing failed", true))?;
    if options.p1363 && pkey.id() == Id::EC {
        let p1363 = (|| {
            let public = Key::Private(pkey.clone()).public()?;
            let len = ec_scalar_len(&public).unwrap_or(32);
            let sig = EcdsaSig::from_der(&der)?;
            let mut out = padded(sig.r(), len)?;
            out.extend(padded(sig.s(), len)?);
            Ok::<_, ErrorStack>(out)
        })();
        return buffer(ctx, p1363.map_err(ssl(ctx))?);
    }
    buffer(ctx, der)
}

/// `(key, data, signature, digest?, padding?, saltLength?, p1363)` -> boolean.
fn verify(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let key = key_arg(args, 0)?;
    let data = bytes_arg(args, 1);
    let mut signature = bytes_arg(args, 2);
    let options = match sign_options(args, 3)? {
        Ok(o) => o,
        Err(e) => return Err(e),
    };
    let public = key.public().map_err(ssl(ctx))?;
    if options.p1363 && public.id() == Id::EC {
        let len = ec_scalar_len(&public).unwrap_or(32);
        if signature.len() != len * 2 {
            return Ok(ctx.boolean(false));
        }
        let der = (|| EcdsaSig::from_private_components(bn(&signature[..len])?, bn(&signature[len..])?)?.to_der())();
        signature = der.map_err(ssl(ctx))?;
    }
    let ok: Result<bool, ErrorStack> = (|| {
        let mut verifier = match options.digest {
            Some(md) => Verifier::new(md, &public)?,
            None => Verifier::new_without_digest(&public)?,
        };
        configure_rsa(&options, public.id(), |padding, salt| {
            if let Some(p) = padding {
                verifier.set_rsa_padding(p)?;
            }
            if let Some(s) = salt {
                verifier.set_rsa_pss_saltlen(s)?;
            }
            Ok(())
        })?;
        verifier.verify_oneshot(&signature, &data)
    })();
    match ok {
        Ok(v) => Ok(ctx.boolean(v)),
        // A malformed signature is simply not valid.
        Err(stack) if stack.errors().iter().all(|e| e.library_code() == 13 || e.library_code() == 16 || e.library_code() == 4) => {
            Ok(ctx.boolean(false))
        }
        Err(stack) => Err(ssl(ctx)(stack)),
    }
}

// --- RSA encryption ---------------------------------------------------------------

fn setup_rsa_ctx<T>(
    pctx: &mut openssl::pkey_ctx::PkeyCtx<T>,
    padding: Padding,
    oaep_hash: Option<&str>,
    label: Option<&[u8]>,
) -> Result<(), ErrorStack> {
    pctx.set_rsa_padding(padding)?;
    if padding == Padding::PKCS1_OAEP {
        if let Some(md) = oaep_hash.and_then(super::md_ref) {
            pctx.set_rsa_oaep_md(md)?;
        }
        if let Some(l) = label.filter(|l| !l.is_empty()) {
            pctx.set_rsa_oaep_label(l)?;
        }
    }
    Ok(())
}

/// `(key, op, data, padding, oaepHash?, oaepLabel?)` with op 0 publicEncrypt, 1 privateDecrypt,
/// 2 privateEncrypt, 3 publicDecrypt -> ArrayBuffer.
fn rsa_crypt(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let key = key_arg(args, 0)?;
    let op = args.number(1)? as i32;
    let data = bytes_arg(args, 2);
    let padding = Padding::from_raw(args.number(3)? as i32);
    let oaep_hash = if args.get(4).is_string() { Some(args.string(4)?) } else { None };
    let label = opt_bytes_arg(args, 5);
    if let Some(name) = &oaep_hash {
        if super::md_ref(name).is_none() {
            return Err(js_error(ctx, "Error", "Invalid digest used", Some("ERR_OSSL_EVP_INVALID_DIGEST")));
        }
    }
    let out: Result<Vec<u8>, ErrorStack> = (|| match op {
        0 | 1 => {
            let mut out = Vec::new();
            if op == 0 {
                let public = key.public()?;
                let mut pctx = openssl::pkey_ctx::PkeyCtx::new(&public)?;
                pctx.encrypt_init()?;
                setup_rsa_ctx(&mut pctx, padding, oaep_hash.as_deref(), label.as_deref())?;
                pctx.encrypt_to_vec(&data, &mut out)?;
            } else {
                let Key::Private(private) = key else { return Err(ErrorStack::get()) };
                let mut pctx = openssl::pkey_ctx::PkeyCtx::new(private)?;
                pctx.decrypt_init()?;
                setup_rsa_ctx(&mut pctx, padding, oaep_hash.as_deref(), label.as_deref())?;
                pctx.decrypt_to_vec(&data, &mut out)?;
            }
            Ok(out)
        }
        2 => {
            let Key::Private(private) = key else { return Err(ErrorStack::get()) };
            let rsa = private.rsa()?;
            let mut out = vec![0u8; rsa.size() as usize];
            let n = rsa.private_encrypt(&data, &mut out, padding)?;
            out.truncate(n);
            Ok(out)
        }
        _ => {
            let rsa = key.public()?.rsa()?;
            let mut out = vec![0u8; rsa.size() as usize];
            let n = rsa.public_decrypt(&data, &mut out, padding)?;
            out.truncate(n);
            Ok(out)
        }
    })();
    buffer(ctx, out.map_err(ssl(ctx))?)
}

// --- Key agreement ----------------------------------------------------------------

/// `(privateKey, publicKey)` -> shared secret (crypto.diffieHellman).
fn derive_secret(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (private, peer) = (key_arg(args, 0)?, key_arg(args, 1)?);
    let Key::Private(private) = private else { return Err(ctx.error("not a private key")) };
    let secret = (|| {
        let peer = peer.public()?;
        let mut deriver = Deriver::new(private)?;
        deriver.set_peer(&peer)?;
        deriver.derive_to_vec()
    })();
    buffer(ctx, secret.map_err(ssl(ctx))?)
}

/// ECDH state of a `crypto.ECDH` object: the curve and, once set or generated, the key.
struct Ecdh {
    group: EcGroup,
    key: std::cell::RefCell<Option<EcKey<Private>>>,
}

fn point_form(format: &str) -> PointConversionForm {
    match format {
        "compressed" => PointConversionForm::COMPRESSED,
        "hybrid" => PointConversionForm::HYBRID,
        _ => PointConversionForm::UNCOMPRESSED,
    }
}

fn ecdh_of<'a>(args: &'a Args) -> JsResult<&'a Ecdh> {
    let value = args.get(0);
    match value.wrapped::<Ecdh>() {
        // SAFETY: the state lives as long as its handle object, which the caller holds.
        Some(e) => Ok(unsafe { &*(e as *const Ecdh) }),
        None => Err(args.ctx.error("invalid ECDH handle")),
    }
}

/// `(curveName)` -> ECDH handle, or undefined for an unknown curve.
fn ecdh_new(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let Some(nid) = super::curve_nid(&args.string(0)?) else { return Ok(ctx.undefined()) };
    match EcGroup::from_curve_name(Nid::from_raw(nid)) {
        Ok(group) => Ok(ctx.wrap(Ecdh { group, key: std::cell::RefCell::new(None) }).value()),
        Err(_) => Ok(ctx.undefined()),
    }
}

fn ecdh_generate(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = ecdh_of(args)?;
    let key = EcKey::generate(&e.group).map_err(ssl(ctx))?;
    *e.key.borrow_mut() = Some(key);
    Ok(ctx.undefined())
}

/// `(handle, format)` -> public point bytes, or undefined before a key exists.
fn ecdh_public(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = ecdh_of(args)?;
    let format = args.string(1)?;
    let key = e.key.borrow();
    let Some(key) = key.as_ref() else { return Ok(ctx.undefined()) };
    let mut bn_ctx = BigNumContext::new().map_err(ssl(ctx))?;
    let bytes = key.public_key().to_bytes(&e.group, point_form(&format), &mut bn_ctx).map_err(ssl(ctx))?;
    buffer(ctx, bytes)
}

fn ecdh_private(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = ecdh_of(args)?;
    let key = e.key.borrow();
    let Some(key) = key.as_ref() else { return Ok(ctx.undefined()) };
    let mut order = BigNum::new().map_err(ssl(ctx))?;
    let mut bn_ctx = BigNumContext::new().map_err(ssl(ctx))?;
    e.group.order(&mut order, &mut bn_ctx).map_err(ssl(ctx))?;
    buffer(ctx, padded(key.private_key(), (order.num_bits() as usize).div_ceil(8)).map_err(ssl(ctx))?)
}

/// `(handle, privateKeyBytes)` -> false when the scalar is not a valid private key.
fn ecdh_set_private(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = ecdh_of(args)?;
    let scalar = bytes_arg(args, 1);
    let key = (|| -> Result<Option<EcKey<Private>>, ErrorStack> {
        let d = bn(&scalar)?;
        let mut order = BigNum::new()?;
        let mut bn_ctx = BigNumContext::new()?;
        e.group.order(&mut order, &mut bn_ctx)?;
        if d.num_bits() == 0 || d >= order {
            return Ok(None);
        }
        let mut point = EcPoint::new(&e.group)?;
        point.mul_generator2(&e.group, &d, &mut bn_ctx)?;
        let key = EcKey::from_private_components(&e.group, &d, &point)?;
        key.check_key()?;
        Ok(Some(key))
    })();
    match key {
        Ok(Some(key)) => {
            *e.key.borrow_mut() = Some(key);
            Ok(ctx.boolean(true))
        }
        _ => Ok(ctx.boolean(false)),
    }
}

/// `(handle, peerPublicBytes)` -> secret, or undefined when the point is not on the curve.
fn ecdh_compute(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let e = ecdh_of(args)?;
    let peer = bytes_arg(args, 1);
    let key = e.key.borrow();
    let Some(key) = key.as_ref() else { return Ok(ctx.null()) };
    let mut bn_ctx = BigNumContext::new().map_err(ssl(ctx))?;
    let Ok(point) = EcPoint::from_bytes(&e.group, &peer, &mut bn_ctx) else {
        unsafe { super::clear_errors() };
        return Ok(ctx.undefined());
    };
    let secret = (|| {
        let peer_key = PKey::from_ec_key(EcKey::from_public_key(&e.group, &point)?)?;
        let own = PKey::from_ec_key(key.clone())?;
        let mut deriver = Deriver::new(&own)?;
        deriver.set_peer(&peer_key)?;
        deriver.derive_to_vec()
    })();
    match secret {
        Ok(s) => buffer(ctx, s),
        Err(_) => {
            unsafe { super::clear_errors() };
            Ok(ctx.undefined())
        }
    }
}

/// `(curve, keyBytes, format)` -> the point re-encoded, or undefined when it is invalid.
fn ecdh_convert(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let Some(nid) = super::curve_nid(&args.string(0)?) else { return Ok(ctx.null()) };
    let bytes = bytes_arg(args, 1);
    let format = args.string(2)?;
    let out = (|| {
        let group = EcGroup::from_curve_name(Nid::from_raw(nid))?;
        let mut bn_ctx = BigNumContext::new()?;
        let point = EcPoint::from_bytes(&group, &bytes, &mut bn_ctx)?;
        point.to_bytes(&group, point_form(&format), &mut bn_ctx)
    })();
    match out {
        Ok(b) => buffer(ctx, b),
        Err(_) => Ok(ctx.undefined()),
    }
}

/// Finite-field Diffie-Hellman state of a `crypto.DiffieHellman` object.
struct DhState {
    prime: BigNum,
    generator: BigNum,
    key: std::cell::RefCell<Option<Dh<Private>>>,
    public: std::cell::RefCell<Option<BigNum>>,
    private: std::cell::RefCell<Option<BigNum>>,
    verify_error: i32,
}

fn dh_of<'a>(args: &'a Args) -> JsResult<&'a DhState> {
    let value = args.get(0);
    match value.wrapped::<DhState>() {
        // SAFETY: the state lives as long as its handle object, which the caller holds.
        Some(d) => Ok(unsafe { &*(d as *const DhState) }),
        None => Err(args.ctx.error("invalid DH handle")),
    }
}

extern "C" {
    fn DH_check(dh: *const std::ffi::c_void, codes: *mut std::ffi::c_int) -> std::ffi::c_int;
}

fn make_dh(ctx: Ctx, prime: BigNum, generator: BigNum) -> JsResult<Value> {
    let params = Dh::from_pqg(prime.to_owned().map_err(ssl(ctx))?, None, generator.to_owned().map_err(ssl(ctx))?).map_err(ssl(ctx))?;
    // Node's verifyError: DH_check's flags for the prime and generator.
    let mut verify_error: std::ffi::c_int = 0;
    // SAFETY: a foreign-types reference is the C object's pointer.
    unsafe {
        DH_check(&*params as *const openssl::dh::DhRef<openssl::pkey::Params> as *const std::ffi::c_void, &mut verify_error);
        super::clear_errors();
    }
    Ok(ctx
        .wrap(DhState {
            prime,
            generator,
            key: std::cell::RefCell::new(None),
            public: std::cell::RefCell::new(None),
            private: std::cell::RefCell::new(None),
            verify_error,
        })
        .value())
}

/// `(primeBytes, generatorBytes)` -> DH handle.
fn dh_new(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let prime = bn(&bytes_arg(args, 0)).map_err(ssl(ctx))?;
    let generator = bn(&bytes_arg(args, 1)).map_err(ssl(ctx))?;
    make_dh(ctx, prime, generator)
}

/// `(primeLengthBits, generator)` -> DH handle with a freshly generated safe prime.
fn dh_generate_params(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let bits = args.number(0)? as u32;
    let generator = args.number(1)? as u32;
    let params = Dh::generate_params(bits, generator).map_err(ssl(ctx))?;
    make_dh(ctx, params.prime_p().to_owned().map_err(ssl(ctx))?, params.generator().to_owned().map_err(ssl(ctx))?)
}

fn dh_generate_keys(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let d = dh_of(args)?;
    let result = (|| {
        let params = Dh::from_pqg(d.prime.to_owned()?, None, d.generator.to_owned()?)?;
        let key = match d.private.borrow().as_ref() {
            Some(private) => params.set_private_key(BigNumRef::to_owned(private)?)?,
            None => params.generate_key()?,
        };
        Ok::<_, ErrorStack>(key)
    })();
    let key = result.map_err(ssl(ctx))?;
    *d.public.borrow_mut() = Some(key.public_key().to_owned().map_err(ssl(ctx))?);
    *d.private.borrow_mut() = Some(key.private_key().to_owned().map_err(ssl(ctx))?);
    *d.key.borrow_mut() = Some(key);
    Ok(ctx.undefined())
}

/// `(handle, which)` -> 'p' prime, 'g' generator, 'pub', 'priv' as bytes, or undefined when unset.
fn dh_get(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let d = dh_of(args)?;
    let which = args.string(1)?;
    let bytes = match which.as_str() {
        "p" => Some(d.prime.to_vec()),
        "g" => Some(d.generator.to_vec()),
        "pub" => d.public.borrow().as_ref().map(|b| b.to_vec()),
        "priv" => d.private.borrow().as_ref().map(|b| b.to_vec()),
        _ => Some(Vec::new()),
    };
    match bytes {
        Some(b) => buffer(ctx, b),
        None => Ok(ctx.undefined()),
    }
}

fn dh_set(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let d = dh_of(args)?;
    let which = args.string(1)?;
    let value = bn(&bytes_arg(args, 2)).map_err(ssl(ctx))?;
    if which == "pub" {
        *d.public.borrow_mut() = Some(value);
    } else {
        *d.private.borrow_mut() = Some(value);
    }
    Ok(ctx.undefined())
}

fn dh_verify_error(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(dh_of(args)?.verify_error as f64))
}

/// `(handle, peerPublicBytes)` -> secret padded to the prime's size, or a string naming
/// why not: 'small' / 'large' (Node's "Supplied key is too small/large").
fn dh_compute(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let d = dh_of(args)?;
    let peer = bn(&bytes_arg(args, 1)).map_err(ssl(ctx))?;
    let one = BigNum::from_u32(1).map_err(ssl(ctx))?;
    if peer <= one {
        return Ok(ctx.string("small"));
    }
    let mut p_minus_1 = BigNum::new().map_err(ssl(ctx))?;
    p_minus_1.checked_sub(&d.prime, &one).map_err(ssl(ctx))?;
    if peer >= p_minus_1 {
        return Ok(ctx.string("large"));
    }
    let private = d.private.borrow();
    // Without a private key Node computes with a zero key: a secret of zero bytes.
    let Some(private) = private.as_ref() else { return buffer(ctx, vec![0u8; d.prime.num_bytes() as usize]) };
    let secret = (|| {
        let params = Dh::from_pqg(d.prime.to_owned()?, None, d.generator.to_owned()?)?;
        let key = params.set_private_key(BigNumRef::to_owned(private)?)?;
        key.compute_key(&peer)
    })();
    let mut secret = secret.map_err(ssl(ctx))?;
    let size = d.prime.num_bytes() as usize;
    if secret.len() < size {
        let mut padded = vec![0u8; size - secret.len()];
        padded.append(&mut secret);
        secret = padded;
    }
    buffer(ctx, secret)
}

// --- X.509 ------------------------------------------------------------------------

/// `(bytes)` -> certificate handle (PEM or DER).
fn x509_parse(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let data = bytes_arg(args, 0);
    // DER starts with a SEQUENCE tag; anything else is read as PEM, as Node does.
    let cert = if data.first() == Some(&0x30) { X509::from_der(&data) } else { X509::from_pem(&data) };
    match cert {
        Ok(cert) => Ok(ctx.wrap(cert).value()),
        Err(stack) => Err(SslFailure::from_stack(&stack).to_js(ctx, "Failed to parse certificate", false)),
    }
}

fn cert_of<'a>(args: &'a Args) -> JsResult<&'a X509> {
    let value = args.get(0);
    match value.wrapped::<X509>() {
        // SAFETY: the certificate lives as long as its handle object, which the caller holds.
        Some(c) => Ok(unsafe { &*(c as *const X509) }),
        None => Err(args.ctx.error("invalid certificate handle")),
    }
}

/// A name as Node prints it: one `SN=value` per line.
fn name_text(name: &X509NameRef) -> String {
    let mut lines = Vec::new();
    for entry in name.entries() {
        let key = entry.object().nid().short_name().unwrap_or("UNKNOWN");
        let value = entry.data().to_string().unwrap_or_default();
        lines.push(format!("{key}={value}"));
    }
    lines.join("\n")
}

fn asn1_time_text(time: &openssl::asn1::Asn1TimeRef) -> String {
    time.to_string()
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// `(handle)` -> [subject, issuer, subjectAltName, infoAccess, validFrom, validTo,
/// fingerprint, fingerprint256, fingerprint512, serialNumber, raw DER, isCA, keyUsage[]]
fn x509_info(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cert = cert_of(args)?;
    let s = ssl(ctx);
    let fingerprint = |md: MessageDigest| cert.digest(md).map(|d| colon_hex(&d));
    let alt_names = cert.subject_alt_names().map(|names| {
        names
            .iter()
            .filter_map(|n| {
                if let Some(d) = n.dnsname() {
                    Some(format!("DNS:{d}"))
                } else if let Some(e) = n.email() {
                    Some(format!("email:{e}"))
                } else if let Some(u) = n.uri() {
                    Some(format!("URI:{u}"))
                } else {
                    n.ipaddress().map(|ip| {
                        let text = match ip.len() {
                            4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
                            16 => {
                                let mut a = [0u8; 16];
                                a.copy_from_slice(ip);
                                let v6 = std::net::Ipv6Addr::from(a);
                                v6.segments().iter().map(|s| format!("{s:X}")).collect::<Vec<_>>().join(":")
                            }
                            _ => String::new(),
                        };
                        format!("IP Address:{text}")
                    })
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    let serial = cert.serial_number().to_bn().and_then(|b| b.to_hex_str().map(|h| h.to_string())).map_err(&s)?;
    let items = [
        ctx.string(&name_text(cert.subject_name())),
        ctx.string(&name_text(cert.issuer_name())),
        alt_names.map_or(ctx.undefined(), |a| ctx.string(&a)),
        ctx.undefined(),
        ctx.string(&asn1_time_text(cert.not_before())),
        ctx.string(&asn1_time_text(cert.not_after())),
        ctx.string(&fingerprint(MessageDigest::sha1()).map_err(&s)?),
        ctx.string(&fingerprint(MessageDigest::sha256()).map_err(&s)?),
        ctx.string(&fingerprint(MessageDigest::sha512()).map_err(&s)?),
        ctx.string(&serial),
        buffer(ctx, cert.to_der().map_err(&s)?)?,
        ctx.boolean(super::x509_is_ca(cert)),
        ctx.string(&cert.to_pem().map(|p| String::from_utf8_lossy(&p).into_owned()).map_err(&s)?),
    ];
    Ok(ctx.array(&items)?.value())
}

/// `(handle)` -> the certificate's public key handle.
fn x509_public_key(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cert = cert_of(args)?;
    let key = cert.public_key().map_err(ssl(ctx))?;
    Ok(wrap_key(ctx, Key::Public(key)))
}

/// `(handle, keyHandle)` -> whether the certificate's signature verifies with the key.
fn x509_verify(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cert = cert_of(args)?;
    let key = key_arg(args, 1)?.public().map_err(ssl(ctx))?;
    let ok = cert.verify(&key).unwrap_or(false);
    unsafe { super::clear_errors() };
    Ok(ctx.boolean(ok))
}

/// `(handle, otherHandle)` -> whether `other` issued this certificate.
fn x509_check_issued(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cert = cert_of(args)?;
    let value = args.get(1);
    let Some(issuer) = value.wrapped::<X509>() else { return Ok(ctx.boolean(false)) };
    Ok(ctx.boolean(issuer.issued(cert) == openssl::x509::X509VerifyResult::OK))
}

/// `(handle, keyHandle)` -> whether the private key matches the certificate's public key.
fn x509_check_private_key(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cert = cert_of(args)?;
    let key = key_arg(args, 1)?;
    let cert_key = cert.public_key().map_err(ssl(ctx))?;
    let public = key.public().map_err(ssl(ctx))?;
    Ok(ctx.boolean(cert_key.public_eq(&public)))
}

extern "C" {
    fn X509_check_host(x: *const std::ffi::c_void, name: *const std::ffi::c_char, len: usize, flags: u32, peer: *mut *mut std::ffi::c_char) -> std::ffi::c_int;
    fn X509_check_email(x: *const std::ffi::c_void, name: *const std::ffi::c_char, len: usize, flags: u32) -> std::ffi::c_int;
    fn X509_check_ip_asc(x: *const std::ffi::c_void, ip: *const std::ffi::c_char, flags: u32) -> std::ffi::c_int;
    fn CRYPTO_free(p: *mut std::ffi::c_void, file: *const std::ffi::c_char, line: std::ffi::c_int);
}

/// `(handle, kind 'host'|'email'|'ip', value, flags)` -> the matching name, or undefined.
fn x509_check(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let cert = cert_of(args)?;
    let kind = args.string(1)?;
    let value = args.string(2)?;
    let flags = args.number(3).unwrap_or(0.0) as u32;
    let raw = &**cert as *const openssl::x509::X509Ref as *const std::ffi::c_void;
    let cvalue = std::ffi::CString::new(value.clone()).unwrap_or_default();
    // SAFETY: raw is the certificate's pointer; the name is NUL-terminated and its length given.
    let matched = unsafe {
        match kind.as_str() {
            "host" => {
                let mut peer: *mut std::ffi::c_char = std::ptr::null_mut();
                let ok = X509_check_host(raw, cvalue.as_ptr(), value.len(), flags, &mut peer) == 1;
                let name = if peer.is_null() { value.clone() } else { std::ffi::CStr::from_ptr(peer).to_string_lossy().into_owned() };
                if !peer.is_null() {
                    CRYPTO_free(peer as *mut std::ffi::c_void, c"".as_ptr(), 0);
                }
                ok.then_some(name)
            }
            "email" => (X509_check_email(raw, cvalue.as_ptr(), value.len(), flags) == 1).then_some(value),
            _ => match X509_check_ip_asc(raw, cvalue.as_ptr(), flags) {
                1 => Some(value),
                // -2: not an IP address at all.
                -2 => {
                    super::clear_errors();
                    return Ok(ctx.null());
                }
                _ => None,
            },
        }
    };
    unsafe { super::clear_errors() };
    Ok(matched.map_or(ctx.undefined(), |m| ctx.string(&m)))
}

/// `(bits, safe, addBytes?, remBytes?)` -> a prime as big-endian bytes.
fn prime_generate(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let bits = args.number(0)? as i32;
    let safe = args.get(1).to_boolean();
    let add = opt_bytes_arg(args, 2);
    let rem = opt_bytes_arg(args, 3);
    let prime = (|| {
        let mut p = BigNum::new()?;
        let add = add.as_deref().map(bn).transpose()?;
        let rem = rem.as_deref().map(bn).transpose()?;
        p.generate_prime(bits, safe, add.as_deref(), rem.as_deref())?;
        Ok::<_, ErrorStack>(p.to_vec())
    })();
    buffer(ctx, prime.map_err(ssl(ctx))?)
}

/// `(candidateBytes, checks)` -> whether the candidate is probably prime.
fn prime_check(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let candidate = bn(&bytes_arg(args, 0)).map_err(ssl(ctx))?;
    let checks = args.number(1).unwrap_or(0.0) as i32;
    let mut bn_ctx = BigNumContext::new().map_err(ssl(ctx))?;
    let prime = candidate.is_prime(checks, &mut bn_ctx).map_err(ssl(ctx))?;
    Ok(ctx.boolean(prime))
}

/// `(name)` -> the RFC 2409/3526 MODP group's prime, or undefined for an unknown group.
fn dh_group_prime(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let prime = match args.string(0)?.as_str() {
        "modp1" => BigNum::get_rfc2409_prime_768(),
        "modp2" => BigNum::get_rfc2409_prime_1024(),
        "modp5" => BigNum::get_rfc3526_prime_1536(),
        "modp14" => BigNum::get_rfc3526_prime_2048(),
        "modp15" => BigNum::get_rfc3526_prime_3072(),
        "modp16" => BigNum::get_rfc3526_prime_4096(),
        "modp17" => BigNum::get_rfc3526_prime_6144(),
        "modp18" => BigNum::get_rfc3526_prime_8192(),
        _ => return Ok(ctx.undefined()),
    };
    buffer(ctx, prime.map_err(ssl(ctx))?.to_vec())
}

pub fn register(ctx: Ctx, b: Object) -> JsResult<()> {
    let _ = ctx;
    let ops: &[(&str, jsc::NativeFn)] = &[
        ("keyParse", key_parse),
        ("keyInfo", key_info),
        ("keyEquals", key_equals),
        ("keyExport", key_export),
        ("keyJwk", key_jwk),
        ("keyFromJwk", key_from_jwk),
        ("keyGenerate", key_generate),
        ("sign", sign),
        ("verify", verify),
        ("rsaCrypt", rsa_crypt),
        ("deriveSecret", derive_secret),
        ("ecdhNew", ecdh_new),
        ("ecdhGenerate", ecdh_generate),
        ("ecdhPublic", ecdh_public),
        ("ecdhPrivate", ecdh_private),
        ("ecdhSetPrivate", ecdh_set_private),
        ("ecdhCompute", ecdh_compute),
        ("ecdhConvert", ecdh_convert),
        ("dhNew", dh_new),
        ("dhGenerateParams", dh_generate_params),
        ("dhGenerateKeys", dh_generate_keys),
        ("dhGet", dh_get),
        ("dhSet", dh_set),
        ("dhVerifyError", dh_verify_error),
        ("dhCompute", dh_compute),
        ("x509Parse", x509_parse),
        ("x509Info", x509_info),
        ("x509PublicKey", x509_public_key),
        ("x509Verify", x509_verify),
        ("x509CheckIssued", x509_check_issued),
        ("x509CheckPrivateKey", x509_check_private_key),
        ("x509Check", x509_check),
        ("primeGenerate", prime_generate),
        ("primeCheck", prime_check),
        ("dhGroupPrime", dh_group_prime),
    ];
    for (name, op) in ops {
        b.set_function(name, *op)?;
    }
    Ok(())
}
