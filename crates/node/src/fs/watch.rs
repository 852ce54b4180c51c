//! fs.watch on Linux: one inotify descriptor per watcher, read by an I/O task on the JS
//! thread. Events are reported as libuv names them: 'change' for content and attribute
//! changes, 'rename' for anything that creates, removes or moves an entry.

use jsc::{Args, JsResult, Protected, Value};
use runtime::event_loop::{complete_local, ref_handle, spawn_local, tokio_handle, unref_handle};
use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::rc::Rc;
use tokio::io::unix::AsyncFd;

const CHANGE: u32 = libc::IN_ATTRIB | libc::IN_MODIFY;
const RENAME: u32 =
    libc::IN_CREATE | libc::IN_DELETE | libc::IN_DELETE_SELF | libc::IN_MOVE_SELF | libc::IN_MOVED_FROM | libc::IN_MOVED_TO;

struct Watcher {
    task: RefCell<Option<tokio::task::JoinHandle<()>>>,
    refed: Cell<bool>,
    /// `(eventType, filename)` for each event; dropped when the watcher closes.
    on_change: RefCell<Option<Protected>>,
}

impl Watcher {
    fn set_ref(&self, refed: bool) {
        if self.task.borrow().is_some() && refed != self.refed.get() {
            if refed {
                ref_handle()
            } else {
                unref_handle()
            }
        }
        self.refed.set(refed);
    }

    fn close(&self) {
        if let Some(task) = self.task.borrow_mut().take() {
            task.abort();
            runtime::event_loop::close_io_handle();
            if self.refed.get() {
                unref_handle();
            }
        }
        self.on_change.borrow_mut().take();
    }
}

fn watcher_of(args: &Args) -> JsResult<Rc<Watcher>> {
    args.get(0).wrapped::<Rc<Watcher>>().cloned().ok_or_else(|| args.ctx.error("not a watcher"))
}

/// `watchStart(onChange(eventType, filename, isSelf), path)` → a watcher; throws Node's
/// error. `filename` is the entry's name inside a watched directory, or, with `isSelf`,
/// the watched path's own name (the event is about the path itself).
/// (The callback comes first: fs ops whose last argument is a function run on the pool.)
fn watch_start(args: &Args) -> JsResult<Value> {
    let path = args.string(1)?;
    let own_name = std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let opened = (|| -> io::Result<AsyncFd<OwnedFd>> {
        // SAFETY: plain system calls; the descriptor is owned from here on.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let c = std::ffi::CString::new(path.as_str()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        // SAFETY: c is NUL-terminated.
        if unsafe { libc::inotify_add_watch(fd.as_raw_fd(), c.as_ptr(), CHANGE | RENAME) } < 0 {
            return Err(io::Error::last_os_error());
        }
        let _runtime = tokio_handle().enter();
        // SAFETY: the AsyncFd owns the descriptor, which stays open as long as it does.
        Ok(unsafe { AsyncFd::register(fd) }?)
    })();
    let fd = match opened {
        Ok(fd) => fd,
        Err(e) => {
            let error = crate::uv::exception(args.ctx, &e, "watch", Some(&path), None);
            // Node's watch errors also name the file as `filename`.
            error.expect_object()?.set("filename", args.ctx.string(&path))?;
            return Err(error);
        }
    };
    let watcher = Rc::new(Watcher { task: RefCell::new(None), refed: Cell::new(true), on_change: RefCell::new(Some(args.get(0).protect())) });
    let w = watcher.clone();
    *watcher.task.borrow_mut() = Some(spawn_local(read_events(fd, w, own_name)));
    runtime::event_loop::open_io_handle();
    ref_handle();
    Ok(args.ctx.wrap(watcher).value())
}

async fn read_events(fd: AsyncFd<OwnedFd>, watcher: Rc<Watcher>, own_name: String) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let Ok(mut guard) = fd.readable().await else { return };
        // SAFETY: reading into our own buffer.
        let n = unsafe { libc::read(fd.get_ref().as_raw_fd(), buf.as_mut_ptr() as *mut libc::c_void, buf.len()) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock {
                guard.clear_ready();
            }
            continue;
        }
        let mut events = Vec::new();
        let mut at = 0;
        let header = std::mem::size_of::<libc::inotify_event>();
        while at + header <= n as usize {
            // SAFETY: the kernel wrote whole inotify_event records into buf[..n].
            let event = unsafe { std::ptr::read_unaligned(buf.as_ptr().add(at) as *const libc::inotify_event) };
            let name_bytes = &buf[at + header..at + header + event.len as usize];
            let name = String::from_utf8_lossy(name_bytes.split(|&b| b == 0).next().unwrap_or(&[])).into_owned();
            at += header + event.len as usize;
            let kind = if event.mask & RENAME != 0 { "rename" } else if event.mask & CHANGE != 0 { "change" } else { continue };
            let is_self = name.is_empty();
            events.push((kind, if is_self { own_name.clone() } else { name }, is_self));
        }
        let w = watcher.clone();
        complete_local(move |ctx| {
            for (kind, name, is_self) in events {
                let Some(callback) = w.on_change.borrow().as_ref().map(|p| p.value()) else { break };
                callback.expect_object()?.call(None, &[ctx.string(kind), ctx.string(&name), ctx.boolean(is_self)])?;
            }
            Ok(())
        });
    }
}

pub fn add_ops(b: jsc::Object) -> JsResult<()> {
    b.set_function("watchStart", watch_start)?;
    b.set_function("watchClose", |args| {
        watcher_of(args)?.close();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("watchRef", |args| {
        watcher_of(args)?.set_ref(args.get(1).to_boolean());
        Ok(args.ctx.undefined())
    })?;
    Ok(())
}
