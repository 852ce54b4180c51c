//! Ops behind node:os.

use jsc::{Ctx, JsResult, Object};

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    Ok(ctx.object())
}
