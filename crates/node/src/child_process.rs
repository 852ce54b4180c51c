//! node:child_process's native side: starting processes (fork + exec through std's
//! `Command`), their stdio as socket pairs (what libuv gives children for 'pipe' and
//! 'ipc'), watching for their exit through a pidfd on tokio's I/O driver, and running a
//! process to completion synchronously for spawnSync.
//!
//! Options arrive validated by JS as a plain object: `{ file, args (argv[0] first), cwd,
//! envPairs, stdio: [{ type: 'pipe'|'ipc'|'ignore'|'inherit'|'fd', fd }], detached, uid, gid }`.

use crate::stream_handle::{Io, StreamHandle};
use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::event_loop::{complete_local, ref_handle, spawn_local, tokio_handle, unref_handle};
use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

enum StdioSpec {
    /// A socket pair: the child gets one end, JS the other ('pipe' and 'ipc').
    Pipe,
    Ignore,
    Inherit,
    /// One of the parent's descriptors, shared with the child.
    Fd(RawFd),
}

struct SpawnRequest {
    file: String,
    /// argv, argv[0] first.
    args: Vec<String>,
    cwd: Option<String>,
    env: Option<Vec<(String, String)>>,
    stdio: Vec<StdioSpec>,
    detached: bool,
    uid: Option<u32>,
    gid: Option<u32>,
}

fn strings(value: Value) -> JsResult<Vec<String>> {
    let Some(list) = value.as_object() else { return Ok(Vec::new()) };
    let len = list.get("length")?.to_number()? as u32;
    (0..len).map(|i| list.get_index(i)?.to_string()).collect()
}

fn optional_u32(value: Value) -> JsResult<Option<u32>> {
    Ok(if value.is_number() { Some(value.to_number()? as i64 as u32) } else { None })
}

fn parse_request(options: Object) -> JsResult<SpawnRequest> {
    let cwd = options.get("cwd")?;
    let env = options.get("envPairs")?;
    let env = if env.is_object() {
        let pairs = strings(env)?;
        Some(
            pairs
                .into_iter()
                .map(|pair| match pair.get(1..).and_then(|rest| rest.find('=')) {
                    Some(i) => (pair[..i + 1].to_string(), pair[i + 2..].to_string()),
                    None => (pair, String::new()),
                })
                .collect(),
        )
    } else {
        None
    };
    let stdio_list = options.get("stdio")?.expect_object()?;
    let count = stdio_list.get("length")?.to_number()? as u32;
    let mut stdio = Vec::new();
    for i in 0..count {
        let entry = stdio_list.get_index(i)?.expect_object()?;
        let spec = match entry.get("type")?.to_string()?.as_str() {
            "pipe" | "ipc" | "overlapped" => StdioSpec::Pipe,
            "inherit" => StdioSpec::Inherit,
            "fd" => StdioSpec::Fd(entry.get("fd")?.to_number()? as RawFd),
            _ => StdioSpec::Ignore,
        };
        stdio.push(spec);
    }
    Ok(SpawnRequest {
        file: options.get("file")?.to_string()?,
        args: strings(options.get("args")?)?,
        cwd: if cwd.is_string() { Some(cwd.to_string()?) } else { None },
        env,
        stdio,
        detached: options.get("detached")?.to_boolean(),
        uid: optional_u32(options.get("uid")?)?,
        gid: optional_u32(options.get("gid")?)?,
    })
}

fn errno(e: &io::Error) -> i32 {
    -e.raw_os_error().unwrap_or(libc::EINVAL)
}

fn dup_cloexec(fd: RawFd, min: RawFd) -> io::Result<OwnedFd> {
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, min) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

fn socket_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    if unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0, fds.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Starts the process and returns its pid; `pipes` receives the parent's ends of its
/// 'pipe' stdio (by fd index), kept even when the start fails (JS then reads EOF from
/// them, as from libuv's never-connected pipes). Errors are the errno of the failing step
/// (a missing program, a cwd that doesn't exist, a failed setuid...), as libuv reports them.
fn start(request: &SpawnRequest, pipes: &mut Vec<Option<OwnedFd>>) -> io::Result<i32> {
    // A missing program fails the start only after the pipes exist (see above).
    let program = resolve_program(request);
    let mut command = Command::new(program.as_ref().map_or_else(|_| request.file.clone().into(), |p| p.clone()));
    let mut argv = request.args.iter();
    if let Some(argv0) = argv.next() {
        command.arg0(argv0);
    }
    command.args(argv);
    if let Some(cwd) = &request.cwd {
        command.current_dir(cwd);
    }
    if let Some(env) = &request.env {
        command.env_clear();
        command.envs(env.iter().map(|(k, v)| (k, v)));
    }
    if let Some(uid) = request.uid {
        command.uid(uid);
    }
    if let Some(gid) = request.gid {
        command.gid(gid);
    }
    // Descriptors for fd 3 and up, put in place just before exec.
    let mut extra: Vec<(OwnedFd, RawFd)> = Vec::new();
    for (i, spec) in request.stdio.iter().enumerate() {
        let target = i as RawFd;
        let child_end: Option<OwnedFd> = match spec {
            StdioSpec::Pipe => {
                let (parent, child) = socket_pair()?;
                pipes.push(Some(parent));
                Some(child)
            }
            StdioSpec::Ignore => {
                pipes.push(None);
                if target > 2 {
                    // Nothing at this fd in the child, as libuv leaves it.
                    continue;
                }
                None
            }
            StdioSpec::Inherit => {
                pipes.push(None);
                if target > 2 {
                    Some(dup_cloexec(target, 3)?)
                } else {
                    None
                }
            }
            StdioSpec::Fd(fd) => {
                pipes.push(None);
                Some(dup_cloexec(*fd, 3)?)
            }
        };
        match (target, spec, child_end) {
            (0..=2, StdioSpec::Ignore, _) => set_stdio(&mut command, target, Stdio::null()),
            (0..=2, StdioSpec::Inherit, _) => set_stdio(&mut command, target, Stdio::inherit()),
            (0..=2, _, Some(fd)) => set_stdio(&mut command, target, Stdio::from(fd)),
            (_, _, Some(fd)) => extra.push((fd, target)),
            _ => {}
        }
    }
    program?;
    for target in request.stdio.len() as RawFd..3 {
        set_stdio(&mut command, target, Stdio::null());
    }
    let detached = request.detached;
    if detached || !extra.is_empty() {
        let moves: Vec<(RawFd, RawFd)> = extra.iter().map(|(fd, target)| (fd.as_raw_fd(), *target)).collect();
        let above = moves.iter().map(|(_, t)| *t).max().unwrap_or(2) + 1;
        // Runs in the forked child: only async-signal-safe calls, no allocation.
        unsafe {
            command.pre_exec(move || {
                if detached && libc::setsid() < 0 {
                    return Err(io::Error::last_os_error());
                }
                // Move every source above all targets first so no dup2 clobbers a
                // source still to be placed; dup2 then clears close-on-exec.
                for &(fd, target) in &moves {
                    let high = libc::fcntl(fd, libc::F_DUPFD, above);
                    if high < 0 || libc::dup2(high, target) < 0 {
                        return Err(io::Error::last_os_error());
                    }
                    libc::close(high);
                }
                Ok(())
            });
        }
    }
    let child = command.spawn()?;
    Ok(child.id() as i32)
}

/// The program's path, searched in the child's PATH as execvp would: an absolute path
/// lets std start the child with posix_spawn (vfork-fast) instead of fork + exec. Names
/// with a slash, and PATHs with relative entries (they depend on the child's cwd), are
/// left for exec to resolve.
fn resolve_program(request: &SpawnRequest) -> io::Result<std::ffi::OsString> {
    use std::os::unix::fs::PermissionsExt;
    let file = &request.file;
    let path = match &request.env {
        Some(env) => env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()),
        None => std::env::var("PATH").ok(),
    };
    let path = path.unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".to_string());
    if file.contains('/') || path.split(':').any(|dir| !dir.starts_with('/')) {
        return Ok(file.into());
    }
    let mut denied = false;
    for dir in path.split(':') {
        let candidate = std::path::Path::new(dir).join(file);
        let Ok(meta) = std::fs::metadata(&candidate) else { continue };
        if meta.is_file() && meta.permissions().mode() & 0o111 != 0 {
            return Ok(candidate.into_os_string());
        }
        denied = true;
    }
    Err(io::Error::from_raw_os_error(if denied { libc::EACCES } else { libc::ENOENT }))
}

fn set_stdio(command: &mut Command, fd: RawFd, stdio: Stdio) {
    match fd {
        0 => command.stdin(stdio),
        1 => command.stdout(stdio),
        _ => command.stderr(stdio),
    };
}

/// How a child ended: (exit code, terminating signal number).
fn decode_status(status: libc::c_int) -> (i32, i32) {
    if libc::WIFSIGNALED(status) {
        (0, libc::WTERMSIG(status))
    } else {
        (libc::WEXITSTATUS(status), 0)
    }
}

/// Reaps the child if it has exited.
fn try_reap(pid: i32) -> Option<(i32, i32)> {
    let mut status = 0;
    let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    if r == pid {
        Some(decode_status(status))
    } else if r < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ECHILD) {
        // Reaped by someone else (a program calling wait): the status is lost.
        Some((0, 0))
    } else {
        None
    }
}

fn pidfd_open(pid: i32) -> io::Result<OwnedFd> {
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as RawFd;
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

// --- Asynchronous children -------------------------------------------------------------

thread_local! {
    /// `onExit(owner, exitCode, signalNumber)`, set once by JS.
    static ON_EXIT: RefCell<Option<Protected>> = const { RefCell::new(None) };
}

/// A running child as JS holds it: keeps the loop alive until it exits, unless unref'd.
struct ChildHandle {
    pid: i32,
    exited: Cell<bool>,
    refed: Cell<bool>,
    counted: Cell<bool>,
    owner: RefCell<Option<Protected>>,
}

type Child = Rc<ChildHandle>;

impl ChildHandle {
    fn update_ref(&self) {
        let want = !self.exited.get() && self.refed.get();
        if want != self.counted.get() {
            self.counted.set(want);
            if want {
                ref_handle()
            } else {
                unref_handle()
            }
        }
    }

    fn exit(&self, ctx: Ctx, code: i32, signal: i32) -> JsResult<()> {
        self.exited.set(true);
        self.update_ref();
        runtime::event_loop::close_io_handle();
        let Some(owner) = self.owner.borrow_mut().take() else { return Ok(()) };
        let Some(on_exit) = ON_EXIT.with(|f| f.borrow().as_ref().map(|p| p.value())) else { return Ok(()) };
        on_exit.expect_object()?.call(None, &[owner.value(), ctx.number(code as f64), ctx.number(signal as f64)])?;
        Ok(())
    }
}

/// Waits for the exit on the I/O driver: a pidfd turns readable when the child exits.
async fn watch_exit(child: Child) {
    let watched = pidfd_open(child.pid).and_then(|fd| {
        // SAFETY: the pidfd is owned by the AsyncFd and closed only when it drops.
        unsafe { tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }.map_err(io::Error::from)
    });
    let status = match watched {
        Ok(pidfd) => loop {
            if let Some(status) = try_reap(child.pid) {
                break status;
            }
            match pidfd.readable().await {
                Ok(mut guard) => guard.clear_ready(),
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        },
        // No pidfds (old kernels): poll for the exit.
        Err(_) => loop {
            if let Some(status) = try_reap(child.pid) {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        },
    };
    complete_local(move |ctx| child.exit(ctx, status.0, status.1));
}

fn stream_handle(ctx: Ctx, fd: OwnedFd) -> JsResult<Value> {
    let stream = {
        let _runtime = tokio_handle().enter();
        let std_stream = std::os::unix::net::UnixStream::from(fd);
        std_stream.set_nonblocking(true).and_then(|_| tokio::net::UnixStream::from_std(std_stream))
    };
    match stream {
        Ok(s) => Ok(ctx.wrap(StreamHandle::new(Some(Io::Unix(s)))).value()),
        Err(e) => Err(crate::uv::exception(ctx, &e, "spawn", None, None)),
    }
}

/// `spawn(owner, options)` → `{ err, pid, handle, pipes: [stream handle or undefined,
/// ...] }`: `err` a negative errno (no pid nor handle then) or 0.
fn spawn(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let request = parse_request(args.get(1).expect_object()?)?;
    let mut pipes = Vec::new();
    let started = start(&request, &mut pipes);
    let result = ctx.object();
    let pipes = pipes.into_iter().map(|p| match p {
        Some(fd) => stream_handle(ctx, fd),
        None => Ok(ctx.undefined()),
    });
    result.set("pipes", ctx.array_from(pipes)?.value())?;
    let pid = match started {
        Ok(pid) => pid,
        Err(e) => {
            result.set("err", ctx.number(errno(&e) as f64))?;
            return Ok(result.value());
        }
    };
    let child = Rc::new(ChildHandle {
        pid,
        exited: Cell::new(false),
        refed: Cell::new(true),
        counted: Cell::new(false),
        owner: RefCell::new(Some(args.get(0).protect())),
    });
    child.update_ref();
    // Counted as open I/O so the loop waits on the driver (and sees the exit) even
    // when only timers keep it alive.
    runtime::event_loop::open_io_handle();
    spawn_local(watch_exit(child.clone()));
    result.set("err", ctx.number(0.0))?;
    result.set("pid", ctx.number(pid as f64))?;
    result.set("handle", ctx.wrap(child).value())?;
    Ok(result.value())
}

fn child_of(args: &Args) -> JsResult<Child> {
    args.get(0).wrapped::<Child>().cloned().ok_or_else(|| args.ctx.error("not a child process handle"))
}

/// `kill(handle, signal)` → 0 or a negative errno (ESRCH once the child was reaped).
fn kill(args: &Args) -> JsResult<Value> {
    let child = child_of(args)?;
    let signal = args.number(1)? as i32;
    let status = if child.exited.get() {
        -libc::ESRCH
    } else if unsafe { libc::kill(child.pid, signal) } != 0 {
        errno(&io::Error::last_os_error())
    } else {
        0
    };
    Ok(args.ctx.number(status as f64))
}

fn set_ref(args: &Args) -> JsResult<Value> {
    let child = child_of(args)?;
    child.refed.set(args.get(1).to_boolean());
    child.update_ref();
    Ok(args.ctx.undefined())
}

fn has_ref(args: &Args) -> JsResult<Value> {
    let child = child_of(args)?;
    Ok(args.ctx.boolean(child.refed.get() && !child.exited.get()))
}

// --- spawnSync ---------------------------------------------------------------------------

struct SyncLimits {
    input: Option<Vec<u8>>,
    timeout: Option<Duration>,
    kill_signal: i32,
    max_buffer: Option<usize>,
}

struct SyncResult {
    pid: i32,
    output: Vec<Option<Vec<u8>>>,
    status: Option<(i32, i32)>,
    error: i32,
}

fn set_nonblocking(fd: RawFd) {
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
}

/// Runs the child to completion: feeds `input` to its stdin, collects every 'pipe'
/// output, and waits for both its exit and the end of its output (as libuv's spawn_sync
/// does), killing it on timeout or when an output outgrows `maxBuffer`.
fn run_sync(request: &SpawnRequest, limits: SyncLimits) -> SyncResult {
    let mut pipes = Vec::new();
    let pid = match start(request, &mut pipes) {
        Ok(pid) => pid,
        Err(e) => return SyncResult { pid: 0, output: Vec::new(), status: None, error: errno(&e) },
    };
    let deadline = limits.timeout.map(|t| Instant::now() + t);
    let mut error = 0;
    let mut killed = false;
    let mut output: Vec<Option<Vec<u8>>> = Vec::new();
    let mut readers: Vec<(usize, OwnedFd)> = Vec::new();
    let mut stdin: Option<OwnedFd> = None;
    for (i, pipe) in pipes.into_iter().enumerate() {
        // stdin is the child's input: no output slot, as in Node's result.
        output.push(pipe.as_ref().filter(|_| i > 0).map(|_| Vec::new()));
        let Some(fd) = pipe else { continue };
        set_nonblocking(fd.as_raw_fd());
        if i == 0 {
            stdin = Some(fd);
        } else {
            readers.push((i, fd));
        }
    }
    // stdin gets the input, then EOF; an unused stdin is closed right away.
    let input = limits.input.unwrap_or_default();
    let mut written = 0;
    if input.is_empty() {
        stdin = None;
    }
    let pidfd = pidfd_open(pid).ok();
    let mut status = None;
    let mut buf = vec![0u8; 65536];
    while status.is_none() || !readers.is_empty() {
        // Set to the error to report when the child must be killed.
        let mut kill_for = None;
        let mut fds: Vec<libc::pollfd> = readers.iter().map(|(_, fd)| libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 }).collect();
        if let Some(fd) = &stdin {
            fds.push(libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLOUT, revents: 0 });
        }
        let watch_exit = status.is_none() && pidfd.is_some();
        if let (true, Some(fd)) = (watch_exit, &pidfd) {
            fds.push(libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 });
        }
        let mut wait_ms: i32 = match deadline {
            Some(d) if !killed => d.saturating_duration_since(Instant::now()).as_millis().min(i32::MAX as u128) as i32,
            _ => -1,
        };
        if status.is_none() && pidfd.is_none() {
            wait_ms = if wait_ms < 0 { 5 } else { wait_ms.min(5) };
        }
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, wait_ms) };
        if n < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            break;
        }
        if let Some(d) = deadline {
            if !killed && Instant::now() >= d {
                kill_for = Some(-libc::ETIMEDOUT);
            }
        }
        // Outputs.
        let mut closed = Vec::new();
        for (slot, (index, fd)) in readers.iter().enumerate() {
            if fds[slot].revents == 0 {
                continue;
            }
            loop {
                let r = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
                if r > 0 {
                    let out = output[*index].as_mut().expect("pipe output");
                    out.extend_from_slice(&buf[..r as usize]);
                    if limits.max_buffer.is_some_and(|max| out.len() > max) {
                        kill_for = Some(-libc::ENOBUFS);
                        break;
                    }
                    continue;
                }
                let e = io::Error::last_os_error();
                if r < 0 && e.raw_os_error() == Some(libc::EINTR) {
                    continue;
                }
                if r == 0 || e.raw_os_error() != Some(libc::EAGAIN) {
                    closed.push(slot);
                }
                break;
            }
        }
        // Input.
        if let Some(fd) = &stdin {
            let revents = fds[readers.len()].revents;
            if revents != 0 {
                let r = unsafe { libc::write(fd.as_raw_fd(), input[written..].as_ptr().cast(), input.len() - written) };
                if r > 0 {
                    written += r as usize;
                }
                let failed = r < 0 && !matches!(io::Error::last_os_error().raw_os_error(), Some(libc::EAGAIN | libc::EINTR));
                // EPIPE and the like: the child stopped reading; that is its business.
                if written == input.len() || failed {
                    stdin = None;
                }
            }
        }
        for slot in closed.into_iter().rev() {
            readers.remove(slot);
        }
        if let (Some(code), false) = (kill_for, killed) {
            unsafe { libc::kill(pid, limits.kill_signal) };
            killed = true;
            error = code;
            // Like libuv's spawn_sync, stop reading: a grandchild may hold the pipes.
            readers.clear();
            stdin = None;
        }
        if status.is_none() {
            status = try_reap(pid);
        }
    }
    SyncResult { pid, output, status, error }
}

/// `spawnSync(options)` with `input` (bytes for stdin), `timeout` (ms), `killSignal`
/// (number) and `maxBuffer` in options → `{ pid, output, status, signal, error }`, where
/// `signal` is a number (0 for none) and `error` a negative errno (0 for none).
fn spawn_sync(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let options = args.get(0).expect_object()?;
    let request = parse_request(options)?;
    let input = options.get("input")?;
    let timeout = options.get("timeout")?;
    let max_buffer = options.get("maxBuffer")?;
    let limits = SyncLimits {
        input: input.bytes().map(|b| b.to_vec()),
        timeout: match timeout.to_number()? {
            t if t > 0.0 && t.is_finite() => Some(Duration::from_secs_f64(t / 1000.0)),
            _ => None,
        },
        kill_signal: options.get("killSignal")?.to_number()? as i32,
        max_buffer: match max_buffer.to_number()? {
            m if m.is_finite() && m >= 0.0 => Some(m as usize),
            _ => None,
        },
    };
    let result = run_sync(&request, limits);
    let out = ctx.object();
    out.set("pid", ctx.number(result.pid as f64))?;
    out.set("error", ctx.number(result.error as f64))?;
    if let Some((code, signal)) = result.status {
        out.set("status", ctx.number(code as f64))?;
        out.set("signal", ctx.number(signal as f64))?;
    }
    if !result.output.is_empty() {
        let items = result.output.into_iter().map(|o| match o {
            Some(bytes) => Ok(ctx.uint8_array(bytes)?.value()),
            None => Ok(ctx.null()),
        });
        out.set("output", ctx.array_from(items)?.value())?;
    }
    Ok(out.value())
}

/// `openChannel(fd)`: the IPC channel a parent passed as NODE_CHANNEL_FD, as a stream
/// handle (kept out of this process's own children).
fn open_channel(args: &Args) -> JsResult<Value> {
    let fd = args.number(0)? as RawFd;
    let owned = dup_cloexec(fd, 3).map_err(|e| crate::uv::exception(args.ctx, &e, "open", None, None))?;
    unsafe { libc::close(fd) };
    stream_handle(args.ctx, owned)
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("openChannel", open_channel)?;
    b.set_function("setExitCallback", |args| {
        ON_EXIT.with(|f| *f.borrow_mut() = Some(args.get(0).protect()));
        Ok(args.ctx.undefined())
    })?;
    b.set_function("spawn", spawn)?;
    b.set_function("spawnSync", spawn_sync)?;
    b.set_function("kill", kill)?;
    b.set_function("setRef", set_ref)?;
    b.set_function("hasRef", has_ref)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(file: &str, args: &[&str], stdio: Vec<StdioSpec>) -> SpawnRequest {
        SpawnRequest {
            file: file.into(),
            args: args.iter().map(|s| s.to_string()).collect(),
            cwd: None,
            env: None,
            stdio,
            detached: false,
            uid: None,
            gid: None,
        }
    }

    fn limits(input: &[u8]) -> SyncLimits {
        SyncLimits { input: Some(input.to_vec()), timeout: None, kill_signal: libc::SIGTERM, max_buffer: None }
    }

    #[test]
    fn runs_and_collects_output() {
        let r = run_sync(&request("sh", &["sh", "-c", "cat; echo err >&2; exit 3"], vec![StdioSpec::Pipe, StdioSpec::Pipe, StdioSpec::Pipe]), limits(b"in\n"));
        assert_eq!(r.error, 0);
        assert_eq!(r.status, Some((3, 0)));
        assert_eq!(r.output[1].as_deref(), Some(&b"in\n"[..]));
        assert_eq!(r.output[2].as_deref(), Some(&b"err\n"[..]));
    }

    #[test]
    fn missing_program_is_enoent() {
        let r = run_sync(&request("no-such-program-here", &["x"], vec![]), limits(b""));
        assert_eq!(r.error, -libc::ENOENT);
    }

    #[test]
    fn timeout_kills() {
        let mut l = limits(b"");
        l.timeout = Some(Duration::from_millis(50));
        let r = run_sync(&request("sleep", &["sleep", "5"], vec![StdioSpec::Ignore, StdioSpec::Pipe, StdioSpec::Ignore]), l);
        assert_eq!(r.error, -libc::ETIMEDOUT);
        assert_eq!(r.status, Some((0, libc::SIGTERM)));
    }

    #[test]
    fn extra_fds_reach_the_child() {
        let r = run_sync(&request("sh", &["sh", "-c", "echo three >&3"], vec![StdioSpec::Ignore, StdioSpec::Ignore, StdioSpec::Ignore, StdioSpec::Pipe]), limits(b""));
        assert_eq!(r.output[3].as_deref(), Some(&b"three\n"[..]));
    }
}
