//! Numbers, booleans, `undefined` and `null` encoded and decoded without the C API.
//!
//! Every C API call takes the engine lock (and a reference on the VM), which costs more
//! than the work of making or reading a number. A `JSValueRef` is the engine's encoded
//! 64-bit value (NaN-boxing, JSC's `JSValue` on 64-bit): an int32 is `NUMBER_TAG | u32`,
//! a double is its bits plus 2^49, and the constants below are the other immediates; a
//! cell (object, string...) is its pointer, with none of the tag bits set. A check at first
//! use compares these rules with the C API on samples; if any differs, the C API is used.

use crate::sys::*;
use crate::Ctx;
use std::sync::OnceLock;

const NUMBER_TAG: u64 = 0xfffe_0000_0000_0000;
const DOUBLE_ENCODE_OFFSET: u64 = 1 << 49;
const OTHER_TAG: u64 = 0x2;
pub(crate) const NULL: u64 = 0x2;
pub(crate) const FALSE: u64 = 0x6;
pub(crate) const TRUE: u64 = 0x7;
pub(crate) const UNDEFINED: u64 = 0xa;

/// Whether values encode as described, checked once per process.
static KNOWN: OnceLock<bool> = OnceLock::new();

pub(crate) fn known(ctx: Ctx) -> bool {
    *KNOWN.get_or_init(|| unsafe { check(ctx.0) })
}

/// The encoding of the number `n`, as the engine makes it: an int32 when `n` is one (not
/// -0), else the double (NaN made the engine's one quiet NaN).
pub(crate) fn encode_number(n: f64) -> u64 {
    let i = n as i32;
    if i as f64 == n && !(i == 0 && n.is_sign_negative()) {
        return NUMBER_TAG | i as u32 as u64;
    }
    let n = if n.is_nan() { f64::NAN } else { n };
    n.to_bits().wrapping_add(DOUBLE_ENCODE_OFFSET)
}

/// The number an encoded value holds; `None` when it is not a number.
pub(crate) fn decode_number(raw: u64) -> Option<f64> {
    if raw & NUMBER_TAG == NUMBER_TAG {
        Some(raw as u32 as i32 as f64)
    } else if raw & NUMBER_TAG != 0 {
        Some(f64::from_bits(raw.wrapping_sub(DOUBLE_ENCODE_OFFSET)))
    } else {
        None
    }
}

/// Whether an encoded value is a cell (a pointer to an engine object, string...).
pub(crate) fn is_cell(raw: u64) -> bool {
    raw != 0 && raw & (NUMBER_TAG | OTHER_TAG) == 0
}

const SAMPLES: [f64; 16] = [
    0.0, -0.0, 1.0, -1.0, 41.0, 2147483647.0, -2147483648.0, 2147483648.0, -2147483649.0, 0.5, -1.5e300, 5e-324,
    f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 4294967296.0,
];

unsafe fn check(ctx: JSContextRef) -> bool {
    let immediates = JSValueMakeUndefined(ctx) as u64 == UNDEFINED
        && JSValueMakeNull(ctx) as u64 == NULL
        && JSValueMakeBoolean(ctx, true) as u64 == TRUE
        && JSValueMakeBoolean(ctx, false) as u64 == FALSE;
    let numbers = SAMPLES.iter().chain(&[f64::from_bits(0x7ff4_0000_0000_0001), -f64::NAN]).all(|&n| {
        let raw = JSValueMakeNumber(ctx, n) as u64;
        let back = JSValueToNumber(ctx, raw as JSValueRef, std::ptr::null_mut());
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        raw == encode_number(n)
            && !is_cell(raw)
            && JSValueIsNumber(ctx, raw as JSValueRef)
            && decode_number(raw).is_some_and(|d| same(d, back) && same(d, n))
    });
    // Immediates that are not numbers, and a cell.
    let others = [UNDEFINED, NULL, TRUE, FALSE].iter().all(|&raw| decode_number(raw).is_none() && !is_cell(raw));
    let object = JSObjectMake(ctx, std::ptr::null_mut(), std::ptr::null_mut()) as u64;
    immediates && numbers && others && is_cell(object) && decode_number(object).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Context;

    #[test]
    fn the_encoding_check_passes_on_this_engine() {
        let context = Context::new();
        assert!(known(context.ctx()));
    }

    #[test]
    fn numbers_round_trip_through_js() {
        let context = Context::new();
        let ctx = context.ctx();
        let describe = ctx
            .eval("(n) => Object.is(n, -0) ? '-0' : Number.isNaN(n) ? 'NaN' : String(n) + ':' + Number.isInteger(n)", "", 1)
            .unwrap()
            .expect_object()
            .unwrap();
        for n in SAMPLES {
            let value = ctx.number(n);
            assert!(value.is_number());
            let back = value.to_number().unwrap();
            assert!(back.to_bits() == n.to_bits() || (n.is_nan() && back.is_nan()), "{n}");
            let seen = describe.call(None, &[value]).unwrap().to_string().unwrap();
            let expected = describe.call(None, &[ctx.eval(&format!("{}", js_literal(n)), "", 1).unwrap()]).unwrap();
            assert_eq!(seen, expected.to_string().unwrap(), "{n}");
        }
    }

    fn js_literal(n: f64) -> String {
        if n.is_nan() {
            "NaN".into()
        } else if n.is_infinite() {
            if n > 0.0 { "Infinity".into() } else { "-Infinity".into() }
        } else if n == 0.0 && n.is_sign_negative() {
            "-0".into()
        } else {
            format!("{n:e}")
        }
    }

    #[test]
    fn values_read_as_numbers_only_when_they_are() {
        let context = Context::new();
        let ctx = context.ctx();
        let eval = |s: &str| ctx.eval(s, "", 1).unwrap();
        assert_eq!(eval("7").to_number().unwrap(), 7.0);
        assert_eq!(eval("-7.25").to_number().unwrap(), -7.25);
        assert!(eval("-0").to_number().unwrap().is_sign_negative());
        assert!(eval("0/0").to_number().unwrap().is_nan());
        // Non-numbers convert as JS does.
        assert_eq!(eval("'12'").to_number().unwrap(), 12.0);
        assert_eq!(eval("true").to_number().unwrap(), 1.0);
        assert_eq!(eval("null").to_number().unwrap(), 0.0);
        assert!(eval("undefined").to_number().unwrap().is_nan());
        assert_eq!(eval("({ valueOf() { return 3 } })").to_number().unwrap(), 3.0);
        assert!(eval("Symbol()").to_number().is_err());
        assert!(!eval("'1'").is_number() && eval("1.5").is_number());
        assert!(ctx.undefined().is_undefined() && ctx.null().is_null() && !ctx.null().is_undefined());
        assert!(ctx.boolean(true).to_boolean() && !ctx.boolean(false).to_boolean() && ctx.boolean(false).is_boolean());
        let kinds = eval("(...a) => a.map(v => v === undefined ? 'u' : v === null ? 'n' : String(v)).join()").expect_object().unwrap();
        let out = kinds.call(None, &[ctx.undefined(), ctx.null(), ctx.boolean(true), ctx.boolean(false), ctx.number(2.5)]).unwrap();
        assert_eq!(out.to_string().unwrap(), "u,n,true,false,2.5");
    }
}
