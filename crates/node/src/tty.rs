//! The `tty` binding: terminal facts (isatty, window size, raw mode), what kind of object a
//! stdio descriptor is, synchronous writes for process.stdout/stderr, and the stream handle
//! that piped, socket or terminal stdin is read through.

use crate::stream_handle::{errno_of, Io, StreamHandle};
use jsc::{Args, Ctx, JsResult, Object, Value};
use runtime::event_loop::tokio_handle;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::Mutex;

fn fd_arg(args: &Args) -> JsResult<i32> {
    Ok(args.number(0)? as i32)
}

fn last_errno() -> i32 {
    -io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

fn isatty(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.boolean(unsafe { libc::isatty(fd_arg(args)?) } == 1))
}

/// What `fd` is, in libuv's terms: "TTY", "FILE" (regular files and non-terminal character
/// devices such as /dev/null), "PIPE" (FIFOs and Unix sockets), "TCP", "UDP" or "UNKNOWN".
fn handle_kind(fd: i32) -> &'static str {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return "UNKNOWN";
    }
    match st.st_mode & libc::S_IFMT {
        libc::S_IFREG => "FILE",
        libc::S_IFCHR if unsafe { libc::isatty(fd) } == 1 => "TTY",
        libc::S_IFCHR => "FILE",
        libc::S_IFIFO => "PIPE",
        libc::S_IFSOCK => socket_kind(fd),
        _ => "UNKNOWN",
    }
}

fn socket_kind(fd: i32) -> &'static str {
    let mut addr: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    if unsafe { libc::getsockname(fd, &mut addr as *mut _ as *mut libc::sockaddr, &mut len) } != 0 {
        return "UNKNOWN";
    }
    let mut ty: libc::c_int = 0;
    let mut ty_len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    unsafe { libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_TYPE, &mut ty as *mut _ as *mut libc::c_void, &mut ty_len) };
    match (addr.ss_family as i32, ty) {
        (libc::AF_UNIX, _) => "PIPE",
        (libc::AF_INET | libc::AF_INET6, libc::SOCK_STREAM) => "TCP",
        (libc::AF_INET | libc::AF_INET6, libc::SOCK_DGRAM) => "UDP",
        _ => "UNKNOWN",
    }
}

fn guess_handle_type(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.string(handle_kind(fd_arg(args)?)))
}

/// `[columns, rows]` of the terminal on `fd`, or a negative errno.
fn window_size(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    if unsafe { libc::ioctl(fd_arg(args)?, libc::TIOCGWINSZ, &mut ws) } != 0 {
        return Ok(ctx.number(last_errno() as f64));
    }
    Ok(ctx.array(&[ctx.number(ws.ws_col as f64), ctx.number(ws.ws_row as f64)])?.value())
}

/// The terminal settings from before the first switch to raw mode, put back at exit.
static ORIGINAL_MODE: Mutex<Option<(i32, libc::termios)>> = Mutex::new(None);

extern "C" fn restore_mode_at_exit() {
    if let Ok(saved) = ORIGINAL_MODE.lock() {
        if let Some((fd, mode)) = *saved {
            unsafe { libc::tcsetattr(fd, libc::TCSANOW, &mode) };
        }
    }
}

/// `setRawMode(fd, raw)` → 0 or a negative errno. Raw mode is libuv's: no echo, no line
/// editing, no signals from keys, bytes delivered one at a time.
fn set_raw_mode(args: &Args) -> JsResult<Value> {
    let fd = fd_arg(args)?;
    let raw = args.get(1).to_boolean();
    let mut saved = ORIGINAL_MODE.lock().unwrap_or_else(|e| e.into_inner());
    if saved.is_none() {
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut mode) } != 0 {
            return Ok(args.ctx.number(last_errno() as f64));
        }
        *saved = Some((fd, mode));
        unsafe { libc::atexit(restore_mode_at_exit) };
    }
    let mut mode = saved.expect("saved above").1;
    if raw {
        mode.c_iflag &= !(libc::BRKINT | libc::ICRNL | libc::INPCK | libc::ISTRIP | libc::IXON);
        mode.c_oflag |= libc::ONLCR;
        mode.c_cflag |= libc::CS8;
        mode.c_lflag &= !(libc::ECHO | libc::ICANON | libc::IEXTEN | libc::ISIG);
        mode.c_cc[libc::VMIN] = 1;
        mode.c_cc[libc::VTIME] = 0;
    }
    let status = if unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, &mode) } != 0 { last_errno() } else { 0 };
    Ok(args.ctx.number(status as f64))
}

/// Writes all of `bytes` to `fd`, waiting for the descriptor when it would block, so that
/// stdout and stderr writes are synchronous whatever they are connected to.
fn write_all(fd: i32, bytes: &[u8]) -> Result<(), i32> {
    let mut written = 0;
    while written < bytes.len() {
        let rest = &bytes[written..];
        let n = unsafe { libc::write(fd, rest.as_ptr() as *const libc::c_void, rest.len()) };
        if n >= 0 {
            written += n as usize;
            continue;
        }
        match io::Error::last_os_error().raw_os_error() {
            Some(libc::EINTR) => {}
            Some(libc::EAGAIN) => {
                let mut pfd = libc::pollfd { fd, events: libc::POLLOUT, revents: 0 };
                unsafe { libc::poll(&mut pfd, 1, -1) };
            }
            _ => return Err(last_errno()),
        }
    }
    Ok(())
}

/// `writeSync(fd, stringOrBytes)` → 0 or a negative errno (strings are written as UTF-8).
fn write_sync(args: &Args) -> JsResult<Value> {
    let fd = fd_arg(args)?;
    let data = args.get(1);
    let status = match data.bytes() {
        Some(bytes) => write_all(fd, bytes),
        None => write_all(fd, data.to_string()?.as_bytes()),
    };
    Ok(args.ctx.number(status.err().unwrap_or(0) as f64))
}

/// A descriptor of its own for reading stdin: terminals are reopened by name so that the
/// non-blocking mode the reader needs doesn't leak into stdout and stderr, which usually
/// share stdin's open terminal; anything else is duplicated.
fn own_stdin_fd(fd: i32, kind: &str) -> io::Result<OwnedFd> {
    if kind == "TTY" {
        let name = unsafe { libc::ttyname(fd) };
        if !name.is_null() {
            let reopened = unsafe { libc::open(name, libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC) };
            if reopened >= 0 {
                return Ok(unsafe { OwnedFd::from_raw_fd(reopened) });
            }
        }
    }
    let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if copy < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(unsafe { OwnedFd::from_raw_fd(copy) })
}

fn stdin_io(fd: i32, kind: &str) -> io::Result<Io> {
    let owned = own_stdin_fd(fd, kind)?;
    let _runtime = tokio_handle().enter();
    if kind == "PIPE" && socket_kind(fd) == "PIPE" {
        let stream = std::os::unix::net::UnixStream::from(owned);
        stream.set_nonblocking(true)?;
        return Ok(Io::Unix(tokio::net::UnixStream::from_std(stream)?));
    }
    if kind == "TCP" {
        let stream = std::net::TcpStream::from(owned);
        stream.set_nonblocking(true)?;
        return Ok(Io::Tcp(tokio::net::TcpStream::from_std(stream)?));
    }
    // FIFOs and terminals: tokio's pipe receiver works on any pollable descriptor.
    let flags = unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&owned), libc::F_GETFL) };
    unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&owned), libc::F_SETFL, flags | libc::O_NONBLOCK) };
    Ok(Io::PipeRead(tokio::net::unix::pipe::Receiver::from_owned_fd_unchecked(owned)?))
}

/// `openStdin(fd, kind)` → a stream handle reading `fd` (for net.Socket / tty.ReadStream),
/// or a negative errno.
fn open_stdin(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let fd = fd_arg(args)?;
    let kind = args.string(1)?;
    match stdin_io(fd, &kind) {
        Ok(io) => Ok(ctx.wrap(StreamHandle::new(Some(io))).value()),
        Err(e) => Ok(ctx.number(errno_of(&e) as f64)),
    }
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("isatty", isatty)?;
    b.set_function("guessHandleType", guess_handle_type)?;
    b.set_function("windowSize", window_size)?;
    b.set_function("setRawMode", set_raw_mode)?;
    b.set_function("writeSync", write_sync)?;
    b.set_function("openStdin", open_stdin)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_descriptors() {
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        assert_eq!(handle_kind(fds[0]), "PIPE");
        let file = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(handle_kind(std::os::fd::AsRawFd::as_raw_fd(&file)), "FILE");
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        assert_eq!(handle_kind(std::os::fd::AsRawFd::as_raw_fd(&a)), "PIPE");
        assert_eq!(handle_kind(-1), "UNKNOWN");
        unsafe { libc::close(fds[0]) };
        unsafe { libc::close(fds[1]) };
    }

    #[test]
    fn write_all_reaches_the_reader() {
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        assert_eq!(write_all(fds[1], b"hello"), Ok(()));
        let mut buf = [0u8; 8];
        let n = unsafe { libc::read(fds[0], buf.as_mut_ptr() as *mut libc::c_void, 8) };
        assert_eq!(&buf[..n as usize], b"hello");
        unsafe { libc::close(fds[0]) };
        assert_eq!(write_all(fds[1], b"x"), Err(-libc::EPIPE));
        unsafe { libc::close(fds[1]) };
    }
}
