//! Engine strings made and read without the C API's UTF-16 copies.
//!
//! The C API hands strings out only as UTF-16 (widening a copy of JSC's 8-bit Latin-1
//! strings) and makes them only from UTF-16 input, which it copies twice more. The system
//! JavaScriptCore also exports the WTF/JSC functions behind those calls; with them and the
//! layout of WTF's `StringImpl` (learned from WebKit's source and checked by disassembly of
//! the 2.50 build), Rust reads an engine string's characters in place and writes new
//! strings straight into the engine's own buffer.
//!
//! The layouts used (x86-64 / 64-bit):
//! - `StringImpl`: refcount u32 (counts in steps of 2; the low bit marks static strings),
//!   length u32, data pointer, hash-and-flags u32 whose bit 2 marks an 8-bit buffer.
//! - `OpaqueJSString` (a `JSStringRef`): refcount u32, then the `StringImpl*` at offset 8.
//! - A `JSString` cell: its header word, then at offset 8 the `StringImpl*`, or a rope
//!   when the low bit is set.
//!
//! Every assumption is checked once per process on samples made and read back through the
//! C API ([`reads_directly`], [`makes_and_reads_cells`]); when a check fails, everything
//! here falls back to the C API.

use crate::sys::*;
use crate::{Ctx, JsResult, JsString, Value};
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The characters of an engine string, in the engine's own storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringChars<'a> {
    /// An 8-bit string: each byte is a code point below U+0100.
    Latin1(&'a [u8]),
    Utf16(&'a [u16]),
}

impl StringChars<'_> {
    pub fn len(&self) -> usize {
        match self {
            StringChars::Latin1(bytes) => bytes.len(),
            StringChars::Utf16(units) => units.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The head of WTF's `StringImpl`.
#[repr(C)]
pub(crate) struct StringImpl {
    ref_count: u32,
    length: u32,
    data: *mut c_void,
    hash_and_flags: u32,
}

const STRING_IMPL_IS_8BIT: u32 = 1 << 2;
/// A reference counts 2 in `StringImpl::ref_count`.
const STRING_IMPL_REF: u32 = 2;
/// Longest string `StringImpl::createUninitialized` makes (it aborts past that).
const MAX_LENGTH: usize = i32::MAX as usize;

/// The head of an `OpaqueJSString` (what a `JSStringRef` points to).
#[repr(C)]
struct OpaqueJSString {
    ref_count: u32,
    string: *const StringImpl,
}

/// `std::span<T>`: what `createUninitialized` reports the new buffer in.
#[repr(C)]
struct Span<T> {
    data: *mut T,
    len: usize,
}

unsafe extern "C" {
    // `Ref<StringImpl>` has a destructor, so the Itanium ABI returns it through a hidden
    // pointer passed first (and returned in rax).
    #[link_name = "_ZN3WTF10StringImpl19createUninitializedEmRSt4spanIhLm18446744073709551615EE"]
    fn wtf_create_uninitialized_8bit(ret: *mut *mut StringImpl, length: usize, chars: *mut Span<u8>) -> *mut *mut StringImpl;
    #[link_name = "_ZN3WTF10StringImpl19createUninitializedEmRSt4spanIDsLm18446744073709551615EE"]
    fn wtf_create_uninitialized_16bit(ret: *mut *mut StringImpl, length: usize, chars: *mut Span<u16>) -> *mut *mut StringImpl;
    /// Frees a `StringImpl` whose last reference is gone.
    #[link_name = "_ZN3WTF10StringImpl7destroyEPS0_"]
    fn wtf_string_impl_destroy(string: *mut StringImpl);
    /// A new JSString taking its own reference to `string` (the VM is the context group).
    #[link_name = "_ZN3JSC25jsStringWithCacheSlowCaseERNS_2VMERN3WTF10StringImplE"]
    fn jsc_js_string_with_cache_slow_case(vm: JSContextGroupRef, string: *mut StringImpl) -> JSValueRef;
    /// Tells the collector about memory outside its heap (in `JSBasePrivate.h`).
    fn JSReportExtraMemoryCost(ctx: JSContextRef, size: usize);
}

/// The engine tells its collector about a new string's characters only above this many
/// bytes. Below it, the collector counts only the 16-byte cell, so a loop making short
/// strings grows the allocator's memory (and faults in fresh pages) by ten times what
/// the collector sees before it frees any of them: 140 MB of RSS for a million 128-byte
/// strings, against 55 MB when they are counted.
const ENGINE_REPORTS_ABOVE: usize = 256;
/// What a `StringImpl` adds to its characters in the allocator, roughly.
const STRING_IMPL_OVERHEAD: usize = 32;
/// Short strings' bytes are reported in batches of at least this much.
const REPORT_BATCH: usize = 64 * 1024;

thread_local! {
    /// Bytes of short strings made on this thread (whose VM they belong to) not yet reported.
    static UNREPORTED_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts the memory of a short string made here, reporting it to the collector a batch
/// at a time (a report may collect: no cell is held yet).
fn count_short_string(ctx: Ctx, char_bytes: usize) {
    if char_bytes > ENGINE_REPORTS_ABOVE {
        return;
    }
    UNREPORTED_BYTES.with(|unreported| {
        let total = unreported.get() + char_bytes + STRING_IMPL_OVERHEAD;
        if total < REPORT_BATCH {
            unreported.set(total);
        } else {
            unreported.set(0);
            unsafe { JSReportExtraMemoryCost(ctx.0, total) };
        }
    });
}

/// Whether `StringImpl` and `OpaqueJSString` read as described (checked without a context).
static READ_LAYOUT: OnceLock<bool> = OnceLock::new();
/// Whether strings made through `createUninitialized` read back right through the C API,
/// and whether `JSString` cells hold their `StringImpl*` at offset 8.
static ENGINE_LAYOUT: OnceLock<(bool, bool)> = OnceLock::new();

fn reads_directly() -> bool {
    *READ_LAYOUT.get_or_init(|| unsafe { check_read_layout() })
}

fn makes_and_reads_cells(ctx: Ctx) -> (bool, bool) {
    *ENGINE_LAYOUT.get_or_init(|| unsafe {
        let read = reads_directly();
        (read && check_make_layout(ctx), read && check_cell_layout(ctx))
    })
}

/// The characters of a `StringImpl` (which must stay alive while they are used).
unsafe fn impl_chars<'a>(string: *const StringImpl) -> StringChars<'a> {
    if string.is_null() || (*string).length == 0 {
        return StringChars::Latin1(&[]);
    }
    let len = (*string).length as usize;
    if (*string).hash_and_flags & STRING_IMPL_IS_8BIT != 0 {
        StringChars::Latin1(std::slice::from_raw_parts((*string).data as *const u8, len))
    } else {
        StringChars::Utf16(std::slice::from_raw_parts((*string).data as *const u16, len))
    }
}

/// The `StringImpl` of a C API string.
unsafe fn opaque_impl(s: JSStringRef) -> *const StringImpl {
    (*(s as *const OpaqueJSString)).string
}

/// The characters of a C API string, through the C API (UTF-16, widened when 8-bit).
unsafe fn api_units<'a>(s: JSStringRef) -> &'a [u16] {
    let len = JSStringGetLength(s);
    if len == 0 {
        return &[];
    }
    std::slice::from_raw_parts(JSStringGetCharactersPtr(s), len)
}

fn same_chars(chars: StringChars, units: &[u16]) -> bool {
    match chars {
        StringChars::Latin1(bytes) => bytes.len() == units.len() && bytes.iter().zip(units).all(|(&b, &u)| b as u16 == u),
        StringChars::Utf16(own) => own == units,
    }
}

const LATIN1_SAMPLE: &[u8] = b"\xe9ferro string layout \xff\x80";
const UTF16_SAMPLE: &[u16] = &[0x3b1, b'x' as u16, 0x20ac, 0xd83d, 0xde00, 0xff];

/// An 8-bit (ASCII, through UTF-8) and a 16-bit C API string read through the layout as
/// the C API reads them.
unsafe fn check_read_layout() -> bool {
    let ascii = JSStringCreateWithUTF8CString(c"ferro: string layout check".as_ptr());
    let ascii_ok = {
        let chars = impl_chars(opaque_impl(ascii));
        matches!(chars, StringChars::Latin1(b"ferro: string layout check")) && same_chars(chars, api_units(ascii))
    };
    JSStringRelease(ascii);
    let wide = JSStringCreateWithCharacters(UTF16_SAMPLE.as_ptr(), UTF16_SAMPLE.len());
    let wide_ok = {
        let chars = impl_chars(opaque_impl(wide));
        chars == StringChars::Utf16(UTF16_SAMPLE) && same_chars(chars, api_units(wide))
    };
    JSStringRelease(wide);
    ascii_ok && wide_ok
}

/// Strings made here read back through the C API as written, in both widths.
unsafe fn check_make_layout(ctx: Ctx) -> bool {
    let widened: Vec<u16> = LATIN1_SAMPLE.iter().map(|&b| b as u16).collect();
    made_string_reads_back(ctx, LATIN1_SAMPLE, &widened) && made_string_reads_back(ctx, UTF16_SAMPLE, UTF16_SAMPLE)
}

unsafe fn made_string_reads_back<C: Char>(ctx: Ctx, sample: &[C], expected: &[u16]) -> bool {
    let Some((string, buf)) = new_impl::<C>(sample.len()) else { return false };
    buf.copy_from_slice(sample);
    let value = adopt_impl(ctx, string);
    if !JSValueIsString(ctx.0, value.raw) {
        return false;
    }
    let s = JSValueToStringCopy(ctx.0, value.raw, ptr::null_mut());
    if s.is_null() {
        return false;
    }
    let ok = api_units(s) == expected;
    JSStringRelease(s);
    ok
}

/// A JSString made by the C API holds the `StringImpl` the C API reads it through.
unsafe fn check_cell_layout(ctx: Ctx) -> bool {
    let source = JSStringCreateWithUTF8CString(c"ferro: cell layout check".as_ptr());
    let value = JSValueMakeString(ctx.0, source);
    JSStringRelease(source);
    if !JSValueIsString(ctx.0, value) {
        return false;
    }
    let copy = JSValueToStringCopy(ctx.0, value, ptr::null_mut());
    if copy.is_null() {
        return false;
    }
    let ok = cell_impl(value).is_some_and(|string| string == opaque_impl(copy))
        && matches!(impl_chars(opaque_impl(copy)), StringChars::Latin1(b"ferro: cell layout check"));
    JSStringRelease(copy);
    ok
}

/// Byte 5 of a cell header is its JSType.
const CELL_TYPE_OFFSET: usize = 5;

/// The JSType of string cells, learnt once per process from sample strings (all the same
/// type) and other values (none of that type); `None` if the samples disagree.
static STRING_CELL_TYPE: OnceLock<Option<u8>> = OnceLock::new();

const STRING_SAMPLES: &str = r#"[['', 'x', 'plain', '\u4e2d\u6587', (() => { let s = 'a'; for (let i = 0; i < 20; i++) s += i; return s })(), String(12.5)],
  [{}, [], Symbol(), 12n, function () {}, new String('s'), new Proxy({}, {}), new Uint8Array(1), 1, true, null, undefined]]"#;

/// Whether `raw` is a string, read from its cell type; `None` when that cannot be told so.
pub(crate) fn is_string_cell(ctx: Ctx, raw: JSValueRef) -> Option<bool> {
    if !crate::encoding::known(ctx) {
        return None;
    }
    let string_type = (*STRING_CELL_TYPE.get_or_init(|| learn_string_cell_type(ctx)))?;
    let raw = raw as u64;
    Some(crate::encoding::is_cell(raw) && unsafe { *(raw as *const u8).add(CELL_TYPE_OFFSET) } == string_type)
}

fn learn_string_cell_type(ctx: Ctx) -> Option<u8> {
    let samples = ctx.eval(STRING_SAMPLES, "", 1).ok()?.as_object()?;
    let group = |i| -> Option<Vec<u64>> {
        let list = samples.get_index(i).ok()?.as_object()?;
        let len = list.get("length").ok()?.to_number().ok()? as u32;
        (0..len).map(|k| list.get_index(k).ok().map(|v| v.raw as u64)).collect()
    };
    let (strings, others) = (group(0)?, group(1)?);
    let type_of = |raw: u64| crate::encoding::is_cell(raw).then(|| unsafe { *(raw as *const u8).add(CELL_TYPE_OFFSET) });
    let string_type = type_of(*strings.first()?)?;
    let all_strings = strings.iter().all(|&raw| type_of(raw) == Some(string_type) && unsafe { JSValueIsString(ctx.0, raw as JSValueRef) });
    let no_others = others.iter().all(|&raw| type_of(raw) != Some(string_type) && unsafe { !JSValueIsString(ctx.0, raw as JSValueRef) });
    (all_strings && no_others).then_some(string_type)
}

/// The `StringImpl` of a JSString cell, `None` while it is an unresolved rope.
unsafe fn cell_impl(cell: JSValueRef) -> Option<*const StringImpl> {
    let fiber = *(cell as *const usize).add(1);
    (fiber & 1 == 0 && fiber != 0).then_some(fiber as *const StringImpl)
}

/// Drops one reference to a `StringImpl`.
pub(crate) unsafe fn release_impl(string: *mut StringImpl) {
    let count = &*(string as *const AtomicU32);
    if count.fetch_sub(STRING_IMPL_REF, Ordering::AcqRel) == STRING_IMPL_REF {
        wtf_string_impl_destroy(string);
    }
}

/// Wraps a new `StringImpl` (whose one reference this takes over) in a JSString.
unsafe fn adopt_impl(ctx: Ctx, string: *mut StringImpl) -> Value {
    let char_size = if (*string).hash_and_flags & STRING_IMPL_IS_8BIT != 0 { 1 } else { 2 };
    count_short_string(ctx, (*string).length as usize * char_size);
    // Allocating a cell needs the engine lock (held already when called from JS).
    JSLock(ctx.0);
    let raw = jsc_js_string_with_cache_slow_case(JSContextGetGroup(ctx.0), string);
    JSUnlock(ctx.0);
    release_impl(string);
    Value { ctx: ctx.0, raw }
}

/// A new `StringImpl` of `len` characters of `C` (u8: 8-bit, u16: 16-bit) and its buffer,
/// uninitialized; `None` (after letting it go) when the engine hands back a buffer other
/// than the one asked for.
unsafe fn new_impl<'a, C: Char>(len: usize) -> Option<(*mut StringImpl, &'a mut [C])> {
    let mut span = Span { data: ptr::null_mut(), len: 0 };
    let mut string: *mut StringImpl = ptr::null_mut();
    C::create_uninitialized(&mut string, len, &mut span);
    if string.is_null() {
        return None;
    }
    if span.data.is_null() || span.len != len || (*string).data != span.data as *mut c_void || (*string).length as usize != len {
        release_impl(string);
        return None;
    }
    // The engine's allocator owns the memory: Rust never saw it uninitialized.
    Some((string, std::slice::from_raw_parts_mut(span.data, len)))
}

/// A new 8-bit `StringImpl` holding `bytes` (one reference, for the caller to release).
pub(crate) unsafe fn latin1_impl(bytes: &[u8]) -> Option<*mut StringImpl> {
    let (string, chars) = new_impl::<u8>(bytes.len())?;
    chars.copy_from_slice(bytes);
    Some(string)
}

/// The character types of engine strings.
trait Char: Copy + Default {
    unsafe fn create_uninitialized(ret: *mut *mut StringImpl, len: usize, chars: *mut Span<Self>);
}

impl Char for u8 {
    unsafe fn create_uninitialized(ret: *mut *mut StringImpl, len: usize, chars: *mut Span<u8>) {
        wtf_create_uninitialized_8bit(ret, len, chars);
    }
}

impl Char for u16 {
    unsafe fn create_uninitialized(ret: *mut *mut StringImpl, len: usize, chars: *mut Span<u16>) {
        wtf_create_uninitialized_16bit(ret, len, chars);
    }
}

/// A string of `len` characters written by `write`, made in place when the layout allows;
/// otherwise (and for the empty string and single characters, which the C API takes from
/// the engine's shared instances) written to a Rust buffer and handed to `via_api`.
fn make_string<C: Char>(ctx: Ctx, len: usize, write: impl FnOnce(&mut [C]), via_api: impl FnOnce(&[C]) -> Value) -> Value {
    if (2..=MAX_LENGTH).contains(&len) && makes_and_reads_cells(ctx).0 {
        if let Some((string, buf)) = unsafe { new_impl::<C>(len) } {
            write(buf);
            return unsafe { adopt_impl(ctx, string) };
        }
    }
    let mut buf = vec![C::default(); len];
    write(&mut buf);
    via_api(&buf)
}

impl Ctx {
    /// A string of the Latin-1 characters `bytes` (an 8-bit engine string).
    pub fn latin1_string(self, bytes: &[u8]) -> Value {
        self.string_from_bytes_with(bytes.len(), |buf| buf.copy_from_slice(bytes))
    }

    /// A string of `len` Latin-1 characters written by `write`, which must set every byte
    /// of the buffer it is given (it may start with any contents).
    pub fn string_from_bytes_with(self, len: usize, write: impl FnOnce(&mut [u8])) -> Value {
        make_string(self, len, write, |bytes| {
            let units: Vec<u16> = bytes.iter().map(|&b| b as u16).collect();
            self.string_utf16(&units)
        })
    }

    /// A string of `len` UTF-16 code units written by `write`, which must set every unit.
    pub fn string_from_units_with(self, len: usize, write: impl FnOnce(&mut [u16])) -> Value {
        make_string(self, len, write, |units| self.string_utf16(units))
    }

    /// A string of the UTF-16 code units `units` (kept 16-bit).
    pub fn utf16_string(self, units: &[u16]) -> Value {
        self.string_from_units_with(units.len(), |buf| buf.copy_from_slice(units))
    }
}

impl JsString {
    /// The characters as the engine stores them, without copying.
    pub fn chars(&self) -> StringChars<'_> {
        if reads_directly() {
            unsafe { impl_chars(opaque_impl(self.0)) }
        } else {
            StringChars::Utf16(self.utf16())
        }
    }
}

impl Value {
    /// Runs `f` over the characters of `String(value)` (throwing for symbols, as JS does),
    /// read in place when the value is already a string.
    pub fn with_string_chars<T>(self, f: impl FnOnce(StringChars) -> T) -> JsResult<T> {
        match self.string_chars_in_place() {
            Some(chars) => Ok(f(chars)),
            // Ropes are resolved (and other values converted) by the C API.
            None => Ok(f(self.to_js_string()?.chars())),
        }
    }

    /// The characters of a string value that is not an unresolved rope, in its cell; the
    /// cell, reachable from the caller's stack, keeps them alive.
    fn string_chars_in_place<'a>(self) -> Option<StringChars<'a>> {
        if self.is_string() && makes_and_reads_cells(Ctx(self.ctx)).1 {
            unsafe { cell_impl(self.raw).map(|string| impl_chars(string)) }
        } else {
            None
        }
    }

    /// The string as Rust's when it can be read in place (lone surrogates replaced by
    /// U+FFFD); `None` for other values and ropes.
    pub(crate) fn rust_string_in_place(self) -> Option<String> {
        Some(match self.string_chars_in_place()? {
            StringChars::Latin1(bytes) if bytes.is_ascii() => {
                // SAFETY: ASCII is UTF-8.
                unsafe { String::from_utf8_unchecked(bytes.to_vec()) }
            }
            StringChars::Latin1(bytes) => bytes.iter().map(|&b| b as char).collect(),
            StringChars::Utf16(units) => String::from_utf16_lossy(units),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Context;

    fn eval(ctx: Ctx, src: &str) -> Value {
        ctx.eval(src, "strings-test.js", 1).unwrap_or_else(|e| panic!("threw: {}", e.to_string().unwrap()))
    }

    fn units(value: Value) -> Vec<u16> {
        value.to_js_string().unwrap().utf16().to_vec()
    }

    fn owned(chars: StringChars) -> (bool, Vec<u16>) {
        match chars {
            StringChars::Latin1(bytes) => (true, bytes.iter().map(|&b| b as u16).collect()),
            StringChars::Utf16(units) => (false, units.to_vec()),
        }
    }

    #[test]
    fn the_layout_checks_pass_on_this_engine() {
        let context = Context::new();
        assert!(reads_directly());
        assert_eq!(makes_and_reads_cells(context.ctx()), (true, true));
    }

    #[test]
    fn strings_are_told_by_their_cell_type() {
        let context = Context::new();
        let ctx = context.ctx();
        assert!(is_string_cell(ctx, ctx.string("s").raw()).is_some());
        for (source, is_string) in [("'abc'", true), ("''", true), ("'a' + [1, 2]", true), ("new String('a')", false), ("({})", false), ("Symbol()", false), ("1n", false), ("1", false), ("null", false)] {
            assert_eq!(eval(ctx, source).is_string(), is_string, "{source}");
        }
        assert!(ctx.latin1_string(b"made here").is_string() && ctx.utf16_string(&[0x4e2d, 0x6587]).is_string());
    }

    #[test]
    fn latin1_strings_round_trip_with_high_bytes() {
        let context = Context::new();
        let ctx = context.ctx();
        let bytes: Vec<u8> = (0..=255u8).collect();
        let value = ctx.latin1_string(&bytes);
        assert!(value.is_string());
        assert_eq!(units(value), bytes.iter().map(|&b| b as u16).collect::<Vec<_>>());
        let (is_8bit, read) = value.with_string_chars(owned).unwrap();
        assert!(is_8bit);
        assert_eq!(read, units(value));
        // JS sees the same string.
        let check = eval(ctx, "(s) => s.length === 256 && s.charCodeAt(0) === 0 && s.charCodeAt(255) === 255 && s[233] === '\\xe9'");
        assert!(check.expect_object().unwrap().call(None, &[value]).unwrap().to_boolean());
    }

    #[test]
    fn empty_and_single_character_strings_are_the_engines_own() {
        let context = Context::new();
        let ctx = context.ctx();
        let same = eval(ctx, "(a, b) => a === b && typeof a === 'string'").expect_object().unwrap();
        assert!(same.call(None, &[ctx.latin1_string(b""), ctx.string("")]).unwrap().to_boolean());
        assert!(same.call(None, &[ctx.latin1_string(b"a"), ctx.string("a")]).unwrap().to_boolean());
        assert!(same.call(None, &[ctx.latin1_string(b"\xff"), ctx.string("\u{ff}")]).unwrap().to_boolean());
        assert!(same.call(None, &[ctx.utf16_string(&[0x20ac]), ctx.string("€")]).unwrap().to_boolean());
        assert!(same.call(None, &[ctx.utf16_string(&[]), ctx.string("")]).unwrap().to_boolean());
        assert_eq!(ctx.latin1_string(b"").with_string_chars(|c| c.len()).unwrap(), 0);
        assert_eq!(units(ctx.string_from_bytes_with(1, |b| b[0] = b'z')), [b'z' as u16]);
    }

    #[test]
    fn utf16_strings_keep_surrogates() {
        let context = Context::new();
        let ctx = context.ctx();
        let text = [0xd83d, 0xde00, b'a' as u16, 0xd800, 0x4e2d];
        let value = ctx.utf16_string(&text);
        assert_eq!(units(value), text);
        assert_eq!(value.with_string_chars(owned).unwrap(), (false, text.to_vec()));
        assert_eq!(value.to_string().unwrap(), "😀a\u{fffd}中");
    }

    #[test]
    fn big_strings_are_written_in_place() {
        let context = Context::new();
        let ctx = context.ctx();
        let len = 3 << 20;
        let value = ctx.string_from_bytes_with(len, |buf| {
            for (i, b) in buf.iter_mut().enumerate() {
                *b = (i % 251) as u8;
            }
        });
        let length = eval(ctx, "(s) => s.length + ':' + s.charCodeAt(1000) + ':' + s.charCodeAt(3 * 1024 * 1024 - 1)");
        let text = length.expect_object().unwrap().call(None, &[value]).unwrap().to_string().unwrap();
        assert_eq!(text, format!("{len}:{}:{}", 1000 % 251, (len - 1) % 251));
        let wide = ctx.string_from_units_with(len, |buf| buf.fill(0x3b1));
        assert_eq!(wide.with_string_chars(|c| (c.len(), matches!(c, StringChars::Utf16(u) if u.iter().all(|&x| x == 0x3b1)))).unwrap(), (len, true));
    }

    #[test]
    fn js_strings_are_read_in_place_ropes_and_non_strings_included() {
        let context = Context::new();
        let ctx = context.ctx();
        let cases: [(&str, bool, &str); 6] = [
            ("'plain'", true, "plain"),
            ("'caf\\xe9'", true, "café"),
            ("'\\u4e2d\\u6587'", false, "中文"),
            ("(function () { let s = 'ab'; for (let i = 0; i < 12; i++) s = s + ('x' + i); return s })()", true, "ab"),
            ("12.5", true, "12.5"),
            ("''", true, ""),
        ];
        for (source, latin1, prefix) in cases {
            let value = eval(ctx, source);
            let expected = value.to_string().unwrap();
            let (is_8bit, read) = value.with_string_chars(owned).unwrap();
            assert_eq!(is_8bit, latin1, "{source}");
            assert_eq!(String::from_utf16(&read).unwrap(), expected, "{source}");
            assert!(expected.starts_with(prefix));
        }
        for source in ["'plain'", "'caf\\xe9'", "'\\u4e2d\\ud83d\\ude00 \\ud800!'", "''", "'x'"] {
            let value = eval(ctx, source);
            assert_eq!(value.rust_string_in_place(), Some(crate::rust_string(value.to_js_string().unwrap().raw())), "{source}");
        }
        assert_eq!(eval(ctx, "'\\ud800x'").to_string().unwrap(), "\u{fffd}x");
        assert_eq!(eval(ctx, "12").rust_string_in_place(), None);
        let js = ctx.latin1_string(b"x\xe9y").to_js_string().unwrap();
        assert_eq!(js.chars(), StringChars::Latin1(b"x\xe9y"));
        assert!(eval(ctx, "Symbol()").with_string_chars(|c| c.len()).is_err());
    }

    #[test]
    fn strings_survive_garbage_collection() {
        let context = Context::new();
        let ctx = context.ctx();
        let keep = eval(ctx, "[]").expect_object().unwrap();
        for i in 0..2000u32 {
            let text = format!("string number {i} \u{e9}");
            let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
            let value = if i % 2 == 0 { ctx.latin1_string(&bytes) } else { ctx.utf16_string(&text.encode_utf16().collect::<Vec<_>>()) };
            if i % 100 == 0 {
                keep.set_index(i / 100, value).unwrap();
            }
        }
        ctx.garbage_collect();
        ctx.garbage_collect();
        for i in 0..20u32 {
            assert_eq!(keep.get_index(i).unwrap().to_string().unwrap(), format!("string number {} é", i * 100));
        }
        let joined = eval(ctx, "(a) => a.join('|').length").expect_object().unwrap();
        assert!(joined.call(None, &[keep.value()]).unwrap().to_number().unwrap() > 300.0);
    }
}
