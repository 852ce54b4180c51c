//! Ops behind node:url.

use jsc::{Ctx, JsResult, Object};

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    Ok(ctx.object())
}
