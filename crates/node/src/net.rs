//! node:net's native side: TCP and Unix-domain sockets (stream handles, see
//! `stream_handle.rs`) and listening servers, on tokio's I/O driver.

use crate::stream_handle::{self, errno_of, handle_of, Io, StreamHandle};
use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::event_loop::{complete_local, ref_handle, spawn_local, tokio_handle, unref_handle};
use socket2::{Domain, SockRef, Socket, Type};
use std::cell::{Cell, RefCell};
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use tokio::net::{TcpListener, TcpSocket, TcpStream, UnixListener, UnixStream};

thread_local! {
    static CALLBACKS: RefCell<Option<(Protected, Protected)>> = const { RefCell::new(None) };
}

/// `setNetCallbacks(onConnection(owner, status, handle), onConnect(owner, req, status))`.
fn set_callbacks(args: &Args) -> JsResult<Value> {
    CALLBACKS.with(|c| *c.borrow_mut() = Some((args.get(0).protect(), args.get(1).protect())));
    Ok(args.ctx.undefined())
}

fn call_back(ctx: Ctx, connect: bool, args: &[Value]) -> JsResult<()> {
    let f = CALLBACKS
        .with(|c| c.borrow().as_ref().map(|(conn, cb)| if connect { cb.value() } else { conn.value() }))
        .ok_or_else(|| ctx.error("net callbacks not set"))?;
    f.expect_object()?.call(None, args)?;
    Ok(())
}

enum Listener {
    Tcp(TcpListener),
    /// With its path, which is removed when the server closes (as libuv does).
    Unix(UnixListener, String),
}

struct ServerHandle {
    listener: RefCell<Option<Rc<Listener>>>,
    accept_task: RefCell<Option<tokio::task::JoinHandle<()>>>,
    owner: RefCell<Option<Protected>>,
    refed: Cell<bool>,
    counted: Cell<bool>,
}

type Server = Rc<ServerHandle>;

impl ServerHandle {
    fn update_ref(&self) {
        let want = self.listener.borrow().is_some() && self.refed.get();
        if want != self.counted.get() {
            self.counted.set(want);
            if want {
                ref_handle()
            } else {
                unref_handle()
            }
        }
    }

    fn start(self: &Rc<Self>, listener: Listener) {
        runtime::event_loop::open_io_handle();
        *self.listener.borrow_mut() = Some(Rc::new(listener));
        self.update_ref();
        *self.accept_task.borrow_mut() = Some(spawn_local(accept_loop(self.clone())));
    }

    fn close(&self) {
        if let Some(task) = self.accept_task.borrow_mut().take() {
            task.abort();
        }
        if let Some(listener) = self.listener.borrow_mut().take() {
            if let Listener::Unix(_, path) = &*listener {
                if !path.is_empty() {
                    let _ = std::fs::remove_file(path);
                }
            }
            runtime::event_loop::close_io_handle();
        }
        self.update_ref();
        self.owner.borrow_mut().take();
    }
}

/// Accepts connections until the server closes. The listener is borrowed from the server at
/// each poll, never held across one, so that `close` closes the socket at once as libuv
/// does: a program may listen on the same port again from its close callback.
async fn accept_loop(server: Server) {
    loop {
        let accepted = std::future::poll_fn(|cx| match server.listener.borrow().as_deref() {
            Some(Listener::Tcp(l)) => l.poll_accept(cx).map(|r| r.map(|(s, _)| Io::Tcp(s))),
            Some(Listener::Unix(l, _)) => l.poll_accept(cx).map(|r| r.map(|(s, _)| Io::Unix(s))),
            // Closed: this task has been aborted and is waiting to be dropped.
            None => std::task::Poll::Pending,
        })
        .await;
        let failed = accepted.is_err();
        let s = server.clone();
        complete_local(move |ctx| {
            let Some(owner) = s.owner.borrow().as_ref().map(|p| p.value()) else { return Ok(()) };
            let (status, handle) = match accepted {
                Ok(io) => (0, ctx.wrap(StreamHandle::new(Some(io))).value()),
                Err(e) => (errno_of(&e), ctx.undefined()),
            };
            call_back(ctx, false, &[owner, ctx.number(status as f64), handle])
        });
        if failed {
            // Out of descriptors and the like: give the program a moment before retrying.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

fn server_of(args: &Args) -> JsResult<Server> {
    args.get(0).wrapped::<Server>().cloned().ok_or_else(|| args.ctx.error("not a server handle"))
}

/// `createServer(owner)`: a server handle, not yet listening.
fn create_server(args: &Args) -> JsResult<Value> {
    let server = Rc::new(ServerHandle {
        listener: RefCell::new(None),
        accept_task: RefCell::new(None),
        owner: RefCell::new(Some(args.get(0).protect())),
        refed: Cell::new(true),
        counted: Cell::new(false),
    });
    Ok(args.ctx.wrap(server).value())
}

fn parse_addr(args: &Args, ip: usize, port: usize) -> JsResult<SocketAddr> {
    let ip: IpAddr = args.string(ip)?.parse().map_err(|_| args.ctx.error("invalid IP address"))?;
    Ok(SocketAddr::new(ip, args.number(port)? as u16))
}

/// A listening, non-blocking TCP socket on `addr`.
fn bind_tcp_socket(addr: SocketAddr, backlog: i32, ipv6_only: bool) -> std::io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    if addr.is_ipv6() {
        socket.set_only_v6(ipv6_only)?;
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(backlog)?;
    Ok(socket)
}

/// `bindTcp(ip, port, backlog, ipv6Only)` → the descriptor of a listening socket nobody
/// accepts on yet (a cluster primary hands it to its workers), or a negative errno.
fn bind_tcp(args: &Args) -> JsResult<Value> {
    let addr = parse_addr(args, 0, 1)?;
    let bound = bind_tcp_socket(addr, args.number(2)? as i32, args.get(3).to_boolean());
    Ok(args.ctx.number(match bound {
        Ok(socket) => socket.into_raw_fd() as f64,
        Err(e) => errno_of(&e) as f64,
    }))
}

/// Takes ownership of descriptor number `fd` (from `bindTcp` or received over IPC).
fn owned_fd(args: &Args, i: usize) -> JsResult<OwnedFd> {
    let fd = args.number(i)? as RawFd;
    if fd < 0 {
        return Err(args.ctx.error("not a descriptor"));
    }
    // SAFETY: JS hands over descriptors it got from this binding and won't use them again.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn is_unix_socket(fd: &OwnedFd) -> std::io::Result<bool> {
    Ok(SockRef::from(fd).local_addr()?.is_unix())
}

/// The server accepts on listening socket `fd`, which it owns from now on.
fn accept_on(server: &Server, fd: OwnedFd) -> std::io::Result<()> {
    let unix = is_unix_socket(&fd)?;
    let socket = Socket::from(fd);
    socket.set_nonblocking(true)?;
    let _runtime = tokio_handle().enter();
    // An adopted Unix socket's path belongs to whoever bound it.
    server.start(if unix {
        Listener::Unix(UnixListener::from_std(socket.into())?, String::new())
    } else {
        Listener::Tcp(TcpListener::from_std(socket.into())?)
    });
    Ok(())
}

fn status_of(result: std::io::Result<()>) -> f64 {
    result.map_or_else(|e| errno_of(&e) as f64, |_| 0.0)
}

/// `listenFd(server, fd)`: the server accepts on a listening socket it takes over → 0 or
/// a negative errno.
fn listen_fd(args: &Args) -> JsResult<Value> {
    let server = server_of(args)?;
    let fd = owned_fd(args, 1)?;
    Ok(args.ctx.number(status_of(accept_on(&server, fd))))
}

/// `bindSocket(ip, port, ipv6Only, reusePort)` → the descriptor of a TCP socket bound to
/// `ip:port` and nothing more (a net.BoundSocket), or a negative errno.
fn bind_socket(args: &Args) -> JsResult<Value> {
    let Some(addr) = scoped_addr(&args.string(0)?, args.number(1)? as u16) else {
        return Ok(args.ctx.number(-libc::EINVAL as f64));
    };
    let bound = (|| -> std::io::Result<Socket> {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
        // As libuv: a port whose earlier sockets linger in TIME_WAIT can be bound again.
        socket.set_reuse_address(true)?;
        if addr.is_ipv6() {
            socket.set_only_v6(args.get(2).to_boolean())?;
        }
        if args.get(3).to_boolean() {
            socket.set_reuse_port(true)?;
        }
        socket.set_nonblocking(true)?;
        socket.bind(&addr.into())?;
        Ok(socket)
    })();
    Ok(args.ctx.number(match bound {
        Ok(socket) => socket.into_raw_fd() as f64,
        Err(e) => errno_of(&e) as f64,
    }))
}

/// `ip:port`, where an IPv6 `ip` may name its scope's interface as libuv accepts:
/// `fe80::1%eth0` (an unknown name, or a number, is scope 0 as there).
fn scoped_addr(ip: &str, port: u16) -> Option<SocketAddr> {
    let Some((ip, zone)) = ip.split_once('%') else { return Some(SocketAddr::new(ip.parse().ok()?, port)) };
    let name = std::ffi::CString::new(zone).ok()?;
    // SAFETY: `name` is a NUL-terminated string that outlives the call.
    let scope = unsafe { libc::if_nametoindex(name.as_ptr()) };
    Some(SocketAddr::V6(std::net::SocketAddrV6::new(ip.parse().ok()?, port, 0, scope)))
}

/// `boundAddress(fd)`: the local address of a socket that stays the caller's, or a
/// negative errno.
fn bound_address(args: &Args) -> JsResult<Value> {
    let fd = args.number(0)? as RawFd;
    if fd < 0 {
        return Ok(args.ctx.number(-libc::EBADF as f64));
    }
    // SAFETY: the descriptor is open (JS holds it) for the length of this call.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    socket_address(args.ctx, Some(local_address(SockRef::from(&fd))))
}

fn local_address(socket: SockRef<'_>) -> std::io::Result<SocketAddr> {
    socket.local_addr()?.as_socket().ok_or_else(|| std::io::Error::from_raw_os_error(libc::EAFNOSUPPORT))
}

/// `listenBound(server, fd, backlog)`: the server listens on bound socket `fd`, which it
/// takes over (even when listen(2) fails) → 0 or a negative errno.
fn listen_bound(args: &Args) -> JsResult<Value> {
    let server = server_of(args)?;
    let fd = owned_fd(args, 1)?;
    let backlog = args.number(2)? as i32;
    let listening = SockRef::from(&fd).listen(backlog).and_then(|_| accept_on(&server, fd));
    Ok(args.ctx.number(status_of(listening)))
}

/// `adoptSocket(fd)`: a stream handle over a connected socket it takes over, or a
/// negative errno (a descriptor that is not a socket stays the caller's).
fn adopt_socket(args: &Args) -> JsResult<Value> {
    let fd = owned_fd(args, 0)?;
    let unix = match is_unix_socket(&fd) {
        Ok(unix) => unix,
        Err(e) => {
            let _ = fd.into_raw_fd();
            return Ok(args.ctx.number(errno_of(&e) as f64));
        }
    };
    let io = (|| -> std::io::Result<Io> {
        let socket = Socket::from(fd);
        socket.set_nonblocking(true)?;
        let _runtime = tokio_handle().enter();
        Ok(if unix { Io::Unix(UnixStream::from_std(socket.into())?) } else { Io::Tcp(TcpStream::from_std(socket.into())?) })
    })();
    Ok(match io {
        Ok(io) => args.ctx.wrap(StreamHandle::new(Some(io))).value(),
        Err(e) => args.ctx.number(errno_of(&e) as f64),
    })
}

/// `listenTcp(server, ip, port, backlog, ipv6Only)` → 0 or a negative errno (bind/listen
/// errors are synchronous, as libuv's).
fn listen_tcp(args: &Args) -> JsResult<Value> {
    let server = server_of(args)?;
    let addr = parse_addr(args, 1, 2)?;
    let backlog = args.number(3)? as i32;
    let ipv6_only = args.get(4).to_boolean();
    let bound = bind_tcp_socket(addr, backlog, ipv6_only).and_then(|socket| {
        let _runtime = tokio_handle().enter();
        TcpListener::from_std(socket.into())
    });
    Ok(args.ctx.number(match bound {
        Ok(listener) => {
            server.start(Listener::Tcp(listener));
            0.0
        }
        Err(e) => errno_of(&e) as f64,
    }))
}

/// `listenPipe(server, path, backlog)` → 0 or a negative errno.
fn listen_pipe(args: &Args) -> JsResult<Value> {
    let server = server_of(args)?;
    let path = args.string(1)?;
    let backlog = args.number(2)? as i32;
    let bound = (|| -> std::io::Result<UnixListener> {
        let socket = Socket::new(Domain::UNIX, Type::STREAM, None)?;
        socket.set_nonblocking(true)?;
        socket.bind(&socket2::SockAddr::unix(&path)?)?;
        socket.listen(backlog)?;
        let _runtime = tokio_handle().enter();
        UnixListener::from_std(socket.into())
    })();
    Ok(args.ctx.number(match bound {
        Ok(listener) => {
            server.start(Listener::Unix(listener, path));
            0.0
        }
        // libuv reports a missing directory as EACCES, as Windows would.
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => -libc::EACCES as f64,
        Err(e) => errno_of(&e) as f64,
    }))
}

/// `createSocket()`: a stream handle without a connection yet.
fn create_socket(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.wrap(StreamHandle::new(None)).value())
}

/// `connectTcp(handle, ip, port, req, localIp, localPort)`; `onConnect(owner, req, status)`.
fn connect_tcp(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let addr = parse_addr(args, 1, 2)?;
    let local = if args.get(4).is_string() { Some(parse_addr(args, 4, 5)?) } else { None };
    let request = args.get(3).protect();
    spawn_connect(handle, request, async move {
        let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
        if let Some(local) = local {
            socket.bind(local)?;
        }
        socket.connect(addr).await
    });
    Ok(args.ctx.undefined())
}

/// Runs `connecting` for `handle`; `onConnect(owner, request, status)` when it ends.
fn spawn_connect(
    handle: stream_handle::Handle,
    request: Protected,
    connecting: impl std::future::Future<Output = std::io::Result<TcpStream>> + 'static,
) {
    handle.begin_op();
    spawn_local(async move {
        let connected = connecting.await;
        complete_local(move |ctx| {
            handle.end_op();
            // An attempt abandoned meanwhile (autoSelectFamily moved on): the socket goes.
            if handle.is_closed() {
                return Ok(());
            }
            let status = match connected {
                Ok(stream) => {
                    handle.attach(Io::Tcp(stream));
                    0
                }
                Err(e) => errno_of(&e),
            };
            let Some(owner) = handle.owner() else { return Ok(()) };
            call_back(ctx, true, &[owner, request.value(), ctx.number(status as f64)])
        });
    });
}

/// `connectBound(handle, fd, ip, port, req)`: connects bound socket `fd`, which the handle
/// takes over (even when connecting fails) → 0, then `onConnect(owner, req, status)`; or
/// the negative errno of a connect(2) that failed at once.
fn connect_bound(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let socket = Socket::from(owned_fd(args, 1)?);
    let addr = parse_addr(args, 2, 3)?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(e) => return Ok(args.ctx.number(errno_of(&e) as f64)),
    }
    spawn_connect(handle, args.get(4).protect(), async move {
        let stream = TcpStream::from_std(socket.into())?;
        // As tokio's own connect: writable once the handshake ends, either way.
        stream.writable().await?;
        match stream.take_error()? {
            Some(e) => Err(e),
            None => Ok(stream),
        }
    });
    Ok(args.ctx.number(0.0))
}

/// `connectPipe(handle, path, req)`; `onConnect(owner, req, status)`.
fn connect_pipe(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let path = args.string(1)?;
    let request = args.get(2).protect();
    handle.begin_op();
    let h = handle.clone();
    spawn_local(async move {
        let connected = UnixStream::connect(path).await;
        complete_local(move |ctx| {
            h.end_op();
            let status = match connected {
                Ok(stream) => {
                    h.attach(Io::Unix(stream));
                    0
                }
                Err(e) => errno_of(&e),
            };
            let Some(owner) = h.owner() else { return Ok(()) };
            call_back(ctx, true, &[owner, request.value(), ctx.number(status as f64)])
        });
    });
    Ok(args.ctx.undefined())
}

fn address_object(ctx: Ctx, addr: SocketAddr) -> JsResult<Value> {
    let o = ctx.object();
    o.set("address", ctx.string(&addr.ip().to_string()))?;
    o.set("family", ctx.string(if addr.is_ipv4() { "IPv4" } else { "IPv6" }))?;
    o.set("port", ctx.number(addr.port() as f64))?;
    Ok(o.value())
}

/// `sockname(handle)` / `peername(handle)` for stream handles, `serverAddress(server)`:
/// `{ address, family, port }`, or a negative errno.
fn sockname(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let addr = handle.io().and_then(|io| io.tcp().map(|s| s.local_addr()));
    socket_address(args.ctx, addr)
}

fn peername(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let addr = handle.io().and_then(|io| io.tcp().map(|s| s.peer_addr()));
    socket_address(args.ctx, addr)
}

fn server_address(args: &Args) -> JsResult<Value> {
    let server = server_of(args)?;
    let addr = match server.listener.borrow().as_deref() {
        Some(Listener::Tcp(l)) => Some(l.local_addr()),
        _ => None,
    };
    socket_address(args.ctx, addr)
}

fn socket_address(ctx: Ctx, addr: Option<std::io::Result<SocketAddr>>) -> JsResult<Value> {
    match addr {
        Some(Ok(addr)) => address_object(ctx, addr),
        Some(Err(e)) => Ok(ctx.number(errno_of(&e) as f64)),
        None => Ok(ctx.number(-libc::EBADF as f64)),
    }
}

/// `setNoDelay(handle, on)` → 0 or a negative errno.
fn set_no_delay(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let on = args.get(1).to_boolean();
    let status = match handle.io().as_deref().and_then(Io::tcp) {
        Some(s) => s.set_nodelay(on).map_or_else(|e| errno_of(&e), |_| 0),
        None => 0,
    };
    Ok(args.ctx.number(status as f64))
}

/// `setKeepAlive(handle, on, delaySeconds)` → 0 or a negative errno.
fn set_keep_alive(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    let on = args.get(1).to_boolean();
    let delay = args.get(2).to_number().unwrap_or(0.0).max(1.0) as u64;
    let status = match handle.io().as_deref().and_then(Io::tcp) {
        Some(s) => {
            let sock = SockRef::from(s);
            let result = if on {
                sock.set_tcp_keepalive(&socket2::TcpKeepalive::new().with_time(std::time::Duration::from_secs(delay)))
            } else {
                sock.set_keepalive(false)
            };
            result.map_or_else(|e| errno_of(&e), |_| 0)
        }
        None => 0,
    };
    Ok(args.ctx.number(status as f64))
}

/// `resetAndClose(handle)`: closes with an RST (SO_LINGER 0), as `socket.resetAndDestroy()`.
fn reset_and_close(args: &Args) -> JsResult<Value> {
    let handle = handle_of(args, 0)?;
    if let Some(s) = handle.io().as_deref().and_then(Io::tcp) {
        let _ = SockRef::from(s).set_linger(Some(std::time::Duration::ZERO));
    }
    handle.close();
    Ok(args.ctx.undefined())
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    stream_handle::add_ops(b)?;
    b.set_function("setNetCallbacks", set_callbacks)?;
    b.set_function("createServer", create_server)?;
    b.set_function("listenTcp", listen_tcp)?;
    b.set_function("listenPipe", listen_pipe)?;
    b.set_function("serverAddress", server_address)?;
    b.set_function("serverClose", |args| {
        server_of(args)?.close();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("serverSetRef", |args| {
        let server = server_of(args)?;
        server.refed.set(args.get(1).to_boolean());
        server.update_ref();
        Ok(args.ctx.undefined())
    })?;
    b.set_function("createSocket", create_socket)?;
    b.set_function("bindTcp", bind_tcp)?;
    b.set_function("listenFd", listen_fd)?;
    b.set_function("bindSocket", bind_socket)?;
    b.set_function("boundAddress", bound_address)?;
    b.set_function("listenBound", listen_bound)?;
    b.set_function("connectBound", connect_bound)?;
    b.set_function("adoptSocket", adopt_socket)?;
    b.set_function("closeFd", |args| {
        drop(owned_fd(args, 0)?);
        Ok(args.ctx.undefined())
    })?;
    // listen(handle): the handle's connections go to the server listening on it now.
    b.set_function("serverSetOwner", |args| {
        *server_of(args)?.owner.borrow_mut() = Some(args.get(1).protect());
        Ok(args.ctx.undefined())
    })?;
    // The listening descriptor, or -1 (also for anything that is not a server handle).
    b.set_function("serverFd", |args| {
        let Some(server) = args.get(0).wrapped::<Server>().cloned() else { return Ok(args.ctx.number(-1.0)) };
        let fd = match server.listener.borrow().as_deref() {
            Some(Listener::Tcp(l)) => l.as_raw_fd(),
            Some(Listener::Unix(l, _)) => l.as_raw_fd(),
            None => -1,
        };
        Ok(args.ctx.number(fd as f64))
    })?;
    b.set_function("connectTcp", connect_tcp)?;
    b.set_function("connectPipe", connect_pipe)?;
    b.set_function("sockname", sockname)?;
    b.set_function("peername", peername)?;
    b.set_function("setNoDelay", set_no_delay)?;
    b.set_function("setKeepAlive", set_keep_alive)?;
    b.set_function("resetAndClose", reset_and_close)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::scoped_addr;

    #[test]
    fn addresses_take_an_optional_ipv6_scope() {
        assert_eq!(scoped_addr("127.0.0.1", 80).unwrap().to_string(), "127.0.0.1:80");
        assert_eq!(scoped_addr("::1", 0).unwrap().to_string(), "[::1]:0");
        assert_eq!(scoped_addr("fe80::1%3", 8).unwrap().to_string(), "[fe80::1]:8");
        assert_eq!(scoped_addr("fe80::1%lo", 8).unwrap().to_string(), "[fe80::1%1]:8");
        assert!(scoped_addr("localhost", 80).is_none());
        assert!(scoped_addr("127.0.0.1%1", 80).is_none());
    }
}
