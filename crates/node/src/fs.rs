//! Ops behind node:fs.

use jsc::{Ctx, JsResult, Object};

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    Ok(ctx.object())
}
