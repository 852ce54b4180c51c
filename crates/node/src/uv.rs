//! libuv's error names and messages, and Node's system errors built from them
//! (`ENOENT: no such file or directory, open 'x'` with errno, code, syscall, path, dest).

use jsc::{Ctx, Value};

/// (errno, code, message) as libuv words them.
const ERRORS: &[(i32, &str, &str)] = &[
    (libc::E2BIG, "E2BIG", "argument list too long"),
    (libc::EACCES, "EACCES", "permission denied"),
    (libc::EADDRINUSE, "EADDRINUSE", "address already in use"),
    (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL", "address not available"),
    (libc::EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported"),
    (libc::EAGAIN, "EAGAIN", "resource temporarily unavailable"),
    (libc::EALREADY, "EALREADY", "connection already in progress"),
    (libc::EBADF, "EBADF", "bad file descriptor"),
    (libc::EBUSY, "EBUSY", "resource busy or locked"),
    (libc::ECANCELED, "ECANCELED", "operation canceled"),
    (libc::ECONNABORTED, "ECONNABORTED", "software caused connection abort"),
    (libc::ECONNREFUSED, "ECONNREFUSED", "connection refused"),
    (libc::ECONNRESET, "ECONNRESET", "connection reset by peer"),
    (libc::EDESTADDRREQ, "EDESTADDRREQ", "destination address required"),
    (libc::EEXIST, "EEXIST", "file already exists"),
    (libc::EFAULT, "EFAULT", "bad address in system call argument"),
    (libc::EFBIG, "EFBIG", "file too large"),
    (libc::EHOSTDOWN, "EHOSTDOWN", "host is down"),
    (libc::EHOSTUNREACH, "EHOSTUNREACH", "host is unreachable"),
    (libc::EILSEQ, "EILSEQ", "illegal byte sequence"),
    (libc::EINTR, "EINTR", "interrupted system call"),
    (libc::EINVAL, "EINVAL", "invalid argument"),
    (libc::EIO, "EIO", "i/o error"),
    (libc::EISCONN, "EISCONN", "socket is already connected"),
    (libc::EISDIR, "EISDIR", "illegal operation on a directory"),
    (libc::ELOOP, "ELOOP", "too many symbolic links encountered"),
    (libc::EMFILE, "EMFILE", "too many open files"),
    (libc::EMLINK, "EMLINK", "too many links"),
    (libc::EMSGSIZE, "EMSGSIZE", "message too long"),
    (libc::ENAMETOOLONG, "ENAMETOOLONG", "name too long"),
    (libc::ENETDOWN, "ENETDOWN", "network is down"),
    (libc::ENETUNREACH, "ENETUNREACH", "network is unreachable"),
    (libc::ENFILE, "ENFILE", "file table overflow"),
    (libc::ENOBUFS, "ENOBUFS", "no buffer space available"),
    (libc::ENODATA, "ENODATA", "no data available"),
    (libc::ENODEV, "ENODEV", "no such device"),
    (libc::ENOENT, "ENOENT", "no such file or directory"),
    (libc::ENOEXEC, "ENOEXEC", "exec format error"),
    (libc::ENOMEM, "ENOMEM", "not enough memory"),
    (libc::ENONET, "ENONET", "machine is not on the network"),
    (libc::ENOPROTOOPT, "ENOPROTOOPT", "protocol not available"),
    (libc::ENOSPC, "ENOSPC", "no space left on device"),
    (libc::ENOSYS, "ENOSYS", "function not implemented"),
    (libc::ENOTCONN, "ENOTCONN", "socket is not connected"),
    (libc::ENOTDIR, "ENOTDIR", "not a directory"),
    (libc::ENOTEMPTY, "ENOTEMPTY", "directory not empty"),
    (libc::ENOTSOCK, "ENOTSOCK", "socket operation on non-socket"),
    (libc::ENOTSUP, "ENOTSUP", "operation not supported on socket"),
    (libc::ENOTTY, "ENOTTY", "inappropriate ioctl for device"),
    (libc::ENXIO, "ENXIO", "no such device or address"),
    (libc::EOVERFLOW, "EOVERFLOW", "value too large for defined data type"),
    (libc::EPERM, "EPERM", "operation not permitted"),
    (libc::EPIPE, "EPIPE", "broken pipe"),
    (libc::EPROTO, "EPROTO", "protocol error"),
    (libc::EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported"),
    (libc::EPROTOTYPE, "EPROTOTYPE", "protocol wrong type for socket"),
    (libc::ERANGE, "ERANGE", "result too large"),
    (libc::EREMOTEIO, "EREMOTEIO", "remote I/O error"),
    (libc::EROFS, "EROFS", "read-only file system"),
    (libc::ESHUTDOWN, "ESHUTDOWN", "cannot send after transport endpoint shutdown"),
    (libc::ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT", "socket type not supported"),
    (libc::ESPIPE, "ESPIPE", "invalid seek"),
    (libc::ESRCH, "ESRCH", "no such process"),
    (libc::ETIMEDOUT, "ETIMEDOUT", "connection timed out"),
    (libc::ETXTBSY, "ETXTBSY", "text file is busy"),
    (libc::EUNATCH, "EUNATCH", "protocol driver not attached"),
    (libc::EXDEV, "EXDEV", "cross-device link not permitted"),
];

/// libuv's code and message for an errno.
pub fn describe(errno: i32) -> (String, String) {
    match ERRORS.iter().find(|(n, _, _)| *n == errno) {
        Some((_, code, msg)) => (code.to_string(), msg.to_string()),
        None => (format!("Unknown system error {}", -errno), format!("Unknown system error {}", -errno)),
    }
}

/// Node's error for a failed system call.
pub fn exception(ctx: Ctx, err: &std::io::Error, syscall: &str, path: Option<&str>, dest: Option<&str>) -> Value {
    let errno = err.raw_os_error().unwrap_or(libc::EIO);
    let (code, msg) = describe(errno);
    let mut message = format!("{code}: {msg}, {syscall}");
    if let Some(p) = path {
        message.push_str(&format!(" '{p}'"));
    }
    if let Some(d) = dest {
        message.push_str(&format!(" -> '{d}'"));
    }
    // Made through the global Error constructor so the stack has V8's format, like every
    // error programs make.
    let error = ctx
        .global()
        .get("Error")
        .and_then(|ctor| ctor.expect_object()?.construct(&[ctx.string(&message)]))
        .map(|obj| obj.value())
        .unwrap_or_else(|_| ctx.error(&message));
    if let Some(obj) = error.as_object() {
        let _ = obj.set("errno", ctx.number(-errno as f64));
        let _ = obj.set("code", ctx.string(&code));
        let _ = obj.set("syscall", ctx.string(syscall));
        if let Some(p) = path {
            let _ = obj.set("path", ctx.string(p));
        }
        if let Some(d) = dest {
            let _ = obj.set("dest", ctx.string(d));
        }
    }
    error
}

fn err_name(args: &jsc::Args) -> jsc::JsResult<Value> {
    let errno = args.number(0)? as i32;
    Ok(args.ctx.string(&describe(-errno).0))
}

pub fn binding(ctx: Ctx) -> jsc::JsResult<jsc::Object> {
    let b = ctx.object();
    b.set_function("errname", err_name)?;
    let map = ctx.object();
    for (errno, code, msg) in ERRORS {
        let entry = ctx.array(&[ctx.string(code), ctx.string(msg)])?;
        map.set(&(-errno).to_string(), entry.value())?;
    }
    b.set("errorMap", map.value())?;
    Ok(b)
}
