//! Ops behind node:worker_threads: message ports entangled across threads, broadcast
//! channels, and worker threads that each run their own ferro instance (own JSC context
//! group, own event loop) on their own OS thread.
//!
//! A message crosses threads as the text js/internal/worker/serializer.js writes plus the
//! bytes of the ArrayBuffers it holds (SharedArrayBuffers: their memory itself) and the
//! ids of the ports it carries. Ports live in one process-wide registry; a port's
//! messages wait in its inbox, and each one becomes a completion in the event loop of the
//! thread that owns the port, so every message is its own macrotask, as in Node.

use jsc::{Args, Ctx, JsResult, Object, Protected, SharedMemory, Value};
use runtime::event_loop::{completions, CompletionQueue};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// One message in flight.
#[derive(Clone, Default)]
struct Message {
    /// The serializer's text, as UTF-16 so that lone surrogates survive.
    data: Vec<u16>,
    /// The ArrayBuffers the value holds.
    buffers: Vec<Buffer>,
    /// Ports transferred with the message.
    ports: Vec<u64>,
}

#[derive(Clone)]
enum Buffer {
    /// An ArrayBuffer's bytes (copied or transferred).
    Bytes(Vec<u8>),
    /// A SharedArrayBuffer's memory: each receiver gets a SharedArrayBuffer over it.
    Shared(Arc<SharedMemory>),
}

/// The thread whose JS holds a port: where its messages are delivered.
#[derive(Clone)]
struct Owner {
    queue: Arc<CompletionQueue>,
    /// Changes on every adoption, so that deliveries scheduled for a former owner lapse.
    generation: u64,
}

#[derive(Default)]
struct Port {
    /// The entangled port; None for broadcast members and once the peer closed.
    peer: Option<u64>,
    /// The broadcast channel this port is a member of.
    broadcast: Option<String>,
    inbox: VecDeque<Message>,
    owner: Option<Owner>,
    /// Started: its messages are dispatched as they arrive.
    receiving: bool,
    /// Closed: sends nothing; leaves the registry once its owner has heard 'close'.
    closed: bool,
}

#[derive(Default)]
struct Registry {
    ports: HashMap<u64, Port>,
    /// Broadcast channel name -> member ports.
    channels: HashMap<String, Vec<u64>>,
    /// Running workers by thread id.
    workers: HashMap<u64, WorkerHandle>,
}

struct WorkerHandle {
    /// The worker's event loop queue, once it has one.
    queue: Option<Arc<CompletionQueue>>,
    terminate: Arc<AtomicBool>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Mutex::default);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static NEXT_THREAD_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a worker thread knows about itself.
struct WorkerSelf {
    thread_id: u64,
    /// The worker's end of the channel to its Worker object.
    port: u64,
    init: Option<Message>,
    parent: Arc<CompletionQueue>,
    terminate: Arc<AtomicBool>,
}

thread_local! {
    /// `(kind, id, ...)`: the JS function every delivery on this thread goes through.
    static HANDLER: RefCell<Option<Protected>> = const { RefCell::new(None) };
    static WORKER_SELF: RefCell<Option<WorkerSelf>> = const { RefCell::new(None) };
}

/// Calls this thread's JS handler.
fn dispatch(_ctx: Ctx, args: &[Value]) -> JsResult<()> {
    let handler = HANDLER.with(|h| h.borrow().as_ref().map(|p| p.value()));
    if let Some(f) = handler.and_then(|f| f.as_object()) {
        f.call(None, args)?;
    }
    Ok(())
}

/// `[data, buffers, ports]` for JS; an empty list is `undefined` (most messages
/// have none, and each array costs a call into the engine).
fn message_values(ctx: Ctx, message: Message) -> JsResult<[Value; 3]> {
    let buffers = if message.buffers.is_empty() {
        ctx.undefined()
    } else {
        let made = message.buffers.into_iter().map(|buffer| match buffer {
            Buffer::Bytes(bytes) => ctx.array_buffer(bytes).map(|o| o.value()),
            Buffer::Shared(memory) => ctx.shared_array_buffer(&memory).map(|o| o.value()),
        });
        ctx.array_from(made)?.value()
    };
    let ports = if message.ports.is_empty() {
        ctx.undefined()
    } else {
        ctx.array_from(message.ports.iter().map(|&p| Ok(ctx.number(p as f64))))?.value()
    };
    let data = ctx.string_utf16(&message.data);
    Ok([data, buffers, ports])
}

/// Schedules the delivery of one message of `port` on its owner's loop.
fn schedule_delivery(id: u64, owner: &Owner) {
    let generation = owner.generation;
    owner.queue.push(Box::new(move |ctx| {
        let message = {
            let mut reg = registry();
            let Some(port) = reg.ports.get_mut(&id) else { return Ok(()) };
            let current = port.owner.as_ref().is_some_and(|o| o.generation == generation);
            if !current || !port.receiving {
                return Ok(());
            }
            match port.inbox.pop_front() {
                Some(m) => m,
                None => return Ok(()),
            }
        };
        let [data, buffers, ports] = message_values(ctx, message)?;
        dispatch(ctx, &[ctx.string("message"), ctx.number(id as f64), data, buffers, ports])
    }));
}

/// Queues `message` on port `id`, dispatching it if the port is started.
fn enqueue(reg: &mut Registry, id: u64, message: Message) {
    let Some(port) = reg.ports.get_mut(&id) else { return };
    port.inbox.push_back(message);
    if port.receiving {
        if let Some(owner) = &port.owner {
            schedule_delivery(id, owner);
        }
    }
}

fn new_owner() -> Owner {
    Owner { queue: completions(), generation: next_id() }
}

/// Tells the owner of `id` that the port closed, after the messages already scheduled.
/// The port then leaves the registry, unless messages wait in it for
/// receiveMessageOnPort.
fn schedule_close(id: u64, owner: &Owner) {
    // The loop would not wait for a notice to itself: the port holds it until delivered.
    let local = Arc::ptr_eq(&owner.queue, &completions());
    if local {
        runtime::event_loop::ref_handle();
    }
    owner.queue.push(Box::new(move |ctx| {
        if local {
            runtime::event_loop::unref_handle();
        }
        let mut reg = registry();
        if reg.ports.get(&id).is_some_and(|p| p.inbox.is_empty()) {
            reg.ports.remove(&id);
        }
        drop(reg);
        dispatch(ctx, &[ctx.string("close"), ctx.number(id as f64)])
    }));
}

/// Closes a port: it and its peer are disentangled, and both owners hear 'close'.
fn close_port(reg: &mut Registry, id: u64) {
    let Some(port) = reg.ports.get_mut(&id) else { return };
    if port.closed {
        return;
    }
    port.closed = true;
    let (peer, broadcast, owner) = (port.peer.take(), port.broadcast.clone(), port.owner.clone());
    match owner {
        Some(owner) => schedule_close(id, &owner),
        None => {
            reg.ports.remove(&id);
        }
    }
    if let Some(name) = broadcast {
        if let Some(members) = reg.channels.get_mut(&name) {
            members.retain(|&m| m != id);
            if members.is_empty() {
                reg.channels.remove(&name);
            }
        }
    }
    if let Some(peer_id) = peer {
        close_port(reg, peer_id);
    }
}

fn id_arg(args: &Args, i: usize) -> JsResult<u64> {
    Ok(args.number(i)? as u64)
}

fn string_list(value: Value) -> JsResult<Vec<String>> {
    let Some(list) = value.as_object() else { return Ok(Vec::new()) };
    let len = list.get("length")?.to_number()? as u32;
    (0..len).map(|i| list.get_index(i)?.to_string()).collect()
}

/// Reads `(data, buffers, ports)` from `args[first..]` into a message; a list
/// may be `undefined` when empty.
fn read_message(args: &Args, first: usize) -> JsResult<Message> {
    let data = args.get(first).to_js_string()?.utf16().to_vec();
    let mut message = Message { data, ..Message::default() };
    if let Some(list) = args.get(first + 1).as_object() {
        let len = list.get("length")?.to_number()? as u32;
        for i in 0..len {
            let buffer = list.get_index(i)?;
            message.buffers.push(match buffer.shared_memory() {
                Some(memory) => Buffer::Shared(Arc::new(memory)),
                None => Buffer::Bytes(buffer.bytes().map(|b| b.to_vec()).unwrap_or_default()),
            });
        }
    }
    if let Some(list) = args.get(first + 2).as_object() {
        let len = list.get("length")?.to_number()? as u32;
        for i in 0..len {
            message.ports.push(list.get_index(i)?.to_number()? as u64);
        }
    }
    // Transferred ports leave this thread until a receiver adopts them.
    let mut reg = registry();
    for id in &message.ports {
        if let Some(port) = reg.ports.get_mut(id) {
            port.owner = None;
            port.receiving = false;
        }
    }
    Ok(message)
}

/// `(sharedArrayBuffer) => SharedArrayBuffer`: another one over the same memory
/// (structuredClone's copy); `undefined` if the engine cannot share it.
fn share_memory(args: &Args) -> JsResult<Value> {
    match args.get(0).shared_memory() {
        Some(memory) => Ok(args.ctx.shared_array_buffer(&memory)?.value()),
        None => Ok(args.ctx.undefined()),
    }
}

/// `(megabytes)`: this worker's JS stops (as when terminated) once its heap stays
/// over the limit after a full collection.
fn limit_heap(args: &Args) -> JsResult<Value> {
    let bytes = (args.number(0)? * 1024.0 * 1024.0) as usize;
    args.ctx.limit_heap(bytes)?;
    Ok(args.ctx.undefined())
}

fn heap_limit_reached(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.boolean(args.ctx.heap_limit_reached()))
}

fn set_handler(args: &Args) -> JsResult<Value> {
    HANDLER.with(|h| *h.borrow_mut() = Some(args.get(0).protect()));
    Ok(args.ctx.undefined())
}

/// `() => [id1, id2]`: a new pair of entangled ports owned by this thread.
fn create_channel(args: &Args) -> JsResult<Value> {
    let (a, b) = (next_id(), next_id());
    let mut reg = registry();
    reg.ports.insert(a, Port { peer: Some(b), owner: Some(new_owner()), ..Port::default() });
    reg.ports.insert(b, Port { peer: Some(a), owner: Some(new_owner()), ..Port::default() });
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(a as f64), ctx.number(b as f64)])?.value())
}

/// `(id, data, buffers, ports)`: sends to the peer of port `id` (or, for a
/// broadcast member, to every other member). Sending on a closed port does nothing.
fn post(args: &Args) -> JsResult<Value> {
    let id = id_arg(args, 0)?;
    let message = read_message(args, 1)?;
    let mut reg = registry();
    let Some(port) = reg.ports.get(&id).filter(|p| !p.closed) else { return Ok(args.ctx.undefined()) };
    if let Some(peer) = port.peer {
        enqueue(&mut reg, peer, message);
    } else if let Some(name) = port.broadcast.clone() {
        let members: Vec<u64> = reg.channels.get(&name).map(|m| m.iter().copied().filter(|&m| m != id).collect()).unwrap_or_default();
        for member in members {
            enqueue(&mut reg, member, message.clone());
        }
    }
    Ok(args.ctx.undefined())
}

/// `(id, receiving)`: starts or stops dispatching the messages of a port.
fn set_receiving(args: &Args) -> JsResult<Value> {
    let id = id_arg(args, 0)?;
    let receiving = args.get(1).to_boolean();
    let mut reg = registry();
    if let Some(port) = reg.ports.get_mut(&id) {
        let was = port.receiving;
        port.receiving = receiving;
        if receiving && !was {
            if let Some(owner) = &port.owner {
                for _ in 0..port.inbox.len() {
                    schedule_delivery(id, owner);
                }
            }
        }
    }
    Ok(args.ctx.undefined())
}

/// `(id) => [data, buffers, ports] | undefined`: takes the oldest queued message.
fn receive(args: &Args) -> JsResult<Value> {
    let id = id_arg(args, 0)?;
    let mut reg = registry();
    let Some(port) = reg.ports.get_mut(&id) else { return Ok(args.ctx.undefined()) };
    let message = port.inbox.pop_front();
    if port.closed && port.inbox.is_empty() {
        reg.ports.remove(&id);
    }
    drop(reg);
    match message {
        Some(m) => Ok(args.ctx.array(&message_values(args.ctx, m)?)?.value()),
        None => Ok(args.ctx.undefined()),
    }
}

fn close(args: &Args) -> JsResult<Value> {
    let id = id_arg(args, 0)?;
    close_port(&mut registry(), id);
    Ok(args.ctx.undefined())
}

/// `(id) => boolean`: makes a port that arrived in a message this thread's.
fn adopt(args: &Args) -> JsResult<Value> {
    let id = id_arg(args, 0)?;
    let mut reg = registry();
    let Some(port) = reg.ports.get_mut(&id) else { return Ok(args.ctx.boolean(false)) };
    port.owner = Some(new_owner());
    port.receiving = false;
    Ok(args.ctx.boolean(true))
}

/// `(name) => id`: joins the broadcast channel `name`.
fn broadcast_join(args: &Args) -> JsResult<Value> {
    let name = args.string(0)?;
    let id = next_id();
    let mut reg = registry();
    reg.ports.insert(id, Port { broadcast: Some(name.clone()), owner: Some(new_owner()), ..Port::default() });
    reg.channels.entry(name).or_default().push(id);
    Ok(args.ctx.number(id as f64))
}

fn ref_loop(args: &Args) -> JsResult<Value> {
    runtime::event_loop::ref_handle();
    Ok(args.ctx.undefined())
}

fn unref_loop(args: &Args) -> JsResult<Value> {
    runtime::event_loop::unref_handle();
    Ok(args.ctx.undefined())
}

/// A started port counts as an open handle, so that an idle loop waits for its messages.
fn open_handle(args: &Args) -> JsResult<Value> {
    runtime::event_loop::open_io_handle();
    Ok(args.ctx.undefined())
}

fn close_handle(args: &Args) -> JsResult<Value> {
    runtime::event_loop::close_io_handle();
    Ok(args.ctx.undefined())
}

// ---- Worker threads ----

/// `(execPath, argv0, execArgv, args, stackSizeMb, init...) => [threadId, portId]`: starts
/// a worker thread. `args` become process.argv[1..]; `init` is a message the worker
/// reads with `workerInit()`.
fn spawn(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let exec_path = args.string(0)?;
    let argv0 = args.string(1)?;
    let exec_argv = string_list(args.get(2))?;
    let node_options = crate::process::node_options_words();
    let script_args = string_list(args.get(3))?;
    let stack_mb = args.number(4)?;
    let init = read_message(args, 5)?;
    let thread_id = NEXT_THREAD_ID.fetch_add(1, Ordering::Relaxed);
    let (parent_port, worker_port) = (next_id(), next_id());
    let terminate = Arc::new(AtomicBool::new(false));
    let parent = completions();
    {
        let mut reg = registry();
        reg.ports.insert(parent_port, Port { peer: Some(worker_port), owner: Some(new_owner()), ..Port::default() });
        reg.ports.insert(worker_port, Port { peer: Some(parent_port), ..Port::default() });
        reg.workers.insert(thread_id, WorkerHandle { queue: None, terminate: terminate.clone() });
    }
    let stack_size = ((stack_mb.max(1.0) * 1024.0 * 1024.0) as usize).max(4 << 20) + (4 << 20);
    let me = WorkerSelf { thread_id, port: worker_port, init: Some(init), parent: parent.clone(), terminate };
    let spawned = std::thread::Builder::new().name("WorkerThread".into()).stack_size(stack_size).spawn(move || {
        let parent = me.parent.clone();
        WORKER_SELF.with(|w| *w.borrow_mut() = Some(me));
        let code = crate::start(crate::StartOptions {
            argv0,
            exec_path,
            input_module: None,
            exec_argv,
            node_options,
            entry: crate::Entry::Worker,
            args: script_args,
            // Preloads (-r, --import) belong to the main thread.
            js_options: Vec::new(),
        });
        // Ports this thread still held close with it.
        {
            let mut reg = registry();
            reg.workers.remove(&thread_id);
            let owned: Vec<u64> = reg
                .ports
                .iter()
                .filter(|(_, p)| p.owner.as_ref().is_some_and(|o| Arc::ptr_eq(&o.queue, &completions_of_this_thread())))
                .map(|(&id, _)| id)
                .collect();
            for id in owned {
                close_port(&mut reg, id);
            }
        }
        WORKER_SELF.with(|w| w.borrow_mut().take());
        parent.push(Box::new(move |ctx| dispatch(ctx, &[ctx.string("exit"), ctx.number(thread_id as f64), ctx.number(code as f64)])));
    });
    if spawned.is_err() {
        registry().workers.remove(&thread_id);
        return Err(ctx.error("could not start a worker thread"));
    }
    Ok(ctx.array(&[ctx.number(thread_id as f64), ctx.number(parent_port as f64)])?.value())
}

thread_local! {
    /// This thread's completion queue, kept past the loop's end for port cleanup.
    static OWN_QUEUE: RefCell<Option<Arc<CompletionQueue>>> = const { RefCell::new(None) };
}

fn completions_of_this_thread() -> Arc<CompletionQueue> {
    OWN_QUEUE.with(|q| q.borrow().clone()).unwrap_or_default()
}

/// `() => { threadId, port, init: [data, buffers, ports] } | undefined`: what a
/// worker was started with (undefined on the main thread). Also arms termination.
fn worker_init(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let queue = completions();
    OWN_QUEUE.with(|q| *q.borrow_mut() = Some(queue.clone()));
    let taken = WORKER_SELF.with(|w| w.borrow_mut().as_mut().map(|me| (me.thread_id, me.port, me.init.take(), me.terminate.clone())));
    let Some((thread_id, port, init, terminate)) = taken else { return Ok(ctx.undefined()) };
    {
        let mut reg = registry();
        if let Some(handle) = reg.workers.get_mut(&thread_id) {
            handle.queue = Some(queue);
        }
        if let Some(p) = reg.ports.get_mut(&port) {
            p.owner = Some(new_owner());
        }
    }
    ctx.terminate_when(terminate, TERMINATION_CHECK_INTERVAL);
    let out = ctx.object();
    out.set("threadId", ctx.number(thread_id as f64))?;
    out.set("port", ctx.number(port as f64))?;
    if let Some(init) = init {
        out.set("init", ctx.array(&message_values(ctx, init)?)?.value())?;
    }
    Ok(out.value())
}

/// `(kind, a, b)`: tells this worker's Worker object about 'online', an 'error' (a
/// serialized message) or output on its stdio (`a` is the fd, `b` the text).
fn notify_parent(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let kind = args.string(0)?;
    let info = WORKER_SELF.with(|w| w.borrow().as_ref().map(|me| (me.thread_id, me.parent.clone())));
    let Some((thread_id, parent)) = info else { return Ok(ctx.undefined()) };
    let text = if args.get(2).is_undefined() { None } else { Some(args.get(2).to_js_string()?.utf16().to_vec()) };
    let message = if kind == "error" { Some(read_message(args, 1)?) } else { None };
    let fd = args.get(1).to_number().unwrap_or(0.0);
    parent.push(Box::new(move |ctx| {
        let mut call = vec![ctx.string(&kind), ctx.number(thread_id as f64)];
        if let Some(m) = message {
            call.extend(message_values(ctx, m)?);
        } else {
            call.push(ctx.number(fd));
            call.push(text.map_or_else(|| ctx.undefined(), |t| ctx.string_utf16(&t)));
        }
        dispatch(ctx, &call)
    }));
    Ok(ctx.undefined())
}

/// `(threadId)`: stops a worker: its running JS is cut off and its loop told to end.
fn terminate(args: &Args) -> JsResult<Value> {
    let thread_id = id_arg(args, 0)?;
    let reg = registry();
    if let Some(handle) = reg.workers.get(&thread_id) {
        handle.terminate.store(true, Ordering::SeqCst);
        if let Some(queue) = &handle.queue {
            queue.push(Box::new(|ctx| dispatch(ctx, &[ctx.string("terminate")])));
        }
    }
    Ok(args.ctx.undefined())
}

/// `(threadId, fd)`: the parent has written a worker's output; the worker may send more.
fn ack_stdio(args: &Args) -> JsResult<Value> {
    let thread_id = id_arg(args, 0)?;
    let fd = args.number(1)?;
    if let Some(queue) = registry().workers.get(&thread_id).and_then(|w| w.queue.clone()) {
        queue.push(Box::new(move |ctx| dispatch(ctx, &[ctx.string("stdioAck"), ctx.number(fd)])));
    }
    Ok(args.ctx.undefined())
}

/// Inside a worker: asks the engine to cut off the running JS (process.exit()).
fn request_termination(args: &Args) -> JsResult<Value> {
    WORKER_SELF.with(|w| {
        if let Some(me) = w.borrow().as_ref() {
            me.terminate.store(true, Ordering::SeqCst);
        }
    });
    Ok(args.ctx.undefined())
}

/// Inside a worker: runs the worker's script in a macrotask of its own, so that the
/// engine's watchdog (armed by `workerInit`) covers it.
fn schedule_start(args: &Args) -> JsResult<Value> {
    // Counted as a handle: the loop only polls for completions while something is alive.
    runtime::event_loop::ref_handle();
    completions().push(Box::new(|ctx| {
        runtime::event_loop::unref_handle();
        dispatch(ctx, &[ctx.string("start")])
    }));
    Ok(args.ctx.undefined())
}

fn is_terminating(args: &Args) -> JsResult<Value> {
    let flag = WORKER_SELF.with(|w| w.borrow().as_ref().is_some_and(|me| me.terminate.load(Ordering::SeqCst)));
    Ok(args.ctx.boolean(flag))
}

/// Inside an ending worker: lets go of every handle that keeps the loop alive (sockets,
/// servers, pending operations), so that the loop ends with the current turn.
fn release_loop(args: &Args) -> JsResult<Value> {
    runtime::event_loop::release_all_handles();
    Ok(args.ctx.undefined())
}

/// How often long-running JS in a worker checks whether it was terminated, in seconds.
const TERMINATION_CHECK_INTERVAL: f64 = 0.01;

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("shareMemory", share_memory)?;
    b.set_function("limitHeap", limit_heap)?;
    b.set_function("heapLimitReached", heap_limit_reached)?;
    b.set_function("setHandler", set_handler)?;
    b.set_function("createChannel", create_channel)?;
    b.set_function("post", post)?;
    b.set_function("setReceiving", set_receiving)?;
    b.set_function("receive", receive)?;
    b.set_function("close", close)?;
    b.set_function("adopt", adopt)?;
    b.set_function("broadcastJoin", broadcast_join)?;
    b.set_function("ref", ref_loop)?;
    b.set_function("unref", unref_loop)?;
    b.set_function("openHandle", open_handle)?;
    b.set_function("closeHandle", close_handle)?;
    b.set_function("spawn", spawn)?;
    b.set_function("workerInit", worker_init)?;
    b.set_function("notifyParent", notify_parent)?;
    b.set_function("terminate", terminate)?;
    b.set_function("ackStdio", ack_stdio)?;
    b.set_function("requestTermination", request_termination)?;
    b.set_function("isTerminating", is_terminating)?;
    b.set_function("scheduleStart", schedule_start)?;
    b.set_function("releaseLoop", release_loop)?;
    Ok(b)
}
