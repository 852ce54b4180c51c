//! Signal watchers for `process.on('SIGINT', ...)`: a handler that writes the signal
//! number into a self-pipe, read by a task on the JS thread that hands each signal to JS.
//! Stopping a watcher sets the default action, as libuv does: a program with no listeners
//! left dies of the signal (even SIGUSR1 and SIGPIPE, ignored until a listener came).
//!
//! Watchers don't keep the loop alive (Node unrefs its signal handles).
//!
//! SIGUSR1 without a listener starts Node's inspector and the program goes on; ferro has
//! no inspector, so the signal is ignored (by a handler, so that children start with the
//! default action). JavaScriptCore suspends its threads with another signal (see
//! jsc::configure_engine).

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::event_loop::{close_io_handle, complete_local, open_io_handle, spawn_local, tokio_handle};
use std::cell::RefCell;
use std::collections::HashSet;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicI32, Ordering};

/// The self-pipe's write end, for the handler.
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(signal: libc::c_int) {
    let saved = unsafe { *libc::__errno_location() };
    let byte = signal as u8;
    let fd = PIPE_WRITE.load(Ordering::Relaxed);
    if fd >= 0 {
        unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
    }
    unsafe { *libc::__errno_location() = saved };
}

thread_local! {
    /// `onSignal(signalNumber)`, set once by JS.
    static CALLBACK: RefCell<Option<Protected>> = const { RefCell::new(None) };
    static WATCHED: RefCell<HashSet<i32>> = RefCell::new(HashSet::new());
    static READER_STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn start_reader() -> io::Result<()> {
    if READER_STARTED.with(|s| s.get()) {
        return Ok(());
    }
    let mut fds = [0 as RawFd; 2];
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let receiver = {
        let _runtime = tokio_handle().enter();
        tokio::net::unix::pipe::Receiver::from_owned_fd(read)?
    };
    // The write end lives as long as the process.
    PIPE_WRITE.store(std::os::fd::IntoRawFd::into_raw_fd(write), Ordering::Relaxed);
    READER_STARTED.with(|s| s.set(true));
    spawn_local(async move {
        let mut buf = [0u8; 64];
        loop {
            if receiver.readable().await.is_err() {
                return;
            }
            let n = match receiver.try_read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            for &signal in &buf[..n] {
                complete_local(move |ctx| deliver(ctx, signal as i32));
            }
        }
    });
    Ok(())
}

fn deliver(ctx: Ctx, signal: i32) -> JsResult<()> {
    // A signal that arrived just before its watcher stopped is dropped.
    if !WATCHED.with(|w| w.borrow().contains(&signal)) {
        return Ok(());
    }
    let Some(callback) = CALLBACK.with(|c| c.borrow().as_ref().map(|p| p.value())) else { return Ok(()) };
    callback.expect_object()?.call(None, &[ctx.number(signal as f64)])?;
    Ok(())
}

/// Installs our handler.
fn install(signal: i32) -> io::Result<()> {
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

/// `start(signal)` → 0 or a negative errno (EINVAL for SIGKILL, SIGSTOP, bad numbers).
fn start(args: &Args) -> JsResult<Value> {
    let signal = args.number(0)? as i32;
    if WATCHED.with(|w| w.borrow().contains(&signal)) {
        return Ok(args.ctx.number(0.0));
    }
    let started = (|| {
        if !(1..64).contains(&signal) || signal == libc::SIGKILL || signal == libc::SIGSTOP {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
        start_reader()?;
        install(signal)
    })();
    Ok(args.ctx.number(match started {
        Ok(()) => {
            WATCHED.with(|w| w.borrow_mut().insert(signal));
            // An open handle makes the loop wait on the I/O driver, where signals arrive.
            open_io_handle();
            0.0
        }
        Err(e) => -e.raw_os_error().unwrap_or(libc::EINVAL) as f64,
    }))
}

/// `stop(signal)`: the default action again.
fn stop(args: &Args) -> JsResult<Value> {
    let signal = args.number(0)? as i32;
    if WATCHED.with(|w| w.borrow_mut().remove(&signal)) {
        unsafe { libc::signal(signal, libc::SIG_DFL) };
        close_io_handle();
    }
    Ok(args.ctx.undefined())
}

extern "C" fn ignore_signal(_: libc::c_int) {}

/// The main thread's signal defaults, set before the program runs (see the module doc).
pub fn install_process_defaults() {
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut());
    }
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("setSignalCallback", |args| {
        CALLBACK.with(|c| *c.borrow_mut() = Some(args.get(0).protect()));
        Ok(args.ctx.undefined())
    })?;
    b.set_function("start", start)?;
    b.set_function("stop", stop)?;
    Ok(b)
}
