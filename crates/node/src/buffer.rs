//! Ops behind node:buffer: the encoders and decoders of every Buffer encoding, byte search,
//! comparison, fill and byte swapping. buffer.js validates and clamps every argument, so the
//! ops trust that offsets and lengths lie inside the views they are given.
//!
//! Strings are read in the engine's own storage (Latin-1 bytes or UTF-16 units, whichever it
//! holds) and made by writing straight into a new engine string, so large text is copied
//! once. Each op does a whole unit of work (a whole string, a whole range) so the JS→Rust
//! crossing is paid once per call. Ops run as the engine's host functions, which it calls
//! with its lock held: taking the lock again around an op only adds two calls.

use base64_simd::AsOut;
use jsc::{Args, Ctx, JsResult, Object, StringChars, Value};

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

/// Runs a decoder over `buffer[start, end)` for `xSlice(buffer, start, end)`, or over
/// the whole view for `xSlice(buffer)` (which spares two number conversions, a sizeable
/// part of a small op).
fn slice_op(args: &Args, decode: impl FnOnce(Ctx, &[u8]) -> Value) -> JsResult<Value> {
    let buffer = args.get(0);
    let range = if args.len() > 1 { Some((index_arg(args, 1)?, index_arg(args, 2)?)) } else { None };
    let bytes = read_view(&buffer);
    let (start, end) = range.unwrap_or((0, bytes.len()));
    let end = end.min(bytes.len());
    Ok(decode(args.ctx, &bytes[start.min(end)..end]))
}

/// Runs an encoder of `string` into `buffer[offset, offset + maxLength)` for
/// `xWrite(buffer, string, offset, maxLength)`; returns the number of bytes written.
fn write_op(args: &Args, encode: impl FnOnce(StringChars, &mut [u8]) -> usize) -> JsResult<Value> {
    let (offset, max) = (index_arg(args, 2)?, index_arg(args, 3)?);
    let buffer = args.get(0);
    let n = args.get(1).with_string_chars(|chars| {
        let bytes = view(&buffer);
        let offset = offset.min(bytes.len());
        let end = offset.saturating_add(max).min(bytes.len());
        encode(chars, &mut bytes[offset..end])
    })?;
    Ok(args.ctx.number(n as f64))
}

/// A code unit of either string width.
trait Unit: Copy + Into<u16> {
    /// The units as bytes, for 8-bit text.
    fn as_latin1(units: &[Self]) -> Option<&[u8]>;
    /// How many leading units of `units` are ASCII.
    fn ascii_prefix(units: &[Self]) -> usize;
    /// Decodes whole groups of four valid base64 characters from the start of `units`;
    /// returns (units read, bytes written).
    fn decode_base64_groups(units: &[Self], out: &mut [u8]) -> (usize, usize);
}

impl Unit for u8 {
    fn as_latin1(units: &[u8]) -> Option<&[u8]> {
        Some(units)
    }

    fn decode_base64_groups(text: &[u8], out: &mut [u8]) -> (usize, usize) {
        decode_base64_groups_latin1(text, out)
    }

    /// 32 bytes at a time (vector instructions) over long runs, then eight at a time: the
    /// first high bit of a little-endian word marks the first non-ASCII byte.
    fn ascii_prefix(bytes: &[u8]) -> usize {
        const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
        let mut i = 0;
        for block in bytes.chunks_exact(32) {
            if block.iter().fold(0, |acc, &b| acc | b) >= 0x80 {
                break;
            }
            i += 32;
        }
        let mut words = bytes[i..].chunks_exact(8);
        for word in &mut words {
            let high = u64::from_le_bytes(word.try_into().unwrap()) & HIGH_BITS;
            if high != 0 {
                return i + high.trailing_zeros() as usize / 8;
            }
            i += 8;
        }
        i + words.remainder().iter().take_while(|&&b| b < 0x80).count()
    }
}

impl Unit for u16 {
    fn as_latin1(_: &[u16]) -> Option<&[u8]> {
        None
    }

    fn decode_base64_groups(units: &[u16], out: &mut [u8]) -> (usize, usize) {
        decode_base64_groups_utf16(units, out)
    }

    /// 16 units at a time (the loops over whole chunks compile to vector instructions).
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
}

fn ascii_prefix<U: Unit>(units: &[U]) -> usize {
    U::ascii_prefix(units)
}

// --- UTF-8 ------------------------------------------------------------------------------

/// Copies a run of text between multi-byte characters. Short runs (the usual case in
/// non-English text) are copied as two overlapping fixed-size blocks: a call to memcpy
/// (which a plain loop compiles to) costs more than such a copy.
fn copy_run(from: &[u8], to: &mut [u8]) {
    let n = from.len();
    let to = &mut to[..n];
    match n {
        0 => {}
        1..=3 => {
            to[0] = from[0];
            to[n / 2] = from[n / 2];
            to[n - 1] = from[n - 1];
        }
        4..=7 => {
            to[..4].copy_from_slice(&from[..4]);
            to[n - 4..].copy_from_slice(&from[n - 4..]);
        }
        8..=15 => {
            to[..8].copy_from_slice(&from[..8]);
            to[n - 8..].copy_from_slice(&from[n - 8..]);
        }
        16..=32 => {
            to[..16].copy_from_slice(&from[..16]);
            to[n - 16..].copy_from_slice(&from[n - 16..]);
        }
        _ => to.copy_from_slice(from),
    }
}

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

/// Encodes as much of the string as fits in `out` without splitting a character;
/// returns (code units read, bytes written).
fn encode_utf8(chars: StringChars, out: &mut [u8]) -> (usize, usize) {
    match chars {
        StringChars::Latin1(bytes) => encode_utf8_latin1(bytes, out),
        StringChars::Utf16(units) => encode_utf8_utf16(units, out),
    }
}

fn encode_utf8_latin1(bytes: &[u8], out: &mut [u8]) -> (usize, usize) {
    let (mut i, mut n) = (0, 0);
    // Blocks of 16 while `out` has room for any block (two bytes per character): an ASCII
    // block is one copy, any other is expanded in a tight loop (text that mixes in accented
    // letters every few words would otherwise be many short runs).
    while i + 16 <= bytes.len() && n + 32 <= out.len() {
        let block: &[u8; 16] = bytes[i..i + 16].try_into().expect("16 bytes");
        if u128::from_ne_bytes(*block) & 0x8080_8080_8080_8080_8080_8080_8080_8080 == 0 {
            out[n..n + 16].copy_from_slice(block);
            n += 16;
        } else if has_ssse3() {
            // SAFETY: the CPU has SSSE3, and `out` has 32 bytes from `n`.
            n += unsafe { expand_latin1_block_ssse3(block, &mut out[n..n + 32]) };
        } else {
            for &b in block {
                if b < 0x80 {
                    out[n] = b;
                    n += 1;
                } else {
                    out[n] = 0xC0 | (b >> 6);
                    out[n + 1] = 0x80 | (b & 0x3F);
                    n += 2;
                }
            }
        }
        i += 16;
    }
    while i < bytes.len() {
        // A run of ASCII is copied in bulk.
        let run = ascii_prefix(&bytes[i..]).min(out.len() - n);
        copy_run(&bytes[i..i + run], &mut out[n..n + run]);
        i += run;
        n += run;
        if i == bytes.len() || bytes[i] < 0x80 || n + 2 > out.len() {
            break;
        }
        out[n] = 0xC0 | (bytes[i] >> 6);
        out[n + 1] = 0x80 | (bytes[i] & 0x3F);
        n += 2;
        i += 1;
    }
    (i, n)
}

fn encode_utf8_utf16(units: &[u16], out: &mut [u8]) -> (usize, usize) {
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

/// How many bytes are 0x80 or above, counted in byte-wide lanes (vector instructions) a
/// block at a time.
fn count_high_bytes(bytes: &[u8]) -> usize {
    bytes.chunks(255).map(|block| block.iter().fold(0u8, |n, &b| n + (b >> 7)) as usize).sum()
}

fn utf8_length(chars: StringChars) -> usize {
    let units = match chars {
        // Every character from U+0080 takes two bytes.
        StringChars::Latin1(bytes) => return bytes.len() + count_high_bytes(bytes),
        StringChars::Utf16(units) => units,
    };
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

/// From this length up, valid UTF-8 is decoded by simdutf's vector code; below it the
/// scalar passes cost less than its set-up.
const SIMD_UTF8_MIN: usize = 256;

/// Decodes UTF-8 the WHATWG way: each maximal invalid subsequence becomes one U+FFFD.
/// Text whose characters are all below U+0100 becomes an 8-bit engine string.
fn utf8_string(ctx: Ctx, bytes: &[u8]) -> Value {
    if bytes.is_ascii() {
        return ctx.latin1_string(bytes);
    }
    if bytes.len() >= SIMD_UTF8_MIN && simdutf::validate_utf8(bytes) {
        // Lead bytes below 0xC4 start only characters below U+0100.
        if bytes.iter().fold(0, |max, &b| max.max(b)) < 0xC4 {
            let len = simdutf::latin1_length_from_utf8(bytes);
            return ctx.string_from_bytes_with(len, |out| {
                let written = unsafe { simdutf::convert_valid_utf8_to_latin1(bytes.as_ptr(), bytes.len(), out.as_mut_ptr()) };
                debug_assert_eq!(written, out.len());
            });
        }
        let len = simdutf::utf16_length_from_utf8(bytes);
        return ctx.string_from_units_with(len, |out| {
            let written = unsafe { simdutf::convert_valid_utf8_to_utf16(bytes.as_ptr(), bytes.len(), out.as_mut_ptr()) };
            debug_assert_eq!(written, out.len());
        });
    }
    if let Some(shape) = utf8_shape(bytes) {
        if shape.latin1 {
            return ctx.string_from_bytes_with(shape.units, |out| decode_utf8_to_latin1(bytes, out));
        }
        return ctx.string_from_units_with(shape.units, |out| decode_utf8_to_utf16(bytes, out));
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
    ctx.utf16_string(&units)
}

/// What valid UTF-8 decodes to: how many UTF-16 code units, and whether every character
/// is below U+0100 (so the text fits an 8-bit string).
struct Utf8Shape {
    units: usize,
    latin1: bool,
}

/// Validates UTF-8 (as `str::from_utf8` does) and measures it in the same pass; `None`
/// when it is not valid.
fn utf8_shape(bytes: &[u8]) -> Option<Utf8Shape> {
    let continuation = |i: usize| bytes.get(i).is_some_and(|&b| b & 0xC0 == 0x80);
    let second_in = |i: usize, range: std::ops::RangeInclusive<u8>| bytes.get(i).is_some_and(|b| range.contains(b));
    let (mut i, mut units, mut latin1) = (0, 0, true);
    while i < bytes.len() {
        let run = ascii_prefix(&bytes[i..]);
        i += run;
        units += run;
        let Some(&lead) = bytes.get(i) else { break };
        let (len, second) = match lead {
            0xC2..=0xDF => (2, 0x80..=0xBF),
            // No overlong forms, no surrogates, nothing past U+10FFFF.
            0xE0 => (3, 0xA0..=0xBF),
            0xED => (3, 0x80..=0x9F),
            0xE1..=0xEF => (3, 0x80..=0xBF),
            0xF0 => (4, 0x90..=0xBF),
            0xF4 => (4, 0x80..=0x8F),
            0xF1..=0xF3 => (4, 0x80..=0xBF),
            _ => return None,
        };
        if !second_in(i + 1, second) || (len > 2 && !continuation(i + 2)) || (len > 3 && !continuation(i + 3)) {
            return None;
        }
        latin1 &= lead <= 0xC3;
        units += if len == 4 { 2 } else { 1 };
        i += len;
    }
    Some(Utf8Shape { units, latin1 })
}

/// Decodes valid UTF-8 of characters below U+0100 (ASCII and two-byte sequences) into
/// exactly `out.len()` Latin-1 bytes.
fn decode_utf8_to_latin1(bytes: &[u8], out: &mut [u8]) {
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        let run = ascii_prefix(&bytes[i..]);
        copy_run(&bytes[i..i + run], &mut out[n..n + run]);
        i += run;
        n += run;
        if i < bytes.len() {
            out[n] = (bytes[i] << 6) | (bytes[i + 1] & 0x3F);
            n += 1;
            i += 2;
        }
    }
}

/// Decodes valid UTF-8 into exactly `out.len()` UTF-16 code units.
fn decode_utf8_to_utf16(bytes: &[u8], out: &mut [u16]) {
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i] as u32;
        if b < 0x80 {
            let run = ascii_prefix(&bytes[i..]);
            for (slot, &b) in out[n..n + run].iter_mut().zip(&bytes[i..i + run]) {
                *slot = b as u16;
            }
            i += run;
            n += run;
            continue;
        }
        let continuation = |k: usize| (bytes[i + k] & 0x3F) as u32;
        if b < 0xE0 {
            out[n] = ((b & 0x1F) << 6 | continuation(1)) as u16;
            n += 1;
            i += 2;
        } else if b < 0xF0 {
            out[n] = ((b & 0x0F) << 12 | continuation(1) << 6 | continuation(2)) as u16;
            n += 1;
            i += 3;
        } else {
            let cp = (b & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3);
            out[n] = (0xD800 + ((cp - 0x10000) >> 10)) as u16;
            out[n + 1] = (0xDC00 + (cp & 0x3FF)) as u16;
            n += 2;
            i += 4;
        }
    }
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

/// The two hex digits of each byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
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

fn low_byte<U: Unit>(unit: U) -> u8 {
    unit.into() as u8
}

/// The value of a hex digit, or 0xFF.
fn hex_digit(c: u8) -> u8 {
    let digit = c.wrapping_sub(b'0');
    let letter = (c | 0x20).wrapping_sub(b'a');
    if digit < 10 {
        digit
    } else if letter < 6 {
        letter + 10
    } else {
        INVALID
    }
}

/// [`decode_hex`] of 8-bit text: blocks of 32 digits are checked and converted without
/// tables or branches (which compiles to vector instructions), the rest a pair at a time.
fn decode_hex_latin1(text: &[u8], out: &mut [u8]) -> usize {
    let mut n = 0;
    for (block, dest) in text.chunks_exact(32).zip(out.chunks_exact_mut(16)) {
        let mut digits = [0u8; 32];
        let mut all = 0;
        for (digit, &c) in digits.iter_mut().zip(block) {
            *digit = hex_digit(c);
            all |= *digit;
        }
        // Digits are below 16; INVALID has the high bits set.
        if all > 0x0F {
            break;
        }
        for (slot, pair) in dest.iter_mut().zip(digits.chunks_exact(2)) {
            *slot = pair[0] << 4 | pair[1];
        }
        n += 16;
    }
    n + decode_hex(&text[2 * n..], &mut out[n..])
}

/// Decodes hex pairs until the first invalid pair (or an odd last digit).
fn decode_hex<U: Unit>(units: &[U], out: &mut [u8]) -> usize {
    let mut n = 0;
    for (pair, slot) in units.chunks_exact(2).zip(out.iter_mut()) {
        let (hi, lo) = (HEX_VALUES[low_byte(pair[0]) as usize], HEX_VALUES[low_byte(pair[1]) as usize]);
        if hi == INVALID || lo == INVALID {
            break;
        }
        *slot = (hi << 4) | lo;
        n += 1;
    }
    n
}

#[cfg(target_arch = "x86_64")]
fn has_ssse3() -> bool {
    std::arch::is_x86_feature_detected!("ssse3")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_ssse3() -> bool {
    false
}

/// For each mask of which of 8 characters need two UTF-8 bytes, the byte shuffle that keeps
/// the low byte of every 16-bit lane and the high byte of those lanes only.
const LATIN1_EXPANSIONS: [[u8; 16]; 256] = {
    let mut table = [[0x80u8; 16]; 256];
    let mut mask = 0;
    while mask < 256 {
        let (mut lane, mut at) = (0, 0);
        while lane < 8 {
            table[mask][at] = 2 * lane as u8;
            at += 1;
            if mask >> lane & 1 == 1 {
                table[mask][at] = 2 * lane as u8 + 1;
                at += 1;
            }
            lane += 1;
        }
        mask += 1;
    }
    table
};

/// The UTF-8 of 16 Latin-1 characters, 8 at a time: each character becomes a 16-bit lane
/// holding its one or two bytes, and a shuffle squeezes out the unused high bytes. Returns
/// the bytes written (up to 32; `out` must have 32).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
unsafe fn expand_latin1_block_ssse3(block: &[u8; 16], out: &mut [u8]) -> usize {
    use std::arch::x86_64::*;
    assert!(out.len() >= 32);
    let v = _mm_loadu_si128(block.as_ptr() as *const __m128i);
    let high_bits = _mm_movemask_epi8(v) as usize;
    let zero = _mm_setzero_si128();
    let mut n = 0;
    for (half, wide) in [(0, _mm_unpacklo_epi8(v, zero)), (1, _mm_unpackhi_epi8(v, zero))] {
        let mask = (high_bits >> (8 * half)) & 0xFF;
        let two_bytes = _mm_cmpgt_epi16(wide, _mm_set1_epi16(0x7F));
        let lead = _mm_or_si128(_mm_srli_epi16(wide, 6), _mm_set1_epi16(0xC0));
        let continuation = _mm_or_si128(_mm_and_si128(wide, _mm_set1_epi16(0x3F)), _mm_set1_epi16(0x80));
        let pair = _mm_or_si128(lead, _mm_slli_epi16(continuation, 8));
        let lanes = _mm_or_si128(_mm_and_si128(two_bytes, pair), _mm_andnot_si128(two_bytes, wide));
        let shuffle = _mm_loadu_si128(LATIN1_EXPANSIONS[mask].as_ptr() as *const __m128i);
        _mm_storeu_si128(out.as_mut_ptr().add(n) as *mut __m128i, _mm_shuffle_epi8(lanes, shuffle));
        n += 8 + mask.count_ones() as usize;
    }
    n
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn expand_latin1_block_ssse3(_: &[u8; 16], _: &mut [u8]) -> usize {
    unreachable!("has_ssse3 is false here")
}

/// Writes the hex digits of `bytes` into `out`, twice as long.
fn encode_hex(bytes: &[u8], out: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    let done = if bytes.len() >= 16 && has_ssse3() {
        // SAFETY: the CPU has SSSE3, and `out` holds two bytes for each of `bytes`.
        unsafe { encode_hex_ssse3(bytes, out) }
    } else {
        0
    };
    #[cfg(not(target_arch = "x86_64"))]
    let done = 0;
    for (pair, &b) in out[2 * done..].chunks_exact_mut(2).zip(&bytes[done..]) {
        pair.copy_from_slice(&HEX_PAIRS[b as usize]);
    }
}

/// Hex digits for 16 bytes at a time: each nibble picks its digit with a byte shuffle.
/// Returns how many bytes it encoded (a multiple of 16).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
unsafe fn encode_hex_ssse3(bytes: &[u8], out: &mut [u8]) -> usize {
    use std::arch::x86_64::*;
    assert!(out.len() >= 2 * bytes.len());
    let digits = _mm_loadu_si128(b"0123456789abcdef".as_ptr() as *const __m128i);
    let low_nibbles = _mm_set1_epi8(0x0f);
    let blocks = bytes.len() / 16;
    for block in 0..blocks {
        let v = _mm_loadu_si128(bytes.as_ptr().add(16 * block) as *const __m128i);
        let high = _mm_shuffle_epi8(digits, _mm_and_si128(_mm_srli_epi16(v, 4), low_nibbles));
        let low = _mm_shuffle_epi8(digits, _mm_and_si128(v, low_nibbles));
        let target = out.as_mut_ptr().add(32 * block);
        _mm_storeu_si128(target as *mut __m128i, _mm_unpacklo_epi8(high, low));
        _mm_storeu_si128(target.add(16) as *mut __m128i, _mm_unpackhi_epi8(high, low));
    }
    16 * blocks
}

/// The length of the base64 of `len` bytes: padded in the standard alphabet, not in the URL one.
fn base64_length(len: usize, url: bool) -> usize {
    if url { len / 3 * 4 + [0, 2, 3][len % 3] } else { len.div_ceil(3) * 4 }
}

/// Standard base64 is padded; Node's base64url is not.
fn encode_base64(bytes: &[u8], url: bool, out: &mut [u8]) {
    let engine = if url { &base64_simd::URL_SAFE_NO_PAD } else { &base64_simd::STANDARD };
    // `out` is exactly the encoded length (base64_length), so all of it is written.
    let _ = engine.encode(bytes, out.as_out());
}

/// The sextet of each byte placed for position `k` of a group of four (`18 - 6k` bits up),
/// or a bit above the 24 of a group for a byte outside the alphabets.
const fn base64_placed(k: u32) -> [u32; 256] {
    let mut table = [1 << 24; 256];
    let mut i = 0;
    while i < 256 {
        if BASE64_VALUES[i] != INVALID {
            table[i] = (BASE64_VALUES[i] as u32) << (18 - 6 * k);
        }
        i += 1;
    }
    table
}

static BASE64_PLACED: [[u32; 256]; 4] = [base64_placed(0), base64_placed(1), base64_placed(2), base64_placed(3)];

/// The 12 bits of every pair of characters (first character's byte high), or a bit above
/// them when either is outside the alphabets: one lookup decodes half of a group of four.
static BASE64_PAIR_VALUES: [u16; 65536] = {
    let mut table = [1 << 12; 65536];
    let mut i = 0;
    while i < 65536 {
        let (hi, lo) = (BASE64_VALUES[i >> 8], BASE64_VALUES[i & 0xFF]);
        if hi != INVALID && lo != INVALID {
            table[i] = (hi as u16) << 6 | lo as u16;
        }
        i += 1;
    }
    table
};

fn decode_base64_groups_utf16(units: &[u16], out: &mut [u8]) -> (usize, usize) {
    let (mut i, mut n) = (0, 0);
    while i + 4 <= units.len() && n + 3 <= out.len() {
        let placed = |k: usize| BASE64_PLACED[k][low_byte(units[i + k]) as usize];
        let v = placed(0) | placed(1) | placed(2) | placed(3);
        if v >> 24 != 0 {
            break;
        }
        out[n..n + 3].copy_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
        n += 3;
        i += 4;
    }
    (i, n)
}

/// Decodes whole groups of four valid characters from the start of `text` into `out`
/// while both have room; returns (characters read, bytes written).
fn decode_base64_groups_latin1(text: &[u8], out: &mut [u8]) -> (usize, usize) {
    let (mut i, mut n) = (0, 0);
    // Eight characters at a time.
    while i + 8 <= text.len() && n + 6 <= out.len() {
        let pair = |k: usize| BASE64_PAIR_VALUES[(text[i + k] as usize) << 8 | text[i + k + 1] as usize] as u64;
        let (a, b, c, d) = (pair(0), pair(2), pair(4), pair(6));
        if (a | b | c | d) >> 12 != 0 {
            break;
        }
        let v = a << 36 | b << 24 | c << 12 | d;
        out[n..n + 6].copy_from_slice(&v.to_be_bytes()[2..]);
        i += 8;
        n += 6;
    }
    while i + 4 <= text.len() && n + 3 <= out.len() {
        let pair = |k: usize| BASE64_PAIR_VALUES[(text[i + k] as usize) << 8 | text[i + k + 1] as usize] as u32;
        let (hi, lo) = (pair(0), pair(2));
        if (hi | lo) >> 12 != 0 {
            break;
        }
        let v = hi << 12 | lo;
        out[n..n + 3].copy_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
        i += 4;
        n += 3;
    }
    (i, n)
}

/// Node's lenient base64: characters outside the alphabets (whitespace included) are
/// skipped, the first `=` ends the input and a dangling sixth of a byte is dropped.
/// The vector decoder for `text` when it is canonical standard base64 (what
/// toString('base64') writes), which decodes to the same bytes as Node's lenient decoder,
/// with the decoded length. Checked before decoding: a failed decode may have written past
/// what Node would write.
fn canonical_base64(text: &[u8]) -> Option<(&'static base64_simd::Base64, usize)> {
    let engine = if text.len() % 4 == 0 { &base64_simd::STANDARD } else { &base64_simd::STANDARD_NO_PAD };
    let length = engine.decoded_length(text).ok()?;
    engine.check(text).ok()?;
    Some((engine, length))
}

fn decode_base64<U: Unit>(units: &[U], out: &mut [u8]) -> usize {
    // Canonical base64 takes the vector decoder; anything else the lenient path.
    if let Some(text) = U::as_latin1(units) {
        if let Some((engine, _)) = canonical_base64(text).filter(|&(_, length)| length <= out.len()) {
            if let Ok(decoded) = engine.decode(text, out.as_out()) {
                return decoded.len();
            }
        }
    }
    let value = |unit: U| BASE64_VALUES[low_byte(unit) as usize];
    let (mut acc, mut bits, mut n, mut i) = (0u32, 0u32, 0, 0);
    while i < units.len() {
        // Whole groups of four valid characters, while no bits are pending.
        if bits == 0 {
            let (read, written) = U::decode_base64_groups(&units[i..], &mut out[n..]);
            i += read;
            n += written;
        }
        if i == units.len() {
            break;
        }
        let unit = units[i];
        i += 1;
        if low_byte(unit) == b'=' {
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
    write_op(args, |chars, out| encode_utf8(chars, out).1)
}

/// latin1 and ascii: the low byte of each code unit.
fn encode_latin1(chars: StringChars, out: &mut [u8]) -> usize {
    let n = chars.len().min(out.len());
    match chars {
        StringChars::Latin1(bytes) => out[..n].copy_from_slice(&bytes[..n]),
        StringChars::Utf16(units) => {
            for (slot, &unit) in out.iter_mut().zip(&units[..n]) {
                *slot = unit as u8;
            }
        }
    }
    n
}

/// Little-endian code units, as many as fit whole.
fn encode_ucs2(chars: StringChars, out: &mut [u8]) -> usize {
    let n = chars.len().min(out.len() / 2);
    let slots = out.chunks_exact_mut(2);
    match chars {
        StringChars::Latin1(bytes) => slots.zip(&bytes[..n]).for_each(|(slot, &b)| slot.copy_from_slice(&[b, 0])),
        StringChars::Utf16(units) => slots.zip(&units[..n]).for_each(|(slot, &u)| slot.copy_from_slice(&u.to_le_bytes())),
    }
    n * 2
}

fn decode_hex_chars(chars: StringChars, out: &mut [u8]) -> usize {
    match chars {
        StringChars::Latin1(bytes) => decode_hex_latin1(bytes, out),
        StringChars::Utf16(units) => decode_hex(units, out),
    }
}

fn decode_base64_chars(chars: StringChars, out: &mut [u8]) -> usize {
    match chars {
        StringChars::Latin1(bytes) => decode_base64(bytes, out),
        StringChars::Utf16(units) => decode_base64(units, out),
    }
}

fn latin1_write(args: &Args) -> JsResult<Value> {
    write_op(args, encode_latin1)
}

fn ucs2_write(args: &Args) -> JsResult<Value> {
    write_op(args, encode_ucs2)
}

fn hex_write(args: &Args) -> JsResult<Value> {
    write_op(args, decode_hex_chars)
}

fn base64_write(args: &Args) -> JsResult<Value> {
    write_op(args, decode_base64_chars)
}

fn byte_length_utf8(args: &Args) -> JsResult<Value> {
    let n = args.get(0).with_string_chars(utf8_length)?;
    Ok(args.ctx.number(n as f64))
}

/// `utf8Encode(string)`: a new Uint8Array of the string's UTF-8 (TextEncoder.encode).
fn utf8_encode(args: &Args) -> JsResult<Value> {
    bytes_op(args, utf8_length, |chars, out| encode_utf8(chars, out).1)
}

/// `utf8EncodeInto(string, dest)`: `[code units read, bytes written]` (TextEncoder.encodeInto).
fn utf8_encode_into(args: &Args) -> JsResult<Value> {
    let dest = args.get(1);
    let (read, written) = args.get(0).with_string_chars(|chars| encode_utf8(chars, view(&dest)))?;
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(read as f64), ctx.number(written as f64)])?.value())
}

/// A new Uint8Array of the bytes `encode` writes for `string` (args[0]) into at most
/// `max_length(chars)` bytes.
fn bytes_op(args: &Args, max_length: impl FnOnce(StringChars) -> usize, encode: impl FnOnce(StringChars, &mut [u8]) -> usize) -> JsResult<Value> {
    let out = args.get(0).with_string_chars(|chars| {
        let mut out = vec![0u8; max_length(chars)];
        let n = encode(chars, &mut out);
        out.truncate(n);
        out
    })?;
    Ok(args.ctx.uint8_array(out)?.value())
}

/// `latin1Bytes(string)`: the low byte of each code unit (latin1 and ascii).
fn latin1_bytes(args: &Args) -> JsResult<Value> {
    bytes_op(args, |chars| chars.len(), encode_latin1)
}

fn ucs2_bytes(args: &Args) -> JsResult<Value> {
    bytes_op(args, |chars| chars.len() * 2, encode_ucs2)
}

fn hex_bytes(args: &Args) -> JsResult<Value> {
    bytes_op(args, |chars| chars.len() / 2, decode_hex_chars)
}

/// Node's estimate, which bounds what the lenient decoder writes: padding at the end is
/// not counted, anything else is.
fn base64_max_length(chars: StringChars) -> usize {
    let is_pad = |i: usize| match chars {
        StringChars::Latin1(bytes) => bytes[i] == b'=',
        StringChars::Utf16(units) => units[i] == b'=' as u16,
    };
    let mut len = chars.len();
    if len > 0 && is_pad(len - 1) {
        len -= 1;
        if len > 1 && is_pad(len - 1) {
            len -= 1;
        }
    }
    len * 3 / 4
}

fn base64_bytes(args: &Args) -> JsResult<Value> {
    bytes_op(args, base64_max_length, decode_base64_chars)
}

fn utf8_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, utf8_string)
}

fn latin1_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| ctx.latin1_string(bytes))
}

/// ascii drops the high bit of every byte.
fn ascii_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| {
        ctx.string_from_bytes_with(bytes.len(), |out| {
            for (slot, &b) in out.iter_mut().zip(bytes) {
                *slot = b & 0x7F;
            }
        })
    })
}

/// Little-endian code units; an odd last byte is ignored.
fn ucs2_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| {
        ctx.string_from_units_with(bytes.len() / 2, |out| {
            for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
                *slot = u16::from_le_bytes([pair[0], pair[1]]);
            }
        })
    })
}

fn hex_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| ctx.string_from_bytes_with(bytes.len() * 2, |out| encode_hex(bytes, out)))
}

fn base64_string(ctx: Ctx, bytes: &[u8], url: bool) -> Value {
    ctx.string_from_bytes_with(base64_length(bytes.len(), url), |out| encode_base64(bytes, url, out))
}

fn base64_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| base64_string(ctx, bytes, false))
}

fn base64url_slice(args: &Args) -> JsResult<Value> {
    slice_op(args, |ctx, bytes| base64_string(ctx, bytes, true))
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
            if !aligned || found.is_multiple_of(2) {
                return Some(found);
            }
            start = found + 1;
        }
        None
    } else {
        let mut end = from.saturating_add(needle.len()).min(haystack.len());
        loop {
            let found = memchr::memmem::rfind(&haystack[..end], needle)?;
            if !aligned || found.is_multiple_of(2) {
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

/// `indexOfString(haystack, string, from, forward, utf8)`: the string's UTF-8 (or, when
/// not `utf8`, the low byte of each code unit) searched for as `indexOfBytes` does.
fn index_of_string(args: &Args) -> JsResult<Value> {
    let (from, forward, utf8) = (index_arg(args, 2)?, args.get(3).to_boolean(), args.get(4).to_boolean());
    let needle = args.get(1).with_string_chars(|chars| {
        let mut needle = vec![0u8; if utf8 { utf8_length(chars) } else { chars.len() }];
        if utf8 {
            encode_utf8(chars, &mut needle);
        } else {
            encode_latin1(chars, &mut needle);
        }
        needle
    })?;
    let haystack = args.get(0);
    Ok(found_index(args.ctx, find(read_view(&haystack), &needle, from, forward, false)))
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
    b.set_function("latin1Bytes", latin1_bytes)?;
    b.set_function("ucs2Bytes", ucs2_bytes)?;
    b.set_function("hexBytes", hex_bytes)?;
    b.set_function("base64Bytes", base64_bytes)?;
    b.set_function("utf8EncodeInto", utf8_encode_into)?;
    b.set_function("utf8Slice", utf8_slice)?;
    b.set_function("latin1Slice", latin1_slice)?;
    b.set_function("asciiSlice", ascii_slice)?;
    b.set_function("ucs2Slice", ucs2_slice)?;
    b.set_function("hexSlice", hex_slice)?;
    b.set_function("base64Slice", base64_slice)?;
    b.set_function("base64urlSlice", base64url_slice)?;
    b.set_function("indexOfBytes", index_of_bytes)?;
    b.set_function("indexOfString", index_of_string)?;
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

    fn latin1(s: &str) -> Vec<u8> {
        s.chars().map(|c| u8::try_from(c as u32).unwrap()).collect()
    }

    fn encode(text: &[u16], out: &mut [u8]) -> usize {
        encode_utf8(StringChars::Utf16(text), out).1
    }

    #[test]
    fn utf8_encoding_stops_before_a_character_that_does_not_fit() {
        let mut out = [0u8; 4];
        assert_eq!(encode(&units("a€b"), &mut out), 4);
        assert_eq!(&out, b"a\xE2\x82\xAC");
        assert_eq!(encode(&units("😀"), &mut out[..3]), 0);
        assert_eq!(encode_utf8(StringChars::Latin1(b"ab\xe9"), &mut out[..3]), (2, 2));
        assert_eq!(encode_utf8(StringChars::Latin1(b"\xe9\xffc"), &mut out), (2, 4));
        assert_eq!(&out, "éÿ".as_bytes());
    }

    #[test]
    fn ascii_runs_of_any_length_encode_as_the_general_path_does() {
        for len in [0, 1, 15, 16, 17, 40] {
            for tail in ["", "é", "€😀", "\u{ff}\u{80}"] {
                let text = format!("{}{}{}", "x".repeat(len), tail, "y".repeat(len));
                let mut widths = vec![StringChars::Utf16(&[]); 0];
                let wide = units(&text);
                widths.push(StringChars::Utf16(&wide));
                let narrow = text.chars().all(|c| (c as u32) < 0x100).then(|| latin1(&text));
                if let Some(narrow) = &narrow {
                    widths.push(StringChars::Latin1(narrow));
                }
                for chars in widths {
                    let mut out = vec![0u8; text.len()];
                    assert_eq!(encode_utf8(chars, &mut out), (chars.len(), text.len()));
                    assert_eq!(out, text.as_bytes());
                    assert_eq!(utf8_length(chars), text.len());
                    // A buffer too small stops inside the ASCII run too.
                    let mut short = vec![0u8; len / 2];
                    assert_eq!(encode_utf8(chars, &mut short).1, len / 2);
                }
            }
        }
    }

    #[test]
    fn runs_of_every_length_are_copied() {
        let from: Vec<u8> = (0..80u8).collect();
        for n in 0..80 {
            let mut to = vec![0xEE; 81];
            copy_run(&from[..n], &mut to);
            assert_eq!(&to[..n], &from[..n]);
            assert_eq!(to[n], 0xEE);
        }
    }

    #[test]
    fn high_bytes_are_counted_in_blocks() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7) as u8).collect();
        for len in [0, 1, 254, 255, 256, 2000] {
            assert_eq!(count_high_bytes(&bytes[..len]), bytes[..len].iter().filter(|&&b| b >= 0x80).count());
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let mut out = [0u8; 8];
        let n = encode(&[0x61, 0xD83D], &mut out);
        assert_eq!(&out[..n], b"a\xEF\xBF\xBD");
        assert_eq!(utf8_length(StringChars::Utf16(&[0xDC00, 0xD83D, 0xDE00])), 7);
    }

    #[test]
    fn latin1_encodes_to_utf8_whole_and_into_short_buffers() {
        let mut text: Vec<u8> = (0..300u32).map(|i| if i % 7 == 0 { 0xE9 } else { b'a' + (i % 26) as u8 }).collect();
        text.extend((0..=255u8).chain((0..=255u8).rev()));
        let expected = String::from_utf8(text.iter().flat_map(|&b| char::from(b).to_string().into_bytes()).collect()).unwrap();
        for room in [0, 1, 2, 15, 16, 17, 31, 32, 33, 100, expected.len()] {
            let mut out = vec![0u8; room];
            let (read, written) = encode_utf8_latin1(&text, &mut out);
            let whole: String = text[..read].iter().map(|&b| char::from(b)).collect();
            assert_eq!(&out[..written], whole.as_bytes(), "room {room}");
            assert!(written + 1 >= room.min(expected.len()), "room {room}: only {written} written");
        }
    }

    #[test]
    fn valid_utf8_decodes_to_latin1_or_utf16() {
        for text in ["héllo wörld ÿ\u{80}", "x".repeat(40).as_str(), "é"] {
            let bytes = text.as_bytes();
            let mut out = vec![0u8; text.chars().count()];
            decode_utf8_to_latin1(bytes, &mut out);
            assert_eq!(out, latin1(text));
        }
        for text in ["a€b😀c", "中文 text and more text, past sixteen bytes 😀", "Āx"] {
            let mut out = vec![0u16; units(text).len()];
            decode_utf8_to_utf16(text.as_bytes(), &mut out);
            assert_eq!(out, units(text));
        }
    }

    #[test]
    fn utf8_is_validated_and_measured_as_std_does() {
        let mut samples: Vec<Vec<u8>> = vec![
            b"plain".to_vec(),
            "héllo wörld".into(),
            "a€b😀c中".into(),
            b"\xC0\x80".to_vec(),
            b"\xED\xA0\x80".to_vec(),
            b"\xE0\x9F\xBF".to_vec(),
            b"\xF4\x90\x80\x80".to_vec(),
            b"\xF0\x8F\xBF\xBF".to_vec(),
            b"abc\xE2\x82".to_vec(),
            b"\xC3".to_vec(),
            b"\xFF".to_vec(),
            b"x\x80".to_vec(),
        ];
        // Every 1- and 2-byte sequence, and 3-byte ones around the edge cases.
        for a in 0..=255u8 {
            samples.push(vec![a]);
            for b in 0..=255u8 {
                samples.push(vec![a, b]);
            }
            for b in [0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0] {
                samples.push(vec![a, b, 0x80]);
                samples.push(vec![a, b, 0x80, 0xBF]);
            }
        }
        for sample in samples {
            let expected = std::str::from_utf8(&sample).ok();
            let shape = utf8_shape(&sample);
            assert_eq!(shape.is_some(), expected.is_some(), "{sample:x?}");
            if let (Some(shape), Some(text)) = (shape, expected) {
                assert_eq!(shape.units, text.encode_utf16().count(), "{sample:x?}");
                assert_eq!(shape.latin1, text.chars().all(|c| (c as u32) < 0x100), "{sample:x?}");
            }
        }
    }

    #[test]
    fn ascii_prefixes_of_bytes_and_units() {
        for len in 0..40 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0x80;
                }
                assert_eq!(ascii_prefix(&bytes), at);
                let units: Vec<u16> = bytes.iter().map(|&b| if b == 0x80 { 0x100 } else { b as u16 }).collect();
                assert_eq!(ascii_prefix(&units), at);
            }
        }
    }

    #[test]
    fn hex_encoding_matches_the_table_for_every_length_and_byte() {
        let bytes: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 255, 512] {
            let mut out = vec![0u8; 2 * len];
            encode_hex(&bytes[..len], &mut out);
            let expected: Vec<u8> = bytes[..len].iter().flat_map(|b| HEX_PAIRS[*b as usize]).collect();
            assert_eq!(out, expected, "length {len}");
        }
    }

    #[test]
    fn hex_stops_at_the_first_invalid_pair() {
        let mut out = [0u8; 4];
        assert_eq!(decode_hex(&units("abZZcd"), &mut out), 1);
        assert_eq!(decode_hex_latin1(b"abZZcd", &mut out), 1);
        assert_eq!(decode_hex_latin1(b"0aFf9", &mut out), 2);
        assert_eq!(&out[..2], &[0x0A, 0xFF]);
        let long: Vec<u8> = b"0123456789abcdefABCDEF".iter().cycle().take(100).copied().collect();
        for bad_at in 0..long.len() {
            for len in [bad_at, long.len(), long.len() - 1] {
                let mut text = long[..len.max(bad_at)].to_vec();
                if bad_at < text.len() {
                    text[bad_at] = b'g';
                }
                let units: Vec<u16> = text.iter().map(|&b| b as u16).collect();
                let (mut wide, mut narrow) = ([0xEE; 64], [0xEE; 64]);
                assert_eq!(decode_hex(&units, &mut wide), decode_hex_latin1(&text, &mut narrow), "{bad_at} {len}");
                assert_eq!(wide, narrow);
            }
        }
        for b in 0..=255u8 {
            let text = [b, b'0', b'0', b];
            let mut wide = [0u8; 2];
            let mut narrow = [0u8; 2];
            let units: Vec<u16> = text.iter().map(|&b| b as u16).collect();
            assert_eq!(decode_hex(&units, &mut wide), decode_hex_latin1(&text, &mut narrow));
            assert_eq!(wide, narrow);
        }
        assert_eq!(decode_hex(b"ABc", &mut out), 1);
        assert_eq!(out[0], 0xAB);
        // Only the low byte of a code unit counts, as in Node.
        assert_eq!(decode_hex(&[0x161u16, 0x62], &mut out), 1);
        assert_eq!(out[0], 0xAB);
        let mut text = [0u8; 6];
        encode_hex(&[0x00, 0xAB, 0xFF], &mut text);
        assert_eq!(&text, b"00abff");
    }

    #[test]
    fn base64_is_lenient() {
        let mut out = [0u8; 16];
        let n = decode_base64(&units("aG Vs\nbG8=gd29y"), &mut out);
        assert_eq!(&out[..n], b"hello");
        let n = decode_base64(b"-_-_", &mut out);
        assert_eq!(&out[..n], &[0xFB, 0xFF, 0xBF]);
        assert_eq!(decode_base64(b"a", &mut out), 0);
    }

    #[test]
    fn base64_encoding_pads_only_the_standard_alphabet() {
        let text = |bytes: &[u8], url: bool| {
            let mut out = vec![0u8; base64_length(bytes.len(), url)];
            encode_base64(bytes, url, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(text(b"hi", false), "aGk=");
        assert_eq!(text(b"h", false), "aA==");
        assert_eq!(text(b"hey", false), "aGV5");
        assert_eq!(text(&[0xfb, 0xff, 0xfe, 1], true), "-__-AQ");
        assert_eq!(text(&[0xfb, 0xff], true), "-_8");
        assert_eq!(text(b"", false), "");
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
    fn base64_round_trips_in_both_widths_at_every_length() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 37 + 11) as u8).collect();
        for len in 0..data.len() {
            for url in [false, true] {
                let mut text = vec![0u8; base64_length(len, url)];
                encode_base64(&data[..len], url, &mut text);
                let mut out = vec![0u8; len + 8];
                assert_eq!(decode_base64(&text, &mut out), len);
                assert_eq!(&out[..len], &data[..len]);
                let wide: Vec<u16> = text.iter().map(|&b| b as u16).collect();
                assert_eq!(decode_base64(&wide, &mut out), len);
                assert_eq!(&out[..len], &data[..len]);
                // A short buffer takes what fits, touching nothing past it.
                let mut short = vec![0xEEu8; len / 2 + 2];
                let n = decode_base64(&text, &mut short[..len / 2]);
                assert_eq!(n, len / 2);
                assert_eq!(&short[..n], &data[..n]);
                assert_eq!(&short[len / 2..], &[0xEE, 0xEE]);
            }
        }
        // The standard encoding agrees with a plain reference.
        let mut text = vec![0u8; base64_length(6, false)];
        encode_base64(b"foobar", false, &mut text);
        assert_eq!(text, b"Zm9vYmFy");
    }

    #[test]
    fn base64_decoding_mixes_fast_and_slow_paths() {
        let mut out = [0u8; 32];
        let n = decode_base64(&units("aGVsbG8g\nd29y bGQh"), &mut out);
        assert_eq!(&out[..n], b"hello world!");
        let mut small = [0u8; 4];
        assert_eq!(decode_base64(b"aGVsbG8=", &mut small), 4);
        assert_eq!(&small, b"hell");
    }
}
