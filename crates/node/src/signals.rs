//! Signal watchers for `process.on('SIGINT', ...)`: a handler that writes the signal
//! number into a self-pipe, read by a task on the JS thread that hands each signal to JS.
//! Stopping a watcher restores the default action, so a program with no listeners left
//! dies of the signal again, as under libuv.
//!
//! Watchers don't keep the loop alive (Node unrefs its signal handles).
//!
//! JavaScriptCore suspends its threads with SIGUSR1 sent by pthread_kill, so a
//! thread-directed signal (SI_TKILL) still goes to the handler that was there before.

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::event_loop::{close_io_handle, complete_local, open_io_handle, spawn_local, tokio_handle};
use std::cell::RefCell;
use std::collections::HashSet;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

/// The self-pipe's write end, for the handler.
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);

/// Per signal, the handler installed before ours when it took siginfo (0 otherwise).
static PREVIOUS_SIGINFO_HANDLER: [AtomicUsize; 65] = [const { AtomicUsize::new(0) }; 65];

type SigInfoHandler = extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);

extern "C" fn on_signal(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    let previous = PREVIOUS_SIGINFO_HANDLER.get(signal as usize).map_or(0, |p| p.load(Ordering::Relaxed));
    if previous != 0 && !info.is_null() && unsafe { (*info).si_code } == libc::SI_TKILL {
        let handler: SigInfoHandler = unsafe { std::mem::transmute(previous) };
        handler(signal, info, context);
        return;
    }
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
    /// The actions our handler replaced, restored when their watcher stops.
    static REPLACED: RefCell<HashMap<i32, libc::sigaction>> = RefCell::new(HashMap::new());
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

/// Installs our handler and returns the action it replaced.
fn install(signal: i32) -> io::Result<libc::sigaction> {
    unsafe {
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(signal, std::ptr::null(), &mut previous) != 0 {
            return Err(io::Error::last_os_error());
        }
        let chained = previous.sa_flags & libc::SA_SIGINFO != 0 && previous.sa_sigaction > libc::SIG_IGN;
        PREVIOUS_SIGINFO_HANDLER[signal as usize].store(if chained { previous.sa_sigaction } else { 0 }, Ordering::Relaxed);
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as SigInfoHandler as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART | libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(previous)
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
        Ok(previous) => {
            REPLACED.with(|r| r.borrow_mut().insert(signal, previous));
            WATCHED.with(|w| w.borrow_mut().insert(signal));
            // An open handle makes the loop wait on the I/O driver, where signals arrive.
            open_io_handle();
            0.0
        }
        Err(e) => -e.raw_os_error().unwrap_or(libc::EINVAL) as f64,
    }))
}

/// `stop(signal)`: back to the action from before the watcher (the default action, or
/// ignoring SIGPIPE as Node does, or JavaScriptCore's handler).
fn stop(args: &Args) -> JsResult<Value> {
    let signal = args.number(0)? as i32;
    if WATCHED.with(|w| w.borrow_mut().remove(&signal)) {
        if let Some(previous) = REPLACED.with(|r| r.borrow_mut().remove(&signal)) {
            unsafe { libc::sigaction(signal, &previous, std::ptr::null_mut()) };
        }
        close_io_handle();
    }
    Ok(args.ctx.undefined())
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
