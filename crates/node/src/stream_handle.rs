//! Byte-stream handles shared by node:net, child process pipes and stdio: a connected
//! socket or pipe end owned by a JS object, read by an I/O task on the JS thread and written
//! synchronously when the kernel takes the bytes (queued behind the earlier writes when it
//! doesn't), like libuv's streams.
//!
//! JS sees a handle as an opaque wrapped object and drives it through the ops of the
//! `stream` part of the net binding; results come back through callbacks registered once
//! with `setStreamCallbacks`, each called with the handle's owner (the JS object given at
//! creation) as first argument.

use jsc::{Args, Ctx, JsResult, Object, Protected, StringChars, Value};
use runtime::event_loop::{complete_local, ref_handle, spawn_local, unref_handle};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use tokio::io::Interest;
use tokio::net::{unix::pipe, TcpStream, UnixStream};
use tokio::sync::Notify;

/// libuv's end-of-stream status for `onread`.
pub const UV_EOF: i32 = -4095;

/// Largest read handed to JS at once, as libuv's 64 KiB read buffers.
const READ_SIZE: usize = 65536;

pub enum Io {
    Tcp(TcpStream),
    Unix(UnixStream),
    PipeRead(pipe::Receiver),
    PipeWrite(pipe::Sender),
}

impl Io {
    async fn readable(&self) -> io::Result<()> {
        match self {
            Io::Tcp(s) => s.readable().await,
            Io::Unix(s) => s.readable().await,
            Io::PipeRead(p) => p.readable().await,
            Io::PipeWrite(_) => Err(io::Error::from_raw_os_error(libc::ENOTSUP)),
        }
    }

    /// Reads what is available. A read that doesn't fill `buf` drained the kernel's buffer,
    /// so the readiness is cleared right away (as libuv stops after a short read) instead
    /// of by one more read failing with EAGAIN.
    fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        let mut short = None;
        let read = || {
            let n = read_fd(self.fd(), buf)?;
            if n > 0 && n < buf.len() {
                short = Some(n);
                return Err(io::ErrorKind::WouldBlock.into());
            }
            Ok(n)
        };
        let result = match self {
            Io::Tcp(s) => s.try_io(Interest::READABLE, read),
            Io::Unix(s) => s.try_io(Interest::READABLE, read),
            Io::PipeRead(p) => p.try_io(read),
            Io::PipeWrite(_) => return Err(io::Error::from_raw_os_error(libc::ENOTSUP)),
        };
        short.map_or(result, Ok)
    }

    /// [`Io::try_read`] for an IPC channel: also takes the descriptors sent along with the
    /// bytes (SCM_RIGHTS), appended to `fds`. A short read proves nothing here (the kernel
    /// stops at each message that carries descriptors), so only EAGAIN clears readiness.
    fn try_read_ipc(&self, buf: &mut [u8], fds: &mut Vec<OwnedFd>) -> io::Result<usize> {
        let Io::Unix(s) = self else { return self.try_read(buf) };
        s.try_io(Interest::READABLE, || recv_with_fds(self.fd(), buf, fds))
    }

    /// Writes `bytes` with descriptor `pass` attached (it reaches the peer with the first
    /// byte taken). Unix sockets only.
    fn try_send_with_fd(&self, bytes: &[u8], pass: RawFd) -> io::Result<usize> {
        match self {
            Io::Unix(s) => s.try_io(Interest::WRITABLE, || send_with_fd(self.fd(), bytes, pass)),
            _ => Err(io::Error::from_raw_os_error(libc::ENOTSUP)),
        }
    }

    fn fd(&self) -> RawFd {
        match self {
            Io::Tcp(s) => s.as_raw_fd(),
            Io::Unix(s) => s.as_raw_fd(),
            Io::PipeRead(p) => p.as_raw_fd(),
            Io::PipeWrite(p) => p.as_raw_fd(),
        }
    }

    async fn writable(&self) -> io::Result<()> {
        match self {
            Io::Tcp(s) => s.writable().await,
            Io::Unix(s) => s.writable().await,
            Io::PipeWrite(p) => p.writable().await,
            Io::PipeRead(_) => Err(io::Error::from_raw_os_error(libc::ENOTSUP)),
        }
    }

    /// Writes what the kernel takes now. tokio knows nothing of a descriptor's readiness
    /// until its driver next polls, and says WouldBlock meanwhile: then the descriptor is
    /// tried directly, so that the first write on a new socket is not put off a loop turn.
    fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        let result = match self {
            Io::Tcp(s) => s.try_write(buf),
            Io::Unix(s) => s.try_write(buf),
            Io::PipeWrite(p) => p.try_write(buf),
            Io::PipeRead(_) => return Err(io::Error::from_raw_os_error(libc::ENOTSUP)),
        };
        match result {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => write_fd(self.fd(), buf),
            other => other,
        }
    }

    fn try_write_vectored(&self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let result = match self {
            Io::Tcp(s) => s.try_write_vectored(bufs),
            Io::Unix(s) => s.try_write_vectored(bufs),
            Io::PipeWrite(p) => p.try_write_vectored(bufs),
            Io::PipeRead(_) => return Err(io::Error::from_raw_os_error(libc::ENOTSUP)),
        };
        match result {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => writev_fd(self.fd(), bufs),
            other => other,
        }
    }

    fn shutdown_write(&self) -> io::Result<()> {
        match self {
            Io::Tcp(s) => socket2::SockRef::from(s).shutdown(std::net::Shutdown::Write),
            Io::Unix(s) => socket2::SockRef::from(s).shutdown(std::net::Shutdown::Write),
            Io::PipeRead(_) | Io::PipeWrite(_) => Ok(()),
        }
    }

    pub fn tcp(&self) -> Option<&TcpStream> {
        match self {
            Io::Tcp(s) => Some(s),
            _ => None,
        }
    }
}

/// A write the kernel hasn't fully taken yet.
struct PendingWrite {
    bytes: Vec<u8>,
    written: usize,
    /// The JS write request, or None for a shutdown queued behind the writes.
    request: Option<Protected>,
    shutdown: bool,
    /// A descriptor to send with the first bytes that go out (IPC handle passing).
    pass: Option<OwnedFd>,
}

pub struct StreamHandle {
    io: RefCell<Option<Rc<Io>>>,
    owner: RefCell<Option<Protected>>,
    reading: Cell<bool>,
    read_wake: Rc<Notify>,
    /// Reads that arrived after JS stopped reading, delivered when it starts again.
    held_reads: RefCell<VecDeque<(i32, Option<Vec<u8>>)>>,
    read_task: RefCell<Option<tokio::task::JoinHandle<()>>>,
    writes: RefCell<VecDeque<PendingWrite>>,
    write_wake: Rc<Notify>,
    write_task: RefCell<Option<tokio::task::JoinHandle<()>>>,
    /// Operations in flight other than reads and writes (connect, shutdown).
    pending_ops: Cell<u32>,
    refed: Cell<bool>,
    /// Whether this handle currently counts in the loop's alive handles.
    counted: Cell<bool>,
    /// Closed by JS: a connect still in flight finds nothing to attach to.
    closed: Cell<bool>,
    /// An IPC channel reads with recvmsg and keeps the descriptors that come along, oldest
    /// first, until JS takes them for the messages they belong to.
    ipc: Cell<bool>,
    received_fds: RefCell<VecDeque<OwnedFd>>,
}

pub type Handle = Rc<StreamHandle>;

thread_local! {
    static CALLBACKS: RefCell<Option<Callbacks>> = const { RefCell::new(None) };
}

struct Callbacks {
    on_read: Protected,
    on_write_done: Protected,
    on_shutdown: Protected,
}

/// `setStreamCallbacks(onRead(owner, status, arrayBuffer), onWriteDone(owner, req, status),
/// onShutdown(owner, req, status))`.
pub fn set_callbacks(args: &Args) -> JsResult<Value> {
    let callbacks = Callbacks {
        on_read: args.get(0).protect(),
        on_write_done: args.get(1).protect(),
        on_shutdown: args.get(2).protect(),
    };
    CALLBACKS.with(|c| *c.borrow_mut() = Some(callbacks));
    Ok(args.ctx.undefined())
}

fn call_back(ctx: Ctx, pick: impl Fn(&Callbacks) -> Value, args: &[Value]) -> JsResult<()> {
    let f = CALLBACKS.with(|c| c.borrow().as_ref().map(&pick)).ok_or_else(|| ctx.error("stream callbacks not set"))?;
    f.expect_object()?.call(None, args)?;
    Ok(())
}

fn read_fd(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of its length; `fd` is open while its Io lives.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

fn write_fd(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for reads of its length; `fd` is open while its Io lives.
    let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

fn writev_fd(fd: RawFd, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
    // Linux's IOV_MAX: writev takes no more slices than that.
    const IOV_MAX: usize = 1024;
    // SAFETY: IoSlice is ABI-compatible with iovec; at most IOV_MAX slices are passed.
    let count = bufs.len().min(IOV_MAX) as libc::c_int;
    let n = unsafe { libc::writev(fd, bufs.as_ptr().cast(), count) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Room for the descriptors one recvmsg can bring (libuv's IPC reads take a few at most).
const MAX_FDS_PER_READ: usize = 16;

/// `recvmsg` into `buf`; descriptors passed with SCM_RIGHTS are appended to `fds`.
fn recv_with_fds(fd: RawFd, buf: &mut [u8], fds: &mut Vec<OwnedFd>) -> io::Result<usize> {
    // u64s keep the control buffer aligned for cmsghdr.
    let mut control = [0u64; (MAX_FDS_PER_READ * 4 + 64) / 8];
    let mut iov = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: buf.len() };
    // SAFETY: a zeroed msghdr is valid; it points at `iov` and `control`, which outlive the
    // call, and the kernel writes at most `msg_controllen` bytes of control data.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        let n = libc::recvmsg(fd, &mut msg, libc::MSG_CMSG_CLOEXEC);
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg) as *const RawFd;
                let count = ((*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize) / std::mem::size_of::<RawFd>();
                for i in 0..count {
                    fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
        Ok(n as usize)
    }
}

/// `sendmsg` of `bytes` with descriptor `pass` attached (SCM_RIGHTS).
fn send_with_fd(fd: RawFd, bytes: &[u8], pass: RawFd) -> io::Result<usize> {
    let mut control = [0u64; 4];
    let mut iov = libc::iovec { iov_base: bytes.as_ptr() as *mut _, iov_len: bytes.len() };
    // SAFETY: as in `recv_with_fds`; CMSG_SPACE of one descriptor fits in `control`.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) as _;
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
        (libc::CMSG_DATA(cmsg) as *mut RawFd).write_unaligned(pass);
        let n = libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL);
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }
}

pub fn errno_of(e: &io::Error) -> i32 {
    -e.raw_os_error().unwrap_or(libc::EIO)
}

impl StreamHandle {
    pub fn new(io: Option<Io>) -> Handle {
        if io.is_some() {
            runtime::event_loop::open_io_handle();
        }
        Rc::new(StreamHandle {
            io: RefCell::new(io.map(Rc::new)),
            owner: RefCell::new(None),
            reading: Cell::new(false),
            read_wake: Rc::new(Notify::new()),
            held_reads: RefCell::new(VecDeque::new()),
            read_task: RefCell::new(None),
            writes: RefCell::new(VecDeque::new()),
            write_wake: Rc::new(Notify::new()),
            write_task: RefCell::new(None),
            pending_ops: Cell::new(0),
            refed: Cell::new(true),
            counted: Cell::new(false),
            closed: Cell::new(false),
            ipc: Cell::new(false),
            received_fds: RefCell::new(VecDeque::new()),
        })
    }

    pub fn is_closed(&self) -> bool {
        self.closed.get()
    }

    /// Gives a handle created without I/O (before connect) its connection.
    pub fn attach(&self, io: Io) {
        runtime::event_loop::open_io_handle();
        *self.io.borrow_mut() = Some(Rc::new(io));
    }

    pub fn io(&self) -> Option<Rc<Io>> {
        self.io.borrow().clone()
    }

    pub fn owner(&self) -> Option<Value> {
        self.owner.borrow().as_ref().map(|p| p.value())
    }

    pub fn set_owner(&self, owner: Value) {
        *self.owner.borrow_mut() = Some(owner.protect());
    }

    /// libuv's rules: a handle keeps the loop alive while it is reading and referenced; a
    /// request in flight (connect, write, shutdown) does even when the handle is unref'd.
    /// A connect in flight counts before there is a descriptor.
    fn update_ref(&self) {
        let requests = self.pending_ops.get() > 0 || !self.writes.borrow().is_empty();
        let reading = self.io.borrow().is_some() && self.reading.get();
        let want = requests || (reading && self.refed.get());
        if want != self.counted.get() {
            self.counted.set(want);
            if want {
                ref_handle()
            } else {
                unref_handle()
            }
        }
    }

    pub fn begin_op(&self) {
        self.pending_ops.set(self.pending_ops.get() + 1);
        self.update_ref();
    }

    pub fn end_op(&self) {
        self.pending_ops.set(self.pending_ops.get().saturating_sub(1));
        self.update_ref();
    }

    pub fn set_ref(&self, refed: bool) {
        self.refed.set(refed);
        self.update_ref();
    }

    pub fn read_start(self: &Rc<Self>) -> i32 {
        let Some(io) = self.io() else { return -libc::ENOTCONN };
        let was_reading = self.reading.replace(true);
        self.update_ref();
        if !self.held_reads.borrow().is_empty() {
            let handle = self.clone();
            complete_local(move |ctx| deliver_held_reads(ctx, &handle));
        }
        if self.read_task.borrow().is_none() {
            let handle = self.clone();
            *self.read_task.borrow_mut() = Some(spawn_local(read_loop(handle, io)));
        } else if !was_reading {
            self.read_wake.notify_one();
        }
        0
    }

    pub fn read_stop(&self) {
        self.reading.set(false);
        self.update_ref();
    }

    /// Writes what the kernel takes now; queues the rest. Returns 0 when all was written
    /// (the request is done), 1 when the request completes later through `onWriteDone`,
    /// or a negative errno.
    pub fn write(self: &Rc<Self>, bytes: &[u8], request: Value) -> i32 {
        let Some(io) = self.io() else { return -libc::EBADF };
        let mut written = 0;
        if self.writes.borrow().is_empty() {
            while written < bytes.len() {
                match io.try_write(&bytes[written..]) {
                    Ok(n) => written += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return errno_of(&e),
                }
            }
            if written == bytes.len() {
                return 0;
            }
        }
        self.queue_write(bytes[written..].to_vec(), request, io, None)
    }

    /// Like [`StreamHandle::write`], with descriptor `pass` sent along (duplicated when the
    /// write has to wait, so the caller may close its copy right away).
    pub fn write_with_fd(self: &Rc<Self>, bytes: &[u8], pass: RawFd, request: Value) -> i32 {
        let Some(io) = self.io() else { return -libc::EBADF };
        if self.writes.borrow().is_empty() {
            loop {
                match io.try_send_with_fd(bytes, pass) {
                    Ok(n) if n == bytes.len() => return 0,
                    Ok(n) => return self.queue_write(bytes[n..].to_vec(), request, io, None),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return errno_of(&e),
                }
            }
        }
        // SAFETY: fcntl on a descriptor number; a bad one fails with EBADF.
        let copy = unsafe { libc::fcntl(pass, libc::F_DUPFD_CLOEXEC, 0) };
        if copy < 0 {
            return errno_of(&io::Error::last_os_error());
        }
        // SAFETY: `copy` was just created and is owned by nothing else.
        let copy = unsafe { OwnedFd::from_raw_fd(copy) };
        self.queue_write(bytes.to_vec(), request, io, Some(copy))
    }

    pub fn set_ipc(&self) {
        self.ipc.set(true);
    }

    /// The oldest descriptor received on an IPC channel and not yet taken.
    pub fn take_received_fd(&self) -> Option<OwnedFd> {
        self.received_fds.borrow_mut().pop_front()
    }

    fn queue_write(self: &Rc<Self>, bytes: Vec<u8>, request: Value, io: Rc<Io>, pass: Option<OwnedFd>) -> i32 {
        self.writes.borrow_mut().push_back(PendingWrite { bytes, written: 0, request: Some(request.protect()), shutdown: false, pass });
        self.ensure_writer(io);
        1
    }

    /// Half-closes the writing side: at once when no write is queued (returns 1), else once
    /// the queued writes are out (returns 0; `onShutdown` reports it). Or a negative errno.
    pub fn shutdown(self: &Rc<Self>, request: Value) -> i32 {
        let Some(io) = self.io() else { return -libc::ENOTCONN };
        if self.writes.borrow().is_empty() {
            return io.shutdown_write().map_or_else(|e| errno_of(&e), |_| 1);
        }
        self.writes.borrow_mut().push_back(PendingWrite { bytes: Vec::new(), written: 0, request: Some(request.protect()), shutdown: true, pass: None });
        self.ensure_writer(io);
        0
    }

    fn ensure_writer(self: &Rc<Self>, io: Rc<Io>) {
        self.update_ref();
        if self.write_task.borrow().is_none() {
            *self.write_task.borrow_mut() = Some(spawn_local(write_loop(self.clone(), io)));
        } else {
            self.write_wake.notify_one();
        }
    }

    /// Like [`StreamHandle::write`] for several chunks, handed to the kernel in one call.
    pub fn write_vectored(self: &Rc<Self>, chunks: &[&[u8]], request: Value) -> i32 {
        let Some(io) = self.io() else { return -libc::EBADF };
        let total: usize = chunks.iter().map(|c| c.len()).sum();
        let mut written = 0;
        if self.writes.borrow().is_empty() {
            while written < total {
                // The chunks not yet (fully) written.
                let mut skip = written;
                let mut slices = Vec::with_capacity(chunks.len());
                for chunk in chunks {
                    if skip >= chunk.len() {
                        skip -= chunk.len();
                        continue;
                    }
                    slices.push(io::IoSlice::new(&chunk[skip..]));
                    skip = 0;
                }
                match io.try_write_vectored(&slices) {
                    Ok(n) => written += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return errno_of(&e),
                }
            }
            if written == total {
                return 0;
            }
        }
        let mut rest = Vec::with_capacity(total - written);
        let mut skip = written;
        for chunk in chunks {
            if skip >= chunk.len() {
                skip -= chunk.len();
                continue;
            }
            rest.extend_from_slice(&chunk[skip..]);
            skip = 0;
        }
        self.queue_write(rest, request, io, None)
    }

    pub fn write_queue_size(&self) -> usize {
        self.writes.borrow().iter().map(|w| w.bytes.len() - w.written).sum()
    }

    /// Closes the descriptor; pending writes are dropped without callbacks, as libuv
    /// cancels them when the handle closes.
    pub fn close(&self) {
        self.closed.set(true);
        if let Some(task) = self.read_task.borrow_mut().take() {
            task.abort();
        }
        if let Some(task) = self.write_task.borrow_mut().take() {
            task.abort();
        }
        self.writes.borrow_mut().clear();
        self.held_reads.borrow_mut().clear();
        self.received_fds.borrow_mut().clear();
        self.reading.set(false);
        self.pending_ops.set(0);
        if let Some(io) = self.io.borrow_mut().take() {
            // The aborted tasks let go of the descriptor only when the loop next runs them.
            if Rc::strong_count(&io) > 1 {
                release_descriptor_now(io.fd());
            }
            runtime::event_loop::close_io_handle();
        }
        self.update_ref();
        self.owner.borrow_mut().take();
    }
}

/// Closes the socket or pipe behind `fd` at once, as libuv's close does: the peer sees
/// the end now, not a loop turn later (by when data it sent since would make the kernel
/// answer with a reset). `fd` is pointed at /dev/null rather than closed, so the number
/// stays taken until its owner drops it and closes that instead.
fn release_descriptor_now(fd: RawFd) {
    // SAFETY: plain descriptor calls; `fd` stays open (on /dev/null) for its owner.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        if null >= 0 {
            libc::dup3(null, fd, libc::O_CLOEXEC);
            libc::close(null);
        }
    }
}

thread_local! {
    /// One read buffer for all the handles of a thread: every read is copied out at once.
    static READ_BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0u8; READ_SIZE]);
}

async fn read_loop(handle: Handle, io: Rc<Io>) {
    loop {
        while !handle.reading.get() {
            handle.read_wake.notified().await;
        }
        let read = match io.readable().await {
            Err(e) => Err(e),
            Ok(()) => READ_BUFFER.with(|buf| {
                let mut buf = buf.borrow_mut();
                if handle.ipc.get() {
                    let mut fds = Vec::new();
                    let read = io.try_read_ipc(&mut buf, &mut fds);
                    handle.received_fds.borrow_mut().extend(fds);
                    read.map(|n| buf[..n].to_vec())
                } else {
                    io.try_read(&mut buf).map(|n| buf[..n].to_vec())
                }
            }),
        };
        let (status, chunk) = match read {
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) => continue,
            Ok(bytes) if bytes.is_empty() => (UV_EOF, None),
            Ok(bytes) => (bytes.len() as i32, Some(bytes)),
            Err(e) => (errno_of(&e), None),
        };
        let done = chunk.is_none();
        let h = handle.clone();
        complete_local(move |ctx| deliver_read(ctx, &h, status, chunk));
        if done {
            return;
        }
    }
}

/// Hands a read to JS, or holds it when JS stopped reading after it was queued (so no
/// chunk arrives after `readStop`, as with libuv).
fn deliver_read(ctx: Ctx, handle: &Handle, status: i32, chunk: Option<Vec<u8>>) -> JsResult<()> {
    if !handle.reading.get() || !handle.held_reads.borrow().is_empty() {
        handle.held_reads.borrow_mut().push_back((status, chunk));
        return Ok(());
    }
    call_on_read(ctx, handle, status, chunk)
}

fn deliver_held_reads(ctx: Ctx, handle: &Handle) -> JsResult<()> {
    while handle.reading.get() {
        let Some((status, chunk)) = handle.held_reads.borrow_mut().pop_front() else { break };
        call_on_read(ctx, handle, status, chunk)?;
    }
    Ok(())
}

fn call_on_read(ctx: Ctx, handle: &Handle, status: i32, chunk: Option<Vec<u8>>) -> JsResult<()> {
    let Some(owner) = handle.owner() else { return Ok(()) };
    if status < 0 {
        handle.reading.set(false);
        handle.update_ref();
    }
    // An ArrayBuffer: JS views it as a Buffer directly, without a Uint8Array in between.
    let chunk = match chunk {
        Some(bytes) => ctx.array_buffer(bytes)?.value(),
        None => ctx.undefined(),
    };
    call_back(ctx, |c| c.on_read.value(), &[owner, ctx.number(status as f64), chunk])
}

async fn write_loop(handle: Handle, io: Rc<Io>) {
    loop {
        // Take the front write's bytes out while the kernel is written to, so no RefCell
        // borrow is held across an await.
        let front = handle.writes.borrow_mut().pop_front();
        let Some(mut write) = front else {
            handle.write_wake.notified().await;
            continue;
        };
        let status = loop {
            if write.shutdown {
                break io.shutdown_write().map_err(|e| errno_of(&e)).err().unwrap_or(0);
            }
            if write.written == write.bytes.len() {
                break 0;
            }
            if let Err(e) = io.writable().await {
                break errno_of(&e);
            }
            let sent = match &write.pass {
                Some(pass) => io.try_send_with_fd(&write.bytes[write.written..], pass.as_raw_fd()),
                None => io.try_write(&write.bytes[write.written..]),
            };
            match sent {
                Ok(n) => {
                    write.written += n;
                    // The descriptor went with these bytes.
                    write.pass = None;
                }
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) => {}
                Err(e) => break errno_of(&e),
            }
        };
        let h = handle.clone();
        complete_local(move |ctx| {
            h.update_ref();
            let (Some(owner), Some(request)) = (h.owner(), write.request) else { return Ok(()) };
            let pick = if write.shutdown { |c: &Callbacks| c.on_shutdown.value() } else { |c: &Callbacks| c.on_write_done.value() };
            call_back(ctx, pick, &[owner, request.value(), ctx.number(status as f64)])
        });
    }
}

pub fn handle_of(args: &Args, i: usize) -> JsResult<Handle> {
    args.get(i).wrapped::<Handle>().cloned().ok_or_else(|| args.ctx.error("not a stream handle"))
}

/// The ops every stream handle has, added to a binding object.
pub fn add_ops(b: Object) -> JsResult<()> {
    b.set_function("setStreamCallbacks", set_callbacks)?;
    b.set_function("setOwner", |args| {
        handle_of(args, 0)?.set_owner(args.get(1));
        Ok(args.ctx.undefined())
    })?;
    b.set_function("readStart", |args| Ok(args.ctx.number(handle_of(args, 0)?.read_start() as f64)))?;
    b.set_function("readStop", |args| {
        handle_of(args, 0)?.read_stop();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("writeBuffer", write_buffer)?;
    b.set_function("writeString", write_string)?;
    b.set("writeInfo", WRITE_INFO.with(|info| b.value().ctx().shared_f64_array(info))?.value())?;
    b.set_function("writev", writev)?;
    b.set_function("shutdown", |args| Ok(args.ctx.number(handle_of(args, 0)?.shutdown(args.get(1)) as f64)))?;
    b.set_function("close", |args| {
        handle_of(args, 0)?.close();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("setRef", |args| {
        handle_of(args, 0)?.set_ref(args.get(1).to_boolean());
        Ok(args.ctx.undefined())
    })?;
    b.set_function("writeWithHandle", write_with_handle)?;
    b.set_function("setIpc", |args| {
        handle_of(args, 0)?.set_ipc();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("takeReceivedFd", |args| {
        let fd = handle_of(args, 0)?.take_received_fd().map_or(-1, std::os::fd::IntoRawFd::into_raw_fd);
        Ok(args.ctx.number(fd as f64))
    })?;
    b.set_function("fdOf", |args| {
        let fd = handle_of(args, 0)?.io().map_or(-1, |io| io.fd());
        Ok(args.ctx.number(fd as f64))
    })?;
    b.set_function("writeQueueSize", |args| Ok(args.ctx.number(handle_of(args, 0)?.write_queue_size() as f64)))?;
    Ok(())
}

/// `writeBuffer(handle, bytes, req)`: see [`StreamHandle::write`].
/// `writev(handle, chunks, req)`: several byte views in one write; see [`StreamHandle::write`].
fn writev(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let list = args.get(1).expect_object()?;
    let count = list.get("length")?.to_number()? as u32;
    let views = (0..count).map(|i| list.get_index(i)).collect::<JsResult<Vec<Value>>>()?;
    let mut chunks = Vec::with_capacity(views.len());
    for view in &views {
        chunks.push(&*view.bytes().ok_or_else(|| args.ctx.error("writev: not a byte view"))?);
    }
    let status = handle.write_vectored(&chunks, args.get(2));
    Ok(args.ctx.number(status as f64))
}

fn write_buffer(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let data = args.get(1);
    let Some(bytes) = data.bytes() else { return Err(args.ctx.error("writeBuffer: not a byte view")) };
    let status = handle.write(bytes, args.get(2));
    Ok(args.ctx.number(status as f64))
}

thread_local! {
    /// What JS reads back after `writeString`: slot 0, the number of bytes the string made.
    static WRITE_INFO: &'static [Cell<f64>] = Box::leak(Box::new([Cell::new(0.0)]));
}

/// `writeString(handle, string, latin1, req)`: writes a string's bytes, UTF-8 or (latin1
/// true) one byte per code unit as Buffer's latin1, without a Buffer in between; the
/// byte count goes to `writeInfo[0]`. Status as [`StreamHandle::write`].
fn write_string(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let latin1 = args.get(2).to_boolean();
    let status = args.get(1).with_string_chars(|chars| {
        let (status, len) = match chars {
            // ASCII (and latin1 output) leave straight from the engine's own characters.
            StringChars::Latin1(bytes) if latin1 || bytes.is_ascii() => (handle.write(bytes, args.get(3)), bytes.len()),
            chars => {
                let bytes = string_bytes(chars, latin1);
                (handle.write(&bytes, args.get(3)), bytes.len())
            }
        };
        WRITE_INFO.with(|info| info[0].set(len as f64));
        status
    })?;
    Ok(args.ctx.number(status as f64))
}

/// A string's bytes as Buffer encodes them: UTF-8 (lone surrogates become U+FFFD), or
/// latin1, the low byte of each code unit.
fn string_bytes(chars: StringChars, latin1: bool) -> Vec<u8> {
    match (chars, latin1) {
        (StringChars::Latin1(bytes), true) => bytes.to_vec(),
        (StringChars::Utf16(units), true) => units.iter().map(|&u| u as u8).collect(),
        (StringChars::Latin1(bytes), false) => bytes.iter().map(|&b| b as char).collect::<String>().into_bytes(),
        (StringChars::Utf16(units), false) => {
            char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')).collect::<String>().into_bytes()
        }
    }
}

/// `writeWithHandle(handle, bytes, fd, req)`: [`StreamHandle::write_with_fd`]; the caller
/// keeps its descriptor.
fn write_with_handle(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let data = args.get(1);
    let Some(bytes) = data.bytes() else { return Err(args.ctx.error("writeWithHandle: not a byte view")) };
    let pass = args.number(2)? as RawFd;
    let status = handle.write_with_fd(bytes, pass, args.get(3));
    Ok(args.ctx.number(status as f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn descriptors_travel_with_their_bytes() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let file = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(send_with_fd(a.as_raw_fd(), b"one", file.as_raw_fd()).unwrap(), 3);
        (&a).write_all(b"two").unwrap();
        assert_eq!(send_with_fd(a.as_raw_fd(), b"three", file.as_raw_fd()).unwrap(), 5);
        drop(a);
        let mut buf = [0u8; 64];
        let mut fds = Vec::new();
        // The kernel ends a read after bytes that brought descriptors.
        let n = recv_with_fds(b.as_raw_fd(), &mut buf, &mut fds).unwrap();
        assert_eq!(&buf[..n], b"one");
        assert_eq!(fds.len(), 1);
        let mut rest = Vec::new();
        loop {
            let n = recv_with_fds(b.as_raw_fd(), &mut buf, &mut fds).unwrap();
            if n == 0 {
                break;
            }
            rest.extend_from_slice(&buf[..n]);
        }
        assert_eq!(rest, b"twothree");
        assert_eq!(fds.len(), 2);
        // Each received descriptor is a new, working one.
        assert!(fds.iter().all(|fd| fd.as_raw_fd() != file.as_raw_fd()));
        assert_eq!(read_fd(fds[0].as_raw_fd(), &mut buf).unwrap(), 0);
    }

    #[test]
    fn strings_encode_as_buffer_does() {
        assert_eq!(string_bytes(StringChars::Latin1(b"caf\xe9"), false), "café".as_bytes());
        assert_eq!(string_bytes(StringChars::Latin1(b"caf\xe9"), true), b"caf\xe9");
        let units: Vec<u16> = "a\u{4e2d}\u{1F600}".encode_utf16().chain([0xD800, 0x62]).collect();
        assert_eq!(string_bytes(StringChars::Utf16(&units), false), "a\u{4e2d}\u{1F600}\u{FFFD}b".as_bytes());
        assert_eq!(string_bytes(StringChars::Utf16(&[0x4e2d, 0x41]), true), [0x2d, 0x41]);
    }
}
