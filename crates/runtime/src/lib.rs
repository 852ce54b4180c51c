//! ferro's runtime layer: the event loop with Node's phase and task-queue order, and the
//! registry of compiled sources used when printing errors. It knows nothing of individual
//! Node modules: those live in the `node` crate and plug in through [`event_loop::Hooks`].

pub mod async_context;
pub mod esm;
pub mod event_loop;
pub mod explicit_resource;
pub mod function_source;
pub mod sources;
pub mod strip_types;
pub mod transform_cache;
pub mod typescript;

pub use event_loop::{EventLoop, Hooks};

#[cfg(test)]
mod tests;
