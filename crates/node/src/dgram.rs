//! node:dgram's native side: UDP sockets on tokio's I/O driver, as libuv's udp handles.
//!
//! A handle is created without a descriptor (options then fail with EBADF, as libuv's);
//! `bind` makes the socket and starts receiving. Each datagram reaches JS through
//! `onMessage(owner, status, bytes, ip, port)`; sends go out synchronously when the kernel
//! takes them and otherwise wait in a queue, reported through `onSendDone(owner, req,
//! status)`. Ops return negative errnos for JS to turn into Node's errors.

use crate::stream_handle::errno_of;
use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::event_loop::{complete_local, ref_handle, spawn_local, tokio_handle, unref_handle};
use socket2::{Domain, SockAddr, SockRef, Socket, Type};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use tokio::io::Interest;
use tokio::net::UdpSocket;
use tokio::sync::Notify;

/// Largest datagram read, as libuv's 64 KiB receive buffer.
const RECV_SIZE: usize = 65536;
/// Datagrams read in one go before the task lets JS run.
const RECV_BATCH: usize = 64;

const FLAG_REUSE_ADDR: u32 = 1;
const FLAG_IPV6_ONLY: u32 = 2;
const FLAG_REUSE_PORT: u32 = 4;

thread_local! {
    static CALLBACKS: RefCell<Option<(Protected, Protected)>> = const { RefCell::new(None) };
}

/// `setCallbacks(onMessage(owner, status, bytes, ip, port), onSendDone(owner, req, status))`.
fn set_callbacks(args: &Args) -> JsResult<Value> {
    CALLBACKS.with(|c| *c.borrow_mut() = Some((args.get(0).protect(), args.get(1).protect())));
    Ok(args.ctx.undefined())
}

fn call_back(ctx: Ctx, send_done: bool, args: &[Value]) -> JsResult<()> {
    let f = CALLBACKS
        .with(|c| c.borrow().as_ref().map(|(msg, done)| if send_done { done.value() } else { msg.value() }))
        .ok_or_else(|| ctx.error("dgram callbacks not set"))?;
    f.expect_object()?.call(None, args)?;
    Ok(())
}

/// A datagram the kernel didn't take at once.
struct PendingSend {
    bytes: Vec<u8>,
    /// None on a connected socket.
    to: Option<SocketAddr>,
    request: Protected,
}

struct UdpHandle {
    ipv6: bool,
    socket: RefCell<Option<Rc<UdpSocket>>>,
    owner: RefCell<Option<Protected>>,
    recv_task: RefCell<Option<tokio::task::JoinHandle<()>>>,
    sends: RefCell<VecDeque<PendingSend>>,
    send_task: RefCell<Option<tokio::task::JoinHandle<()>>>,
    send_wake: Rc<Notify>,
    refed: Cell<bool>,
    /// Whether this handle currently counts in the loop's alive handles.
    counted: Cell<bool>,
}

type Handle = Rc<UdpHandle>;

impl UdpHandle {
    /// libuv's rules: a receiving socket keeps the loop alive while referenced; a queued
    /// send does even when it isn't.
    fn update_ref(&self) {
        let want = !self.sends.borrow().is_empty() || (self.socket.borrow().is_some() && self.refed.get());
        if want != self.counted.get() {
            self.counted.set(want);
            if want {
                ref_handle()
            } else {
                unref_handle()
            }
        }
    }

    fn socket(&self) -> Option<Rc<UdpSocket>> {
        self.socket.borrow().clone()
    }

    fn fd(&self) -> Option<RawFd> {
        self.socket.borrow().as_ref().map(|s| s.as_raw_fd())
    }

    /// Takes over a bound socket and starts receiving on it.
    fn attach(self: &Rc<Self>, socket: Socket) -> io::Result<()> {
        socket.set_nonblocking(true)?;
        let socket = {
            let _runtime = tokio_handle().enter();
            Rc::new(UdpSocket::from_std(socket.into())?)
        };
        runtime::event_loop::open_io_handle();
        *self.socket.borrow_mut() = Some(socket.clone());
        *self.recv_task.borrow_mut() = Some(spawn_local(recv_loop(self.clone(), socket)));
        self.update_ref();
        Ok(())
    }

    fn close(&self) {
        for task in [self.recv_task.borrow_mut().take(), self.send_task.borrow_mut().take()].into_iter().flatten() {
            task.abort();
        }
        // Sends still queued are dropped with the socket: Node reports nothing for them.
        self.sends.borrow_mut().clear();
        if self.socket.borrow_mut().take().is_some() {
            runtime::event_loop::close_io_handle();
        }
        self.update_ref();
        self.owner.borrow_mut().take();
    }
}

async fn recv_loop(handle: Handle, socket: Rc<UdpSocket>) {
    let mut buf = vec![0u8; RECV_SIZE];
    loop {
        if socket.readable().await.is_err() {
            return;
        }
        for _ in 0..RECV_BATCH {
            let received = socket.try_io(Interest::READABLE, || SockRef::from(&*socket).recv_from(as_uninit(&mut buf)));
            let (status, bytes, from) = match received {
                Ok((n, from)) => (0, Some(buf[..n].to_vec()), from.as_socket()),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // An ICMP error from an earlier send (ECONNREFUSED on a connected socket).
                Err(e) => (errno_of(&e), None, None),
            };
            let h = handle.clone();
            complete_local(move |ctx| {
                if h.socket.borrow().is_none() {
                    return Ok(());
                }
                let Some(owner) = h.owner.borrow().as_ref().map(|p| p.value()) else { return Ok(()) };
                let bytes = match bytes {
                    Some(b) => ctx.uint8_array(b)?.value(),
                    None => ctx.undefined(),
                };
                let (ip, port) = match from {
                    Some(a) => (ctx.string(&a.ip().to_string()), ctx.number(a.port() as f64)),
                    None => (ctx.undefined(), ctx.undefined()),
                };
                call_back(ctx, false, &[owner, ctx.number(status as f64), bytes, ip, port])
            });
        }
        tokio::task::yield_now().await;
    }
}

/// socket2 reads into uninitialised memory; a zeroed buffer is valid for that.
fn as_uninit(buf: &mut [u8]) -> &mut [std::mem::MaybeUninit<u8>] {
    // SAFETY: u8 and MaybeUninit<u8> have the same layout; socket2 only writes to it.
    unsafe { &mut *(buf as *mut [u8] as *mut [std::mem::MaybeUninit<u8>]) }
}

fn raw_send(socket: &UdpSocket, chunks: &[IoSlice<'_>], to: Option<&SocketAddr>) -> io::Result<usize> {
    let sock = SockRef::from(socket);
    match to {
        Some(addr) => sock.send_to_vectored(chunks, &SockAddr::from(*addr)),
        None => sock.send_vectored(chunks),
    }
}

async fn send_loop(handle: Handle, socket: Rc<UdpSocket>) {
    loop {
        let next = handle.sends.borrow().front().map(|s| (s.bytes.clone(), s.to));
        let Some((bytes, to)) = next else {
            handle.send_wake.notified().await;
            continue;
        };
        if socket.writable().await.is_err() {
            return;
        }
        let sent = socket.try_io(Interest::WRITABLE, || raw_send(&socket, &[IoSlice::new(&bytes)], to.as_ref()));
        let status = match sent {
            Ok(n) => n as i32,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) => continue,
            Err(e) => errno_of(&e),
        };
        let Some(done) = handle.sends.borrow_mut().pop_front() else { continue };
        let h = handle.clone();
        complete_local(move |ctx| {
            h.update_ref();
            let Some(owner) = h.owner.borrow().as_ref().map(|p| p.value()) else { return Ok(()) };
            call_back(ctx, true, &[owner, done.request.value(), ctx.number(status as f64)])
        });
    }
}

fn handle_of(args: &Args) -> JsResult<Handle> {
    args.get(0).wrapped::<Handle>().cloned().ok_or_else(|| args.ctx.error("not a udp handle"))
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

fn status_value(ctx: Ctx, result: io::Result<()>) -> Value {
    ctx.number(result.map_or_else(|e| errno_of(&e), |_| 0) as f64)
}

fn errno(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

/// `create(owner, ipv6)`: a handle without a socket yet.
fn create(args: &Args) -> JsResult<Value> {
    let handle = Rc::new(UdpHandle {
        ipv6: args.get(1).to_boolean(),
        socket: RefCell::new(None),
        owner: RefCell::new(Some(args.get(0).protect())),
        recv_task: RefCell::new(None),
        sends: RefCell::new(VecDeque::new()),
        send_task: RefCell::new(None),
        send_wake: Rc::new(Notify::new()),
        refed: Cell::new(true),
        counted: Cell::new(false),
    });
    Ok(args.ctx.wrap(handle).value())
}

fn bind_socket(handle: &Handle, addr: SocketAddr, flags: u32) -> io::Result<()> {
    if handle.socket.borrow().is_some() || addr.is_ipv6() != handle.ipv6 {
        return Err(errno(libc::EINVAL));
    }
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, None)?;
    if flags & FLAG_REUSE_ADDR != 0 {
        socket.set_reuse_address(true)?;
    }
    if flags & FLAG_REUSE_PORT != 0 {
        socket.set_reuse_port(true)?;
    }
    if addr.is_ipv6() && flags & FLAG_IPV6_ONLY != 0 {
        socket.set_only_v6(true)?;
    }
    socket.bind(&addr.into())?;
    handle.attach(socket)
}

/// `bind(handle, ip, port, flags)` → 0 or a negative errno.
fn bind(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let Some(ip) = parse_ip(&args.string(1)?) else { return Ok(args.ctx.number(-libc::EINVAL as f64)) };
    let addr = SocketAddr::new(ip, args.number(2)? as u16);
    let flags = args.number(3)? as u32;
    Ok(status_value(args.ctx, bind_socket(&handle, addr, flags)))
}

/// `open(handle, fd)`: takes over a UDP socket descriptor → 0 or a negative errno.
fn open(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let fd = args.number(1)? as RawFd;
    let opened = (|| {
        if handle.socket.borrow().is_some() {
            return Err(errno(libc::EINVAL));
        }
        // SAFETY: fcntl on a descriptor number; a bad one fails with EBADF.
        let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
        if copy < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `copy` was just created and is owned by nothing else.
        let socket = Socket::from(unsafe { OwnedFd::from_raw_fd(copy) });
        if socket.r#type()? != Type::DGRAM {
            return Err(errno(libc::EINVAL));
        }
        handle.attach(socket)
    })();
    Ok(status_value(args.ctx, opened))
}

/// Binds a socket nobody bound yet to the wildcard address, as libuv does before
/// joining a multicast group.
fn ensure_bound(handle: &Handle) -> io::Result<RawFd> {
    if let Some(fd) = handle.fd() {
        return Ok(fd);
    }
    let any = if handle.ipv6 { IpAddr::V6(Ipv6Addr::UNSPECIFIED) } else { IpAddr::V4(Ipv4Addr::UNSPECIFIED) };
    bind_socket(handle, SocketAddr::new(any, 0), 0)?;
    handle.fd().ok_or_else(|| errno(libc::EBADF))
}

/// `send(handle, ip, port, req, ...chunks)`: the chunks as one datagram to ip:port (ip
/// undefined on a connected socket) → bytes sent, a negative errno, or undefined when
/// the datagram waits for the socket to be writable (`onSendDone` reports it).
fn send(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let handle = handle_of(args)?;
    let Some(socket) = handle.socket() else { return Ok(ctx.number(-libc::EBADF as f64)) };
    let to = if args.get(1).is_string() {
        match parse_ip(&args.string(1)?) {
            Some(ip) => Some(SocketAddr::new(ip, args.number(2)? as u16)),
            None => return Ok(ctx.number(-libc::EINVAL as f64)),
        }
    } else {
        None
    };
    let views: Vec<Value> = (4..args.len()).map(|i| args.get(i)).collect();
    let mut chunks = Vec::with_capacity(views.len());
    for v in &views {
        chunks.push(IoSlice::new(v.bytes().ok_or_else(|| ctx.error("send: not a byte view"))?));
    }
    if handle.sends.borrow().is_empty() {
        loop {
            match raw_send(&socket, &chunks, to.as_ref()) {
                Ok(n) => return Ok(ctx.number(n as f64)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Ok(ctx.number(errno_of(&e) as f64)),
            }
        }
    }
    let bytes = chunks.iter().flat_map(|c| c.iter().copied()).collect();
    handle.sends.borrow_mut().push_back(PendingSend { bytes, to, request: args.get(3).protect() });
    handle.update_ref();
    if handle.send_task.borrow().is_none() {
        *handle.send_task.borrow_mut() = Some(spawn_local(send_loop(handle.clone(), socket)));
    } else {
        handle.send_wake.notify_one();
    }
    Ok(ctx.undefined())
}

/// `connect(handle, ip, port)` → 0 or a negative errno.
fn connect(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let connected = (|| {
        let socket = handle.socket().ok_or_else(|| errno(libc::EBADF))?;
        let ip = parse_ip(&args.string(1).map_err(|_| errno(libc::EINVAL))?).ok_or_else(|| errno(libc::EINVAL))?;
        let port = args.number(2).map_err(|_| errno(libc::EINVAL))? as u16;
        SockRef::from(&*socket).connect(&SocketAddr::new(ip, port).into())
    })();
    Ok(status_value(args.ctx, connected))
}

/// `disconnect(handle)`: dissolves the association (connect to AF_UNSPEC) → 0 or errno.
fn disconnect(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let Some(fd) = handle.fd() else { return Ok(args.ctx.number(-libc::EBADF as f64)) };
    // SAFETY: a zeroed sockaddr with family AF_UNSPEC is what the kernel expects here.
    let status = unsafe {
        let mut addr: libc::sockaddr = std::mem::zeroed();
        addr.sa_family = libc::AF_UNSPEC as libc::sa_family_t;
        libc::connect(fd, &addr, std::mem::size_of::<libc::sockaddr>() as libc::socklen_t)
    };
    // Linux may report EAFNOSUPPORT after dissolving the association anyway.
    let result = if status < 0 { Err(io::Error::last_os_error()) } else { Ok(()) };
    let result = match result {
        Err(e) if e.raw_os_error() == Some(libc::EAFNOSUPPORT) => Ok(()),
        other => other,
    };
    Ok(status_value(args.ctx, result))
}

fn address_value(ctx: Ctx, addr: io::Result<SocketAddr>) -> JsResult<Value> {
    let addr = match addr {
        Ok(a) => a,
        Err(e) => return Ok(ctx.number(errno_of(&e) as f64)),
    };
    let o = ctx.object();
    o.set("address", ctx.string(&addr.ip().to_string()))?;
    o.set("family", ctx.string(if addr.is_ipv4() { "IPv4" } else { "IPv6" }))?;
    o.set("port", ctx.number(addr.port() as f64))?;
    Ok(o.value())
}

/// `sockname(handle)` / `peername(handle)` → `{ address, family, port }` or a negative errno.
fn sockname(args: &Args) -> JsResult<Value> {
    let socket = handle_of(args)?.socket();
    address_value(args.ctx, socket.map_or_else(|| Err(errno(libc::EBADF)), |s| s.local_addr()))
}

fn peername(args: &Args) -> JsResult<Value> {
    let socket = handle_of(args)?.socket();
    address_value(args.ctx, socket.map_or_else(|| Err(errno(libc::EBADF)), |s| s.peer_addr()))
}

fn setsockopt<T>(fd: RawFd, level: i32, name: i32, value: &T) -> io::Result<()> {
    // SAFETY: `value` points at a live T of the size passed.
    let r = unsafe { libc::setsockopt(fd, level, name, (value as *const T).cast(), std::mem::size_of::<T>() as libc::socklen_t) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn getsockopt_int(fd: RawFd, level: i32, name: i32) -> io::Result<i32> {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid for writes.
    let r = unsafe { libc::getsockopt(fd, level, name, (&mut value as *mut libc::c_int).cast(), &mut len) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(value)
    }
}

/// Runs `f` with the socket's descriptor (EBADF before bind) → 0 or a negative errno.
fn with_fd(args: &Args, f: impl FnOnce(&UdpHandle, RawFd) -> io::Result<()>) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let result = match handle.fd() {
        Some(fd) => f(&handle, fd),
        None => Err(errno(libc::EBADF)),
    };
    Ok(status_value(args.ctx, result))
}

fn set_broadcast(args: &Args) -> JsResult<Value> {
    let on = args.get(1).to_boolean() as libc::c_int;
    with_fd(args, |_, fd| setsockopt(fd, libc::SOL_SOCKET, libc::SO_BROADCAST, &on))
}

/// `setTTL(handle, ttl)`: the unicast hop limit, 1 to 255.
fn set_ttl(args: &Args) -> JsResult<Value> {
    let ttl = args.number(1)? as libc::c_int;
    with_fd(args, |h, fd| {
        if !(1..=255).contains(&ttl) {
            return Err(errno(libc::EINVAL));
        }
        if h.ipv6 {
            setsockopt(fd, libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, &ttl)
        } else {
            setsockopt(fd, libc::IPPROTO_IP, libc::IP_TTL, &ttl)
        }
    })
}

/// `setMulticastTTL(handle, ttl)`: 0 to 255.
fn set_multicast_ttl(args: &Args) -> JsResult<Value> {
    let ttl = args.number(1)? as libc::c_int;
    with_fd(args, |h, fd| {
        if !(0..=255).contains(&ttl) {
            return Err(errno(libc::EINVAL));
        }
        if h.ipv6 {
            setsockopt(fd, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS, &ttl)
        } else {
            setsockopt(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_TTL, &ttl)
        }
    })
}

fn set_multicast_loopback(args: &Args) -> JsResult<Value> {
    let on = args.get(1).to_boolean() as libc::c_int;
    with_fd(args, |h, fd| {
        if h.ipv6 {
            setsockopt(fd, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP, &on)
        } else {
            setsockopt(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP, &on)
        }
    })
}

fn in_addr(ip: Ipv4Addr) -> libc::in_addr {
    libc::in_addr { s_addr: u32::from(ip).to_be() }
}

fn in6_addr(ip: Ipv6Addr) -> libc::in6_addr {
    libc::in6_addr { s6_addr: ip.octets() }
}

/// An IPv6 address with an optional `%zone` (interface name or index) → (address, index).
fn parse_ipv6_scoped(s: &str) -> Option<(Ipv6Addr, u32)> {
    let (ip, zone) = match s.split_once('%') {
        Some((ip, zone)) => (ip, Some(zone)),
        None => (s, None),
    };
    let ip: Ipv6Addr = ip.parse().ok()?;
    let index = match zone {
        None => 0,
        Some(z) => z.parse().ok().or_else(|| {
            let name = std::ffi::CString::new(z).ok()?;
            // SAFETY: `name` is a valid C string.
            Some(unsafe { libc::if_nametoindex(name.as_ptr()) })
        })?,
    };
    Some((ip, index))
}

/// `setMulticastInterface(handle, address)`: the outgoing interface of multicast sends.
fn set_multicast_interface(args: &Args) -> JsResult<Value> {
    let address = args.string(1)?;
    with_fd(args, |_, fd| {
        if let Ok(ip) = address.parse::<Ipv4Addr>() {
            setsockopt(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_IF, &in_addr(ip))
        } else if let Some((_, index)) = parse_ipv6_scoped(&address) {
            setsockopt(fd, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_IF, &(index as libc::c_int))
        } else {
            Err(errno(libc::EINVAL))
        }
    })
}

/// `membership(handle, group, interface | undefined, join)`: joins or leaves a group
/// (binding to the wildcard address first when nothing bound the socket yet).
fn membership(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let group = args.string(1)?;
    let iface = if args.get(2).is_string() { Some(args.string(2)?) } else { None };
    let join = args.get(3).to_boolean();
    let result = (|| {
        if let Ok(group) = group.parse::<Ipv4Addr>() {
            let fd = ensure_bound(&handle)?;
            let iface = match &iface {
                Some(s) => s.parse::<Ipv4Addr>().map_err(|_| errno(libc::EINVAL))?,
                None => Ipv4Addr::UNSPECIFIED,
            };
            let req = libc::ip_mreq { imr_multiaddr: in_addr(group), imr_interface: in_addr(iface) };
            let name = if join { libc::IP_ADD_MEMBERSHIP } else { libc::IP_DROP_MEMBERSHIP };
            setsockopt(fd, libc::IPPROTO_IP, name, &req)
        } else if let Some((group, _)) = parse_ipv6_scoped(&group) {
            let fd = ensure_bound(&handle)?;
            let index = match &iface {
                Some(s) => parse_ipv6_scoped(s).ok_or_else(|| errno(libc::EINVAL))?.1,
                None => 0,
            };
            let req = libc::ipv6_mreq { ipv6mr_multiaddr: in6_addr(group), ipv6mr_interface: index };
            let name = if join { libc::IPV6_ADD_MEMBERSHIP } else { libc::IPV6_DROP_MEMBERSHIP };
            setsockopt(fd, libc::IPPROTO_IPV6, name, &req)
        } else {
            Err(errno(libc::EINVAL))
        }
    })();
    Ok(status_value(args.ctx, result))
}

fn sockaddr_storage(addr: SocketAddr) -> libc::sockaddr_storage {
    let addr = SockAddr::from(addr);
    // SAFETY: a zeroed sockaddr_storage is valid, and SockAddr holds at most its size.
    unsafe {
        let mut storage: libc::sockaddr_storage = std::mem::zeroed();
        std::ptr::copy_nonoverlapping(addr.as_ptr().cast::<u8>(), (&mut storage as *mut libc::sockaddr_storage).cast::<u8>(), addr.len() as usize);
        storage
    }
}

/// `sourceMembership(handle, source, group, interface | undefined, join)`: source-specific
/// multicast.
fn source_membership(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let (source, group) = (args.string(1)?, args.string(2)?);
    let iface = if args.get(3).is_string() { Some(args.string(3)?) } else { None };
    let join = args.get(4).to_boolean();
    let result = (|| {
        if let Ok(group) = group.parse::<Ipv4Addr>() {
            let fd = ensure_bound(&handle)?;
            let source = source.parse::<Ipv4Addr>().map_err(|_| errno(libc::EINVAL))?;
            let iface = match &iface {
                Some(s) => s.parse::<Ipv4Addr>().map_err(|_| errno(libc::EINVAL))?,
                None => Ipv4Addr::UNSPECIFIED,
            };
            let req = libc::ip_mreq_source { imr_multiaddr: in_addr(group), imr_interface: in_addr(iface), imr_sourceaddr: in_addr(source) };
            let name = if join { libc::IP_ADD_SOURCE_MEMBERSHIP } else { libc::IP_DROP_SOURCE_MEMBERSHIP };
            setsockopt(fd, libc::IPPROTO_IP, name, &req)
        } else if let Some((group, _)) = parse_ipv6_scoped(&group) {
            let fd = ensure_bound(&handle)?;
            let (source, _) = parse_ipv6_scoped(&source).ok_or_else(|| errno(libc::EINVAL))?;
            let index = match &iface {
                Some(s) => parse_ipv6_scoped(s).ok_or_else(|| errno(libc::EINVAL))?.1,
                None => 0,
            };
            let req = libc::group_source_req {
                gsr_interface: index,
                gsr_group: sockaddr_storage(SocketAddr::new(IpAddr::V6(group), 0)),
                gsr_source: sockaddr_storage(SocketAddr::new(IpAddr::V6(source), 0)),
            };
            let name = if join { libc::MCAST_JOIN_SOURCE_GROUP } else { libc::MCAST_LEAVE_SOURCE_GROUP };
            setsockopt(fd, libc::IPPROTO_IPV6, name, &req)
        } else {
            Err(errno(libc::EINVAL))
        }
    })();
    Ok(status_value(args.ctx, result))
}

/// `bufferSize(handle, size, recv)`: sets SO_RCVBUF/SO_SNDBUF when size > 0, and returns
/// the kernel's value (doubled on Linux), or a negative errno.
fn buffer_size(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args)?;
    let size = args.number(1)? as libc::c_int;
    let name = if args.get(2).to_boolean() { libc::SO_RCVBUF } else { libc::SO_SNDBUF };
    let result = (|| {
        let fd = handle.fd().ok_or_else(|| errno(libc::EBADF))?;
        if size > 0 {
            setsockopt(fd, libc::SOL_SOCKET, name, &size)?;
        }
        getsockopt_int(fd, libc::SOL_SOCKET, name)
    })();
    Ok(args.ctx.number(result.unwrap_or_else(|e| errno_of(&e)) as f64))
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("setCallbacks", set_callbacks)?;
    b.set_function("create", create)?;
    b.set_function("bind", bind)?;
    b.set_function("open", open)?;
    b.set_function("send", send)?;
    b.set_function("connect", connect)?;
    b.set_function("disconnect", disconnect)?;
    b.set_function("sockname", sockname)?;
    b.set_function("peername", peername)?;
    b.set_function("setBroadcast", set_broadcast)?;
    b.set_function("setTTL", set_ttl)?;
    b.set_function("setMulticastTTL", set_multicast_ttl)?;
    b.set_function("setMulticastLoopback", set_multicast_loopback)?;
    b.set_function("setMulticastInterface", set_multicast_interface)?;
    b.set_function("membership", membership)?;
    b.set_function("sourceMembership", source_membership)?;
    b.set_function("bufferSize", buffer_size)?;
    b.set_function("sendQueueSize", |args| {
        let size: usize = handle_of(args)?.sends.borrow().iter().map(|s| s.bytes.len()).sum();
        Ok(args.ctx.number(size as f64))
    })?;
    b.set_function("sendQueueCount", |args| Ok(args.ctx.number(handle_of(args)?.sends.borrow().len() as f64)))?;
    b.set_function("close", |args| {
        handle_of(args)?.close();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("setRef", |args| {
        let handle = handle_of(args)?;
        handle.refed.set(args.get(1).to_boolean());
        handle.update_ref();
        Ok(args.ctx.undefined())
    })?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_ipv6_addresses() {
        assert_eq!(parse_ipv6_scoped("::1"), Some((Ipv6Addr::LOCALHOST, 0)));
        assert_eq!(parse_ipv6_scoped("ff02::1%3"), Some(("ff02::1".parse().unwrap(), 3)));
        assert_eq!(parse_ipv6_scoped("1.2.3.4"), None);
    }
}
