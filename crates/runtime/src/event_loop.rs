//! Node's event loop on a tokio current-thread runtime.
//!
//! Phases per turn, as libuv orders them: timers, poll (I/O completions), check
//! (setImmediate), then timers again. Every callback from the loop into JS is a
//! "macrotask": it runs under the VM lock, then the nextTick queue runs, then releasing the
//! lock lets JSC drain the promise jobs, and ticks/rejections queued by those jobs get more
//! rounds. That is Node's order: nextTick before promise jobs.
//!
//! JS and Rust share the loop's counters through a Float64Array ([`LoopInfo`]), so that
//! `setTimeout` or `process.nextTick` never cross into Rust just to update bookkeeping.

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Slots of the shared loop-info array.
pub mod slot {
    /// Loop time in ms since start, cached per turn like `uv_now` (written by Rust).
    pub const NOW: usize = 0;
    /// Expiry (loop ms) of the earliest timer, `Infinity` when none (written by JS).
    pub const TIMER_EXPIRY: usize = 1;
    /// Number of active timers that keep the loop alive (written by JS).
    pub const TIMER_REFS: usize = 2;
    /// Number of queued immediates (written by JS).
    pub const IMMEDIATE_COUNT: usize = 3;
    /// Number of queued immediates that keep the loop alive (written by JS).
    pub const IMMEDIATE_REFS: usize = 4;
    /// 1 while nextTick callbacks are queued, else 0 (written by JS).
    pub const TICK_COUNT: usize = 5;
    /// Loop time (ms) when `run` first started, 0 before (written by Rust; perf_hooks).
    pub const LOOP_START: usize = 6;
    /// Total ms the poll phase spent waiting (written by Rust; eventLoopUtilization).
    pub const IDLE_TIME: usize = 7;
    /// Non-zero when an `await` continuation left an async context set (written by JS;
    /// processTicks clears it).
    pub const CONTEXT_LEFT_SET: usize = 8;
    pub const LEN: usize = 9;
}

/// The counters shared with JS.
pub type LoopInfo = &'static [Cell<f64>];

/// The JS functions the loop calls; installed once by the bootstrap code.
pub struct Hooks {
    /// `(now) => boolean`: runs one due timer, false when none is due.
    pub run_next_timer: Protected,
    /// `() => void`: fixes the set of immediates this check phase runs.
    pub begin_immediates: Protected,
    /// `() => boolean`: runs one immediate of the set, false when done.
    pub run_next_immediate: Protected,
    /// `() => void`: runs the nextTick queue.
    pub process_ticks: Protected,
    /// `([promise, reason, ...]) => void`: handles rejections nobody handled.
    pub process_rejections: Protected,
    /// `(error) => void`: 'uncaughtException' handlers, or print and exit.
    pub on_uncaught: Protected,
    /// `() => void`: emits 'beforeExit'.
    pub before_exit: Protected,
}

/// Work finished off the JS thread, to be run on it in the poll phase.
pub type Completion = Box<dyn FnOnce(Ctx) -> JsResult<()> + Send>;

/// Work finished by an I/O task on the JS thread, to be run in the poll phase.
pub type LocalCompletion = Box<dyn FnOnce(Ctx) -> JsResult<()>>;

/// The queue that I/O tasks and the thread pool push completions into.
#[derive(Default)]
pub struct CompletionQueue {
    items: Mutex<VecDeque<Completion>>,
    ready: tokio::sync::Notify,
}

impl CompletionQueue {
    pub fn push(&self, c: Completion) {
        self.items.lock().unwrap().push_back(c);
        self.ready.notify_one();
    }

    fn take_all(&self) -> VecDeque<Completion> {
        std::mem::take(&mut *self.items.lock().unwrap())
    }
}

thread_local! {
    /// Promises rejected without a handler that none has been added to yet.
    static UNHANDLED: RefCell<Vec<Protected>> = const { RefCell::new(Vec::new()) };
    /// Promises that got a handler after their rejection was reported unhandled.
    static HANDLED_LATE: RefCell<Vec<Protected>> = const { RefCell::new(Vec::new()) };
    static HANDLE_REFS: Cell<usize> = const { Cell::new(0) };
    static COMPLETIONS: RefCell<Option<Arc<CompletionQueue>>> = const { RefCell::new(None) };
    static TOKIO: RefCell<Option<tokio::runtime::Handle>> = const { RefCell::new(None) };
    static LOOP_START: Cell<Option<(Instant, LoopInfo)>> = const { Cell::new(None) };
    static LOCAL_TASKS: RefCell<Option<std::rc::Rc<tokio::task::LocalSet>>> = const { RefCell::new(None) };
    static LOCAL_COMPLETIONS: RefCell<VecDeque<LocalCompletion>> = const { RefCell::new(VecDeque::new()) };
    static IO_HANDLES: Cell<usize> = const { Cell::new(0) };
    /// Whether this poll phase was already woken for local completions.
    static LOCAL_WOKEN: Cell<bool> = const { Cell::new(false) };
}

/// Spawns an I/O task on the JS thread (sockets, pipes, servers). It runs while the loop
/// polls and hands results to JS with [`complete_local`].
pub fn spawn_local(task: impl std::future::Future<Output = ()> + 'static) -> tokio::task::JoinHandle<()> {
    LOCAL_TASKS.with(|t| t.borrow().as_ref().expect("no event loop on this thread").spawn_local(task))
}

/// Queues `f` to run as a macrotask in this poll phase (or the next one).
pub fn complete_local(f: impl FnOnce(Ctx) -> JsResult<()> + 'static) {
    LOCAL_COMPLETIONS.with(|q| q.borrow_mut().push_back(Box::new(f)));
    // Waking the poll costs a write to the driver's eventfd: once per poll phase is enough.
    if !LOCAL_WOKEN.with(|w| w.replace(true)) {
        completions().ready.notify_one();
    }
}

/// Counts an open I/O handle, referenced or not: while any is open the poll phase waits
/// on the I/O driver rather than sleeping.
pub fn open_io_handle() {
    IO_HANDLES.with(|n| n.set(n.get() + 1));
}

/// Releases a handle counted by [`open_io_handle`].
pub fn close_io_handle() {
    IO_HANDLES.with(|n| n.set(n.get().saturating_sub(1)));
}

/// Whole milliseconds since the loop started, as libuv's loop time.
fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_millis() as f64
}

/// `now()` for JS: refreshes and returns the loop time, as Node's getLibuvNow does, so that
/// a timer created late in a long callback still waits its full delay.
pub fn now_op(args: &Args) -> JsResult<Value> {
    let (start, info) = LOOP_START.with(|s| s.get()).expect("no event loop on this thread");
    let now = elapsed_ms(start);
    info[slot::NOW].set(now);
    Ok(args.ctx.number(now))
}

/// Counts a handle (socket, server, pending operation) that keeps the loop alive.
pub fn ref_handle() {
    HANDLE_REFS.with(|r| r.set(r.get() + 1));
}

/// Releases a handle counted by [`ref_handle`].
pub fn unref_handle() {
    HANDLE_REFS.with(|r| r.set(r.get().saturating_sub(1)));
}

/// Lets go of every handle keeping the loop alive, so that it ends after the current turn
/// (a worker thread that is exiting).
pub fn release_all_handles() {
    HANDLE_REFS.with(|r| r.set(0));
}

/// The completion queue of this thread's loop.
pub fn completions() -> Arc<CompletionQueue> {
    COMPLETIONS.with(|c| c.borrow().clone().expect("no event loop on this thread"))
}

/// The tokio runtime handle of this thread's loop, for spawning I/O tasks.
pub fn tokio_handle() -> tokio::runtime::Handle {
    TOKIO.with(|t| t.borrow().clone().expect("no event loop on this thread"))
}

type Continuation = Box<dyn FnOnce(Ctx, Box<dyn std::any::Any + Send>) -> JsResult<()>>;

thread_local! {
    /// `[getContext, restoreContext]` of node:async_hooks, once the program has an
    /// AsyncLocalStorage: thread-pool callbacks then run in the context that started them.
    static ASYNC_CONTEXT: RefCell<Option<(Protected, Protected)>> = const { RefCell::new(None) };
}

/// `trackAsyncContext(getContext, restoreContext)`.
pub fn track_async_context_op(args: &Args) -> JsResult<Value> {
    let (get, restore) = (args.get(0).protect(), args.get(1).protect());
    ASYNC_CONTEXT.with(|a| *a.borrow_mut() = Some((get, restore)));
    Ok(args.ctx.undefined())
}

fn current_async_context() -> Option<Protected> {
    ASYNC_CONTEXT.with(|a| {
        let tracked = a.borrow();
        let (get, _) = tracked.as_ref()?;
        get.object()?.call(None, &[]).ok().map(|context| context.protect())
    })
}

fn enter_async_context(context: &Protected) -> JsResult<()> {
    let restore = ASYNC_CONTEXT.with(|a| a.borrow().as_ref().and_then(|(_, restore)| restore.object()));
    match restore {
        Some(restore) => restore.call(None, &[context.value()]).map(drop),
        None => Ok(()),
    }
}

thread_local! {
    /// Continuations of work running on the thread pool, by id; they stay on the JS thread.
    static CONTINUATIONS: RefCell<std::collections::HashMap<u64, Continuation>> = RefCell::new(std::collections::HashMap::new());
    static NEXT_CONTINUATION: Cell<u64> = const { Cell::new(0) };
}

/// Runs blocking `work` on the thread pool (libuv's: `UV_THREADPOOL_SIZE` threads, 4 by
/// default) and then `then` with its result on the JS thread, in the poll phase, as a
/// macrotask. The loop stays alive until `then` has run.
pub fn spawn_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    then: impl FnOnce(Ctx, T) -> JsResult<()> + 'static,
) {
    let id = NEXT_CONTINUATION.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let context = current_async_context();
    let continuation: Continuation = Box::new(move |ctx, result| {
        let result = *result.downcast::<T>().expect("thread pool result type");
        if let Some(context) = &context {
            enter_async_context(context)?;
        }
        then(ctx, result)
    });
    CONTINUATIONS.with(|c| c.borrow_mut().insert(id, continuation));
    ref_handle();
    let queue = completions();
    tokio_handle().spawn_blocking(move || {
        let result: Box<dyn std::any::Any + Send> = Box::new(work());
        queue.push(Box::new(move |ctx| {
            unref_handle();
            match CONTINUATIONS.with(|c| c.borrow_mut().remove(&id)) {
                Some(continuation) => continuation(ctx, result),
                None => Ok(()),
            }
        }));
    });
}

pub struct EventLoop {
    ctx: Ctx,
    info: LoopInfo,
    start: Instant,
    hooks: Option<Hooks>,
    tokio: tokio::runtime::Runtime,
    local_tasks: std::rc::Rc<tokio::task::LocalSet>,
    completions: Arc<CompletionQueue>,
    /// When the engine's own timers last ran (see `run_engine_timers`).
    engine_timers_run: Cell<Instant>,
}

impl EventLoop {
    pub fn new(ctx: Ctx) -> JsResult<EventLoop> {
        let cells: Vec<Cell<f64>> = (0..slot::LEN).map(|_| Cell::new(0.0)).collect();
        let info: LoopInfo = Box::leak(cells.into_boxed_slice());
        info[slot::TIMER_EXPIRY].set(f64::INFINITY);
        let pool_size = std::env::var("UV_THREADPOOL_SIZE").ok().and_then(|v| v.parse::<usize>().ok()).unwrap_or(4).clamp(1, 1024);
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .enable_io()
            .max_blocking_threads(pool_size)
            .build()
            .expect("tokio runtime");
        let completions = Arc::new(CompletionQueue::default());
        COMPLETIONS.with(|c| *c.borrow_mut() = Some(completions.clone()));
        TOKIO.with(|t| *t.borrow_mut() = Some(tokio.handle().clone()));
        let local_tasks = std::rc::Rc::new(tokio::task::LocalSet::new());
        LOCAL_TASKS.with(|t| *t.borrow_mut() = Some(local_tasks.clone()));
        if !ctx.track_rejections(track_rejection) {
            // Without the engine's tracker hook, only unhandled rejections are heard of.
            ctx.set_unhandled_rejection_callback(ctx.function("onUnhandledRejection", record_rejection))?;
        }
        let start = Instant::now();
        LOOP_START.with(|s| s.set(Some((start, info))));
        let engine_timers_run = Cell::new(start);
        Ok(EventLoop { ctx, info, start, hooks: None, tokio, local_tasks, completions, engine_timers_run })
    }

    /// The Float64Array JS uses to share the loop counters.
    pub fn info_array(&self) -> JsResult<Object> {
        self.ctx.shared_f64_array(self.info)
    }

    pub fn set_hooks(&mut self, hooks: Hooks) {
        self.hooks = Some(hooks);
    }

    fn hooks(&self) -> &Hooks {
        self.hooks.as_ref().expect("event loop hooks not installed")
    }

    /// Refreshes the cached loop time (`uv_update_time`).
    pub fn update_time(&self) {
        self.info[slot::NOW].set(elapsed_ms(self.start));
    }

    fn alive(&self) -> bool {
        self.info[slot::TIMER_REFS].get() > 0.0
            || self.info[slot::IMMEDIATE_REFS].get() > 0.0
            || HANDLE_REFS.with(|r| r.get()) > 0
    }

    /// Runs `f` as a macrotask: then the nextTick queue, promise jobs and rejections.
    pub fn macrotask(&self, f: impl FnOnce(Ctx) -> JsResult<Value>) -> Option<Value> {
        let ctx = self.ctx;
        ctx.lock();
        let value = ctx.in_entry_scope(|| {
            if self.info[slot::CONTEXT_LEFT_SET].get() != 0.0 {
                self.call_process_ticks();
            }
            let value = match f(ctx) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.report_uncaught(e);
                    None
                }
            };
            self.run_ticks();
            ctx.drain_microtasks();
            value
        });
        ctx.unlock();
        self.after_microtasks();
        value
    }

    /// Calls a JS function as a macrotask.
    pub fn call(&self, f: Value, args: &[Value]) -> Option<Value> {
        self.macrotask(|ctx| f.as_object().ok_or_else(|| ctx.error("not a function"))?.call(None, args))
    }

    fn run_ticks(&self) {
        while self.info[slot::TICK_COUNT].get() > 0.0 {
            self.call_process_ticks();
        }
    }

    fn call_process_ticks(&self) {
        if let Err(e) = self.hooks().process_ticks.value().expect_object().and_then(|f| f.call(None, &[])) {
            self.report_uncaught(e);
        }
    }

    /// Ticks and rejections queued by promise jobs get further rounds, as in Node's
    /// processTicksAndRejections.
    fn after_microtasks(&self) {
        loop {
            let pending = UNHANDLED.with(|u| !u.borrow().is_empty()) || HANDLED_LATE.with(|h| !h.borrow().is_empty());
            if !pending && self.info[slot::TICK_COUNT].get() == 0.0 {
                return;
            }
            let ctx = self.ctx;
            ctx.lock();
            self.run_ticks();
            let unhandled = UNHANDLED.with(|u| std::mem::take(&mut *u.borrow_mut()));
            let handled = HANDLED_LATE.with(|h| std::mem::take(&mut *h.borrow_mut()));
            if !unhandled.is_empty() || !handled.is_empty() {
                // [promise, reason, ...] and [promise, ...]
                let flat: Vec<Value> = unhandled
                    .iter()
                    .flat_map(|p| [p.value(), p.value().promise_state().map_or(ctx.undefined(), |(_, reason)| reason)])
                    .collect();
                let handled: Vec<Value> = handled.iter().map(|p| p.value()).collect();
                let result = ctx.array(&flat).and_then(|list| {
                    let handled = ctx.array(&handled)?;
                    self.hooks().process_rejections.value().expect_object()?.call(None, &[list.value(), handled.value()])
                });
                if let Err(e) = result {
                    self.report_uncaught(e);
                }
                self.run_ticks();
            }
            ctx.drain_microtasks();
            ctx.unlock();
        }
    }

    fn report_uncaught(&self, error: Value) {
        let handled = self.hooks().on_uncaught.value().expect_object().and_then(|f| f.call(None, &[error]));
        if let Err(e) = handled {
            // The handler itself threw: Node exits with 7 after printing it.
            let text = e.to_string().unwrap_or_else(|_| "uncaught exception".into());
            eprintln!("{text}");
            std::process::exit(7);
        }
    }

    /// Runs the loop until nothing keeps it alive, emitting 'beforeExit' as Node does.
    pub fn run(&mut self) {
        if self.info[slot::LOOP_START].get() == 0.0 {
            self.info[slot::LOOP_START].set(self.start.elapsed().as_secs_f64() * 1000.0);
        }
        loop {
            self.update_time();
            self.run_timers();
            while self.alive() {
                self.poll();
                self.run_immediates();
                self.update_time();
                self.run_timers();
            }
            self.call(self.hooks().before_exit.value(), &[]);
            if !self.alive() {
                return;
            }
        }
    }

    fn run_timers(&self) {
        let now = self.info[slot::NOW].get();
        if self.info[slot::TIMER_EXPIRY].get() > now {
            return;
        }
        let run_next = self.hooks().run_next_timer.value();
        let now_value = self.ctx.number(now);
        while self.info[slot::TIMER_EXPIRY].get() <= now {
            // `None` means the timer threw and was reported: the others still run.
            if let Some(ran) = self.call(run_next, &[now_value]) {
                if !ran.to_boolean() {
                    break;
                }
            }
        }
    }

    fn run_immediates(&self) {
        if self.info[slot::IMMEDIATE_COUNT].get() == 0.0 {
            return;
        }
        self.call(self.hooks().begin_immediates.value(), &[]);
        let run_next = self.hooks().run_next_immediate.value();
        loop {
            if let Some(ran) = self.call(run_next, &[]) {
                if !ran.to_boolean() {
                    break;
                }
            }
        }
    }

    /// How long the poll phase may block: not at all with immediates queued, until the
    /// next timer otherwise, forever when only I/O handles keep the loop alive.
    fn poll_timeout(&self) -> Option<Duration> {
        if self.info[slot::IMMEDIATE_COUNT].get() > 0.0 {
            return Some(Duration::ZERO);
        }
        let expiry = self.info[slot::TIMER_EXPIRY].get();
        if expiry.is_infinite() {
            return None;
        }
        let now = self.start.elapsed().as_secs_f64() * 1000.0;
        Some(Duration::from_secs_f64(((expiry - now).max(0.0)) / 1000.0))
    }

    fn poll(&self) {
        self.run_engine_timers();
        let timeout = self.poll_timeout();
        let idle = HANDLE_REFS.with(|r| r.get()) == 0
            && IO_HANDLES.with(|n| n.get()) == 0
            && LOCAL_COMPLETIONS.with(|q| q.borrow().is_empty())
            && self.completions.items.lock().unwrap().is_empty();
        let wait_start = Instant::now();
        let add_idle = || {
            let idle = &self.info[slot::IDLE_TIME];
            idle.set(idle.get() + wait_start.elapsed().as_secs_f64() * 1000.0);
        };
        if let (true, Some(d)) = (idle, timeout) {
            // Nothing can complete: sleep precisely rather than on tokio's 1 ms timer wheel.
            std::thread::sleep(d);
            add_idle();
            return;
        }
        let queue = self.completions.clone();
        let has_local = LOCAL_COMPLETIONS.with(|q| !q.borrow().is_empty());
        LOCAL_WOKEN.with(|w| w.set(has_local));
        self.local_tasks.block_on(&self.tokio, async {
            let ready = queue.ready.notified();
            match timeout {
                // Yielding once lets the I/O driver and the ready tasks run without waiting.
                _ if has_local => tokio::task::yield_now().await,
                Some(d) if d.is_zero() => tokio::task::yield_now().await,
                Some(d) => {
                    let _ = tokio::time::timeout(d, ready).await;
                }
                None => ready.await,
            }
        });
        add_idle();
        for completion in LOCAL_COMPLETIONS.with(|q| std::mem::take(&mut *q.borrow_mut())) {
            self.macrotask(|ctx| completion(ctx).map(|_| ctx.undefined()));
        }
        for completion in self.completions.take_all() {
            self.macrotask(|ctx| completion(ctx).map(|_| ctx.undefined()));
        }
    }

    /// The engine's own timers (FinalizationRegistry callbacks, its collection timers), run
    /// from the poll phase at most once a millisecond; what they queued runs after them.
    fn run_engine_timers(&self) {
        if self.engine_timers_run.get().elapsed() < Duration::from_millis(1) {
            return;
        }
        self.engine_timers_run.set(Instant::now());
        jsc::run_engine_timers();
        self.macrotask(|ctx| Ok(ctx.undefined()));
    }
}

/// The engine's report on a rejected promise: unhandled ones wait for the end of the
/// macrotask; one that gets a handler before then is forgotten, and one that gets it later
/// is handed to JS for 'rejectionHandled'.
fn track_rejection(promise: Value, event: jsc::Rejection) {
    match event {
        jsc::Rejection::Unhandled => UNHANDLED.with(|u| u.borrow_mut().push(promise.protect())),
        jsc::Rejection::Handled => {
            let waiting = UNHANDLED.with(|u| {
                let mut u = u.borrow_mut();
                let index = u.iter().position(|p| p.value().raw() == promise.raw());
                index.map(|i| u.remove(i)).is_some()
            });
            if !waiting {
                HANDLED_LATE.with(|h| h.borrow_mut().push(promise.protect()));
            }
        }
    }
}

/// The C API's callback: a promise still unhandled once the microtask queue ran dry.
fn record_rejection(args: &Args) -> JsResult<Value> {
    UNHANDLED.with(|u| u.borrow_mut().push(args.get(0).protect()));
    Ok(args.ctx.undefined())
}
