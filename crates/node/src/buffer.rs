//! Ops behind node:buffer: the encoders and decoders of every Buffer encoding, byte search,
//! comparison, fill and byte swapping. buffer.js validates and clamps every argument, so the
//! ops trust that offsets and lengths lie inside the views they are given.
//!
//! Strings reach Rust as UTF-16 code units (what JSC hands out); each op does a whole unit of
//! work (a whole string, a whole range) so the JS→Rust crossing is paid once per call.

use jsc::{Args, Ctx, JsResult, Object, Value};

/// The bytes of a view (empty for anything that is not one). The slice aliases JS memory:
/// ops read the numbers they need first and call no JS while holding it.
fn view(value: &Value) -> &mut [u8] {
    value.bytes().unwrap_or_default()
}

/// [`view`] for ops that only read, which may be handed two views of the same memory.
fn read_view(value: &Value) -> &[u8] {
    view(value)
}

fn index_arg(args: &Args, i: usize) -> JsResult<usize> {
    Ok(args.number(i)?.max(0.0) as usize)
}

/// Runs a decoder over `buffer[start, end)` for `xSlice(buffer, start, end)`.
fn slice_op(args: &Args, decode: impl FnOnce(Ctx, &[u8]) -> Value) -> JsResult<Value> {
    let buffer = args.get(0);
    let (start, end) = (index_arg(args, 1)?, index_arg(args, 2)?);
    let bytes = read_view(&buffer);
    let end = end.min(bytes.len());
    Ok(decode(args.ctx, &bytes[start.min(end)..end]))
}

/// Runs an encoder of `string` into `buffer[offset, offset + maxLength)` for
/// `xWrite(buffer, string, offset, maxLength)`; returns the number of bytes written.
fn write_op(args: &Args, encode: impl FnOnce(&[u16], &mut [u8]) -> usize) -> JsResult<Value> {
    let string = args.get(1).to_js_string()?;
    let (offset, max) = (index_arg(args, 2)?, index_arg(args, 3)?);
    let buffer = args.get(0);
    let bytes = view(&buffer);
    let offset = offset.min(bytes.len());
    let end = offset.saturating_add(max).min(bytes.len());
    let n = encode(string.utf16(), &mut bytes[offset..end]);
    Ok(args.ctx.number(n as f64))
}

// Strings are made from UTF-16 even when every character is a byte: the C API's only
// 8-bit route (via a NUL-terminated UTF-8 copy) costs several times more on large text.

fn latin1_string(ctx: Ctx, bytes: &[u8]) -> Value {
    let units: Vec<u16> = bytes.iter().map(|&b| b as u16).collect();
    ctx.string_utf16(&units)
}

// --- UTF-8 ------------------------------------------------------------------------------

/// The code point starting at `units[i]` and how many units it takes; a lone surrogate
/// becomes U+FFFD, as Node writes it.
fn code_point_at(units: &[u16], i: usize) -> (u32, usize) {
    let unit = units[i] as u32;
    if !(0xD800..0xE000).contains(&unit) {
        return (unit, 1);
    }
    if unit < 0xDC00 {
        if let Some(&next) = units.get(i + 1) {
            let next = next as u32;
            if (0xDC00..0xE000).contains(&next) {
                return (0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00), 2);
            }
        }
    }
    (0xFFFD, 1)
}

/// Encodes as much of `units` as fits in `out` without splitting a character;
/// returns the number of bytes written.
fn encode_utf8(units: &[u16], out: &mut [u8]) -> usize {
    encode_utf8_counting(units, out).1
}

/// How many leading units of `units` are ASCII, found 16 at a time (the loops over
/// whole chunks compile to vector instructions, which the general loops below don't).
fn ascii_prefix(units: &[u16]) -> usize {
    let mut i = 0;
    for chunk in units.chunks_exact(16) {
        if chunk.iter().fold(0, |acc, &u| acc | u) >= 0x80 {
            break;
        }
        i += 16;
    }
    while i < units.len() && units[i] < 0x80 {
        i += 1;
    }
    i
}

/// Like [`encode_utf8`], returning (code units read, bytes written).
fn encode_utf8_counting(units: &[u16], out: &mut [u8]) -> (usize, usize) {
    let (mut i, mut n) = (0, 0);
    while i < units.len() {
        let unit = units[i] as u32;
        if unit < 0x80 {
            // A run of ASCII is copied in bulk.
            let run = ascii_prefix(&units[i..]).min(out.len() - n);
            if run == 0 {
                break;
            }
            for (slot, &unit) in out[n..n + run].iter_mut().zip(&units[i..i + run]) {
                *slot = unit as u8;
            }
            n += run;
            i += run;
        } else if unit < 0x800 {
            if n + 2 > out.len() {
                break;
            }
            out[n] = 0xC0 | (unit >> 6) as u8;
            out[n + 1] = 0x80 | (unit & 0x3F) as u8;
            n += 2;
            i += 1;
        } else {
            let (cp, used) = code_point_at(units, i);
            if cp < 0x10000 {
                if n + 3 > out.len() {
                    break;
                }
                out[n] = 0xE0 | (cp >> 12) as u8;
                out[n + 1] = 0x80 | ((cp >> 6) & 0x3F) as u8;
                out[n + 2] = 0x80 | (cp & 0x3F) as u8;
                n += 3;
            } else {
                if n + 4 > out.len() {
                    break;
                }
                out[n] = 0xF0 | (cp >> 18) as u8;
                out[n + 1] = 0x80 | ((cp >> 12) & 0x3F) as u8;
                out[n + 2] = 0x80 | ((cp >> 6) & 0x3F) as u8;
                out[n + 3] = 0x80 | (cp & 0x3F) as u8;
                n += 4;
            }
            i += used;
        }
    }
    (i, n)
}

fn utf8_length(units: &[u16]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < units.len() {
        let unit = units[i];
        if unit < 0x80 {
            let run = ascii_prefix(&units[i..]);
            n += run;
            i += run;
        } else if unit < 0x800 {
            n += 2;
            i += 1;
        } else {
            let (cp, used) = code_point_at(units, i);
            n += if cp >= 0x10000 { 4 } else { 3 };
            i += used;
        }
    }
    n
}

/// Decodes UTF-8 the WHATWG way: each maximal invalid subsequence becomes one U+FFFD.
fn utf8_string(ctx: Ctx, bytes: &[u8]) -> Value {
    // Short ASCII, the usual case, becomes one of the engine's 8-bit strings: half the
    // size, and faster to make (JSC checks UTF-8 input in a 1024-unit stack buffer; past
    // that it allocates, and the UTF-16 path below is faster).
    if bytes.len() <= 1024 && bytes.is_ascii() {
        // SAFETY: ASCII is UTF-8.
        return ctx.string(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    let mut units = Vec::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if valid.is_ascii() {
            units.extend(valid.bytes().map(u16::from));
        } else {
            units.extend(valid.encode_utf16());
        }
        if !chunk.invalid().is_empty() {
            units.push(0xFFFD);
        }
    }
    ctx.string_utf16(&units)
}

// --- hex and base64 -----------------------------------------------------------------

// Hex and base64 text is read a byte per code unit: the low byte, as Node does.

const INVALID: u8 = 0xFF;

/// Digit values by byte, INVALID for anything else.
const HEX_VALUES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Sextet values by byte; both alphabets decode under either encoding name, as in Node.
const BASE64_VALUES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62;
    table[b'_' as usize] = 63;
    table
};

/// Decodes hex pairs until the first invalid pair (or an odd last digit).
fn decode_hex(units: &[u16], out: &mut [u8]) -> usize {
    let mut n = 0;
    for (pair, slot) in units.chunks_exact(2).zip(out.iter_mut()) {
        let (hi, lo) = (HEX_VALUES[pair[0] as u8 as usize], HEX_VALUES[pair[1] as u8 as usize]);
        if hi == INVALID || lo == INVALID {
            break;
        }
        *slot = (hi << 4) | lo;
        n += 1;
    }
    n
}

fn encode_hex(bytes: &[u8]) -> Vec<u16> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as u16);
        out.push(DIGITS[(b & 15) as usize] as u16);
    }
    out
}

/// Base64 of `bytes` in the standard alphabet with padding, or the URL alphabet without.
fn encode_base64(bytes: &[u8], url: bool) -> Vec<u16> {
    let alphabet: &[u8; 64] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    let mut groups = bytes.chunks_exact(3);
    for g in &mut groups {
        let n = (g[0] as usize) << 16 | (g[1] as usize) << 8 | g[2] as usize;
        out.extend([n >> 18, n >> 12 & 63, n >> 6 & 63, n & 63].map(|i| alphabet[i] as u16));
    }
    match *groups.remainder() {
        [a] => {
            let n = (a as usize) << 16;
            out.extend([n >> 18, n >> 12 & 63].map(|i| alphabet[i] as u16));
            if !url {
                out.extend([b'=' as u16; 2]);
            }
        }
        [a, b] => {
            let n = (a as usize) << 16 | (b as usize) << 8;
            out.extend([n >> 18, n >> 12 & 63, n >> 6 & 63].map(|i| alphabet[i] as u16));
            if !url {
                out.push(b'=' as u16);
            }
        }
        _ => {}
    }
    out
}

/// Node's lenient base64: characters outside the alphabets (whitespace included) are
/// skipped, the first `=` ends the input and a dangling sixth of a byte is dropped.
fn decode_base64(units: &[u16], out: &mut [u8]) -> usize {
    let value = |unit: u16| BASE64_VALUES[unit as u8 as usize];
    let (mut acc, mut bits, mut n, mut i) = (0u32, 0u32, 0, 0);
    while i < units.len() {
        // Whole groups of four valid characters, while no bits are pending.
        while bits == 0 && i + 4 <= units.len() && n + 3 <= out.len() {
            let q = [value(units[i]), value(units[i + 1]), value(units[i + 2]), value(units[i + 3])];
            // Valid sextets are below 64; INVALID has the top bits set.
            if (q[0] | q[1] | q[2] | q[3]) & 0xC0 != 0 {
                break;
            }
            let v = (q[0] as u32) << 18 | (q[1] as u32) << 12 | (q[2] as u32) << 6 | q[3] as u32;
            out[n..n + 3].copy_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
            n += 3;
            i += 4;
        }
        if i == units.len() {
            break;
        }
        let unit = units[i];
        i += 1;
        if unit as u8 == b'=' {
            break;
        }
        let v = value(unit);
        if v == INVALID {
            continue;
        }
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if n == out.len() {
                break;
            }
            out[n] = (acc >> bits) as u8;
            n += 1;
        }
    }
    n
}

// --- ops: writes and slices ---------------------------------------------------------

fn utf8_write(args: &Args) -> JsResult<Value> {
    write_op(args, encode_utf8)
}

/// latin1 and ascii: the low byte of each code unit.
fn latin1_write(args: &Args) -> JsResult<Value> {
    write_op(args, |units, out| {
        let n = units.len().min(out.len());
        for (slot, &unit) in out.iter_mut().zip(&units[..n]) {
            *slot = unit as u8;
        }
        n
    })
}

fn ucs2_write(args: &Args) -> JsResult<Value> {
    write_op(args, |units, out| {
        let n = units.len().min(out.len() / 2);
        for (slot, &unit) in out.chunks_exact_mut(2).zip(&units[..n]) {
            slot.copy_from_slice(&unit.to_le_bytes());
        }
        n * 2
    })
}

fn hex_write(args: &Args) -> JsResult<Value> {
    write_op(args, decode_hex)
}

fn base64_write(args: &Args) -> JsResult<Value> {
    write_op(args, decode_base64)
}

fn byte_length_utf8(args: &Args) -> JsResult<Value> {
    let s = args.get(0).to_js_string()?;
    Ok(args.ctx.number(utf8_length(s.utf16()) as f64))
}

/// `utf8Encode(string)`: a new Uint8Array of the string's UTF-8 (TextEncoder.encode).
fn utf8_encode(args: &Args) -> JsResult<Value> {
    let s = args.get(0).to_js_string()?;
    let units = s.utf16();
    let mut out = vec![0u8; utf8_length(units)];
    encode_utf8(units, &mut out);
    Ok(args.ctx.uint8_array(out)?.value())
}

/// `utf8EncodeInto(string, dest)`: `[code units read, bytes written]` (TextEncoder.encodeInto).
fn utf8_encode_into(args: &Args) -> JsResult<Value> {
    let s = args.get(0).to_js_string()?;
    let dest = args.get(1);
    let (read, written) = encode_utf8_counting(s.utf16(), view(&dest));
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(read as f64), ctx.number(written as f64)])?.value())
}

fn utf8_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, utf8_string)
}

fn latin1_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, latin1_string)
}

/// ascii drops the high bit of every byte.
fn ascii_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| {
        let units: Vec<u16> = bytes.iter().map(|&b| (b & 0x7F) as u16).collect();
        ctx.string_utf16(&units)
    })
}

/// Little-endian code units; an odd last byte is ignored.
fn ucs2_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        ctx.string_utf16(&units)
    })
}

fn hex_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| ctx.string_utf16(&encode_hex(bytes)))
}

fn base64_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| ctx.string_utf16(&encode_base64(bytes, false)))
}

fn base64url_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| ctx.string_utf16(&encode_base64(bytes, true)))
}

// --- ops: search, compare, fill, swap ---------------------------------------------------

/// First match of `needle` at or after `from` (forward), or last match starting at or
/// before `from` (backward); only matches at even offsets count when `aligned`.
fn find(haystack: &[u8], needle: &[u8], from: usize, forward: bool, aligned: bool) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    if forward {
        let mut start = from;
        while start <= haystack.len() - needle.len() {
            let found = start + memchr::memmem::find(&haystack[start..], needle)?;
            if !aligned || found % 2 == 0 {
                return Some(found);
            }
            start = found + 1;
        }
        None
    } else {
        let mut end = from.saturating_add(needle.len()).min(haystack.len());
        loop {
            let found = memchr::memmem::rfind(&haystack[..end], needle)?;
            if !aligned || found % 2 == 0 {
                return Some(found);
            }
            end = found + needle.len() - 1;
        }
    }
}

fn found_index(ctx: Ctx, found: Option<usize>) -> Value {
    ctx.number(found.map_or(-1.0, |i| i as f64))
}

/// `indexOfBytes(haystack, needle, from, forward)`.
fn index_of_bytes(args: &Args) -> JsResult<Value> {
    let (from, forward) = (index_arg(args, 2)?, args.get(3).to_boolean());
    let (haystack, needle) = (args.get(0), args.get(1));
    Ok(found_index(args.ctx, find(read_view(&haystack), read_view(&needle), from, forward, false)))
}

/// `indexOfUcs2(haystack, needle, from, forward)`: matches only at even offsets, as Node
/// searches UTF-16 text code unit by code unit.
fn index_of_ucs2(args: &Args) -> JsResult<Value> {
    let (from, forward) = (index_arg(args, 2)? & !1, args.get(3).to_boolean());
    let (haystack, needle) = (args.get(0), args.get(1));
    let haystack = read_view(&haystack);
    let even = haystack.len() & !1;
    Ok(found_index(args.ctx, find(&haystack[..even], read_view(&needle), from, forward, true)))
}

/// `indexOfByte(haystack, byte, from, forward)`.
fn index_of_byte(args: &Args) -> JsResult<Value> {
    let byte = args.number(1)? as u8;
    let (from, forward) = (index_arg(args, 2)?, args.get(3).to_boolean());
    let haystack = args.get(0);
    let haystack = read_view(&haystack);
    let found = if from >= haystack.len() {
        None
    } else if forward {
        memchr::memchr(byte, &haystack[from..]).map(|p| p + from)
    } else {
        memchr::memrchr(byte, &haystack[..=from])
    };
    Ok(found_index(args.ctx, found))
}

/// `compare(a, b)`: -1, 0 or 1 by bytes, shorter first on a common prefix.
fn compare(args: &Args) -> JsResult<Value> {
    let (a, b) = (args.get(0), args.get(1));
    let order = read_view(&a).cmp(read_view(&b));
    Ok(args.ctx.number(order as i8 as f64))
}

/// `fill(buffer, pattern, start, end)` repeats the (non-empty) pattern over the range.
fn fill(args: &Args) -> JsResult<Value> {
    let (start, end) = (index_arg(args, 2)?, index_arg(args, 3)?);
    let pattern = args.get(1);
    let pattern = read_view(&pattern).to_vec();
    let buffer = args.get(0);
    let bytes = view(&buffer);
    let end = end.min(bytes.len());
    let target = &mut bytes[start.min(end)..end];
    if pattern.len() == 1 {
        target.fill(pattern[0]);
    } else if !pattern.is_empty() {
        let first = pattern.len().min(target.len());
        target[..first].copy_from_slice(&pattern[..first]);
        // Double the filled prefix until the range is full.
        let mut filled = first;
        while filled < target.len() {
            let n = filled.min(target.len() - filled);
            target.copy_within(..n, filled);
            filled += n;
        }
    }
    Ok(args.ctx.undefined())
}

/// `swap(buffer, width)` reverses the byte order of every `width`-byte group.
fn swap(args: &Args) -> JsResult<Value> {
    let width = args.number(1)? as usize;
    let buffer = args.get(0);
    for group in view(&buffer).chunks_exact_mut(width) {
        group.reverse();
    }
    Ok(args.ctx.undefined())
}

fn is_utf8(args: &Args) -> JsResult<Value> {
    let value = args.get(0);
    Ok(args.ctx.boolean(std::str::from_utf8(read_view(&value)).is_ok()))
}

fn is_ascii(args: &Args) -> JsResult<Value> {
    let value = args.get(0);
    Ok(args.ctx.boolean(read_view(&value).is_ascii()))
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("byteLengthUtf8", byte_length_utf8)?;
    b.set_function("utf8Write", utf8_write)?;
    b.set_function("latin1Write", latin1_write)?;
    b.set_function("ucs2Write", ucs2_write)?;
    b.set_function("hexWrite", hex_write)?;
    b.set_function("base64Write", base64_write)?;
    b.set_function("utf8Encode", utf8_encode)?;
    b.set_function("utf8EncodeInto", utf8_encode_into)?;
    b.set_function("utf8Slice", utf8_slice)?;
    b.set_function("latin1Slice", latin1_slice)?;
    b.set_function("asciiSlice", ascii_slice)?;
    b.set_function("ucs2Slice", ucs2_slice)?;
    b.set_function("hexSlice", hex_slice)?;
    b.set_function("base64Slice", base64_slice)?;
    b.set_function("base64urlSlice", base64url_slice)?;
    b.set_function("indexOfBytes", index_of_bytes)?;
    b.set_function("indexOfUcs2", index_of_ucs2)?;
    b.set_function("indexOfByte", index_of_byte)?;
    b.set_function("compare", compare)?;
    b.set_function("fill", fill)?;
    b.set_function("swap", swap)?;
    b.set_function("isUtf8", is_utf8)?;
    b.set_function("isAscii", is_ascii)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn utf8_encoding_stops_before_a_character_that_does_not_fit() {
        let mut out = [0u8; 4];
        assert_eq!(encode_utf8(&units("a€b"), &mut out), 4);
        assert_eq!(&out, b"a\xE2\x82\xAC");
        assert_eq!(encode_utf8(&units("😀"), &mut out[..3]), 0);
    }

    #[test]
    fn ascii_runs_of_any_length_encode_as_the_general_path_does() {
        for len in [0, 1, 15, 16, 17, 40] {
            for tail in ["", "é", "€😀"] {
                let text = format!("{}{}{}", "x".repeat(len), tail, "y".repeat(len));
                let mut out = vec![0u8; text.len()];
                assert_eq!(encode_utf8(&units(&text), &mut out), text.len());
                assert_eq!(out, text.as_bytes());
                assert_eq!(utf8_length(&units(&text)), text.len());
                // A buffer too small stops inside the ASCII run too.
                let mut short = vec![0u8; len / 2];
                assert_eq!(encode_utf8(&units(&text), &mut short), len / 2);
            }
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let mut out = [0u8; 8];
        let n = encode_utf8(&[0x61, 0xD83D], &mut out);
        assert_eq!(&out[..n], b"a\xEF\xBF\xBD");
        assert_eq!(utf8_length(&[0xDC00, 0xD83D, 0xDE00]), 7);
    }

    #[test]
    fn hex_stops_at_the_first_invalid_pair() {
        let mut out = [0u8; 4];
        assert_eq!(decode_hex(&units("abZZcd"), &mut out), 1);
        assert_eq!(decode_hex(&units("ABc"), &mut out), 1);
        assert_eq!(out[0], 0xAB);
    }

    #[test]
    fn base64_is_lenient() {
        let mut out = [0u8; 16];
        let n = decode_base64(&units("aG Vs\nbG8=gd29y"), &mut out);
        assert_eq!(&out[..n], b"hello");
        let n = decode_base64(&units("-_-_"), &mut out);
        assert_eq!(&out[..n], &[0xFB, 0xFF, 0xBF]);
        assert_eq!(decode_base64(&units("a"), &mut out), 0);
    }

    #[test]
    fn base64_encoding_pads_only_the_standard_alphabet() {
        let text = |v: Vec<u16>| String::from_utf16(&v).unwrap();
        assert_eq!(text(encode_base64(b"hi", false)), "aGk=");
        assert_eq!(text(encode_base64(b"h", false)), "aA==");
        assert_eq!(text(encode_base64(&[0xfb, 0xff, 0xfe, 1], true)), "-__-AQ");
        assert_eq!(text(encode_base64(b"", false)), "");
    }

    #[test]
    fn search_in_both_directions() {
        let hay = b"abcabcab";
        assert_eq!(find(hay, b"ca", 0, true, false), Some(2));
        assert_eq!(find(hay, b"ca", 3, true, false), Some(5));
        assert_eq!(find(hay, b"ab", 7, false, false), Some(6));
        assert_eq!(find(hay, b"ab", 5, false, false), Some(3));
        assert_eq!(find(hay, b"zz", 0, true, false), None);
        assert_eq!(find(b"\0a\0a\0", b"a\0", 0, true, true), None);
        assert_eq!(find(b"xa\0a\0", b"a\0", 4, false, true), None);
        assert_eq!(find(b"a\0a\0", b"a\0", 3, false, true), Some(2));
    }

    #[test]
    fn base64_decoding_mixes_fast_and_slow_paths() {
        let mut out = [0u8; 32];
        let n = decode_base64(&units("aGVsbG8g\nd29y bGQh"), &mut out);
        assert_eq!(&out[..n], b"hello world!");
        let mut small = [0u8; 4];
        assert_eq!(decode_base64(&units("aGVsbG8="), &mut small), 4);
        assert_eq!(&small, b"hell");
    }
}
