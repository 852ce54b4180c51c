//! Ops behind node:os: uname, memory, CPUs, load, network interfaces, the user's
//! passwd entry and process priorities. A failed call returns `{ errno, syscall }`,
//! which js/os.js turns into Node's SystemError.

use jsc::{Args, Ctx, JsResult, Object, Value};
use std::ffi::CStr;
use std::fs;

/// A failed call: the negative errno and libuv's name for the call.
fn failure(ctx: Ctx, errno: i32, syscall: &str) -> JsResult<Value> {
    let out = ctx.object();
    out.set("errno", ctx.number(-errno as f64))?;
    out.set("syscall", ctx.string(syscall))?;
    Ok(out.value())
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

fn c_string(ptr: *const libc::c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: callers pass NUL-terminated strings from libc.
    unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned()
}

/// uname() -> [sysname, release, version, machine].
fn uname(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    // SAFETY: utsname is plain data and uname fills it.
    let mut info: libc::utsname = unsafe { std::mem::zeroed() };
    if unsafe { libc::uname(&mut info) } != 0 {
        return failure(ctx, last_errno(), "uv_os_uname");
    }
    let field = |f: &[libc::c_char]| ctx.string(&c_string(f.as_ptr()));
    let parts = [field(&info.sysname), field(&info.release), field(&info.version), field(&info.machine)];
    Ok(ctx.array(&parts)?.value())
}

fn hostname(args: &Args) -> JsResult<Value> {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: the buffer is writable for its length.
    if unsafe { libc::gethostname(buf.as_mut_ptr(), buf.len()) } != 0 {
        return failure(args.ctx, last_errno(), "uv_os_gethostname");
    }
    Ok(args.ctx.string(&c_string(buf.as_ptr())))
}

/// The passwd entry of the effective user: (uid, gid, name, home, shell), or an errno.
fn passwd() -> Result<(u32, u32, String, String, String), i32> {
    let uid = unsafe { libc::geteuid() };
    let mut buf = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: passwd is plain data; getpwuid_r writes strings into `buf`.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = unsafe { libc::getpwuid_r(uid, &mut entry, buf.as_mut_ptr(), buf.len(), &mut result) };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 {
            return Err(rc);
        }
        if result.is_null() {
            return Err(libc::ENOENT);
        }
        return Ok((entry.pw_uid, entry.pw_gid, c_string(entry.pw_name), c_string(entry.pw_dir), c_string(entry.pw_shell)));
    }
}

/// $HOME when set (even empty, like libuv), else the passwd entry's directory.
fn homedir(args: &Args) -> JsResult<Value> {
    if let Some(home) = std::env::var_os("HOME") {
        return Ok(args.ctx.string(&home.to_string_lossy()));
    }
    match passwd() {
        Ok((_, _, _, home, _)) => Ok(args.ctx.string(&home)),
        Err(errno) => failure(args.ctx, errno, "uv_os_homedir"),
    }
}

fn user_info(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    match passwd() {
        Ok((uid, gid, name, home, shell)) => {
            let out = ctx.object();
            out.set("uid", ctx.number(uid as f64))?;
            out.set("gid", ctx.number(gid as f64))?;
            out.set("username", ctx.string(&name))?;
            out.set("homedir", ctx.string(&home))?;
            out.set("shell", ctx.string(&shell))?;
            Ok(out.value())
        }
        Err(errno) => failure(ctx, errno, "uv_os_get_passwd"),
    }
}

/// Seconds since boot, from /proc/uptime (two decimals, as libuv reports it).
fn uptime(args: &Args) -> JsResult<Value> {
    let seconds = fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()));
    match seconds {
        Some(s) => Ok(args.ctx.number(s)),
        None => failure(args.ctx, libc::EIO, "uv_uptime"),
    }
}

fn loadavg(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let text = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut loads = text.split_whitespace().take(3).map(|n| n.parse::<f64>().unwrap_or(0.0));
    let values: Vec<Value> = (0..3).map(|_| ctx.number(loads.next().unwrap_or(0.0))).collect();
    Ok(ctx.array(&values)?.value())
}

/// A /proc/meminfo field in bytes.
fn meminfo(field: &str) -> f64 {
    let text = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb * 1024.0)
}

fn total_memory(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(meminfo("MemTotal")))
}

fn free_memory(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(meminfo("MemAvailable")))
}

/// The CPUs this process may run on (affinity and cgroup quota, like libuv).
fn available_parallelism(args: &Args) -> JsResult<Value> {
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(args.ctx.number(n as f64))
}

/// cpus() -> [model, speed, user, nice, sys, idle, irq, ...] per CPU, times in ms.
fn cpus(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let ms_per_tick = 1000.0 / ticks;
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let models: Vec<&str> = cpuinfo
        .lines()
        .filter_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, m)| m.trim()))
        .collect();
    let stat = fs::read_to_string("/proc/stat").unwrap_or_default();
    // Each value goes into the array at once: the GC does not see a Vec's values.
    let mut out = jsc::ArrayBuilder::new(ctx)?;
    for line in stat.lines() {
        let Some(rest) = line.strip_prefix("cpu") else { continue };
        let Some((index, times)) = rest.split_once(' ') else { continue };
        let Ok(index) = index.parse::<usize>() else { continue };
        let t: Vec<f64> = times.split_whitespace().map(|n| n.parse::<f64>().unwrap_or(0.0)).collect();
        let tick = |i: usize| ctx.number(t.get(i).copied().unwrap_or(0.0) * ms_per_tick);
        let speed = fs::read_to_string(format!("/sys/devices/system/cpu/cpu{index}/cpufreq/scaling_cur_freq"))
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .map_or(0.0, |khz| (khz / 1000.0).floor());
        out.push(ctx.string(models.get(index).copied().unwrap_or("unknown")))?;
        out.push(ctx.number(speed))?;
        // /proc/stat: user nice system idle iowait irq ...
        for value in [tick(0), tick(1), tick(2), tick(3), tick(5)] {
            out.push(value)?;
        }
    }
    Ok(out.value())
}

fn format_mac(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// interfaceAddresses() -> [name, address, netmask, family, mac, internal, scopeid, ...]
/// for interfaces that are up and running (scopeid is -1 for IPv4).
fn interface_addresses(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs allocates a list we free below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return failure(ctx, last_errno(), "uv_interface_addresses");
    }
    let mut entries: Vec<*const libc::ifaddrs> = Vec::new();
    let mut cursor = head as *const libc::ifaddrs;
    while !cursor.is_null() {
        entries.push(cursor);
        cursor = unsafe { (*cursor).ifa_next };
    }
    let running = (libc::IFF_UP | libc::IFF_RUNNING) as u32;
    // MAC addresses come from the AF_PACKET entries of the same interface.
    let mac_of = |name: &str| -> String {
        for &e in &entries {
            let e = unsafe { &*e };
            if e.ifa_addr.is_null() || c_string(e.ifa_name) != name {
                continue;
            }
            if unsafe { (*e.ifa_addr).sa_family } as i32 == libc::AF_PACKET {
                let ll = unsafe { &*(e.ifa_addr as *const libc::sockaddr_ll) };
                return format_mac(&ll.sll_addr[..6]);
            }
        }
        "00:00:00:00:00:00".to_owned()
    };
    // Each value goes into the array at once: the GC does not see a Vec's values.
    let mut out = jsc::ArrayBuilder::new(ctx)?;
    for &e in &entries {
        let e = unsafe { &*e };
        if e.ifa_addr.is_null() || e.ifa_flags & running != running {
            continue;
        }
        let family = unsafe { (*e.ifa_addr).sa_family } as i32;
        let (address, netmask, scopeid) = match family {
            libc::AF_INET => {
                let addr = unsafe { &*(e.ifa_addr as *const libc::sockaddr_in) };
                let mask = if e.ifa_netmask.is_null() { 0 } else { unsafe { (*(e.ifa_netmask as *const libc::sockaddr_in)).sin_addr.s_addr } };
                let ip = std::net::Ipv4Addr::from(u32::from_be(addr.sin_addr.s_addr));
                (ip.to_string(), std::net::Ipv4Addr::from(u32::from_be(mask)).to_string(), -1.0)
            }
            libc::AF_INET6 => {
                let addr = unsafe { &*(e.ifa_addr as *const libc::sockaddr_in6) };
                let mask = if e.ifa_netmask.is_null() { [0; 16] } else { unsafe { (*(e.ifa_netmask as *const libc::sockaddr_in6)).sin6_addr.s6_addr } };
                let ip = std::net::Ipv6Addr::from(addr.sin6_addr.s6_addr);
                (ip.to_string(), std::net::Ipv6Addr::from(mask).to_string(), addr.sin6_scope_id as f64)
            }
            _ => continue,
        };
        let name = c_string(e.ifa_name);
        let fields = [
            ctx.string(&name),
            ctx.string(&address),
            ctx.string(&netmask),
            ctx.string(if family == libc::AF_INET { "IPv4" } else { "IPv6" }),
            ctx.string(&mac_of(&name)),
            ctx.boolean(e.ifa_flags & libc::IFF_LOOPBACK as u32 != 0),
            ctx.number(scopeid),
        ];
        for value in fields {
            out.push(value)?;
        }
    }
    // SAFETY: `head` came from getifaddrs and nothing points into it any more.
    unsafe { libc::freeifaddrs(head) };
    Ok(out.value())
}

/// getPriority(pid) -> the nice value.
fn get_priority(args: &Args) -> JsResult<Value> {
    let pid = args.number(0)? as libc::id_t;
    // getpriority may legitimately return -1, so errno tells failures apart.
    unsafe { *libc::__errno_location() = 0 };
    let priority = unsafe { libc::getpriority(libc::PRIO_PROCESS, pid) };
    let errno = last_errno();
    if priority == -1 && errno != 0 {
        return failure(args.ctx, errno, "uv_os_getpriority");
    }
    Ok(args.ctx.number(priority as f64))
}

/// setPriority(pid, priority) -> undefined.
fn set_priority(args: &Args) -> JsResult<Value> {
    let pid = args.number(0)? as libc::id_t;
    let priority = args.number(1)? as libc::c_int;
    if unsafe { libc::setpriority(libc::PRIO_PROCESS, pid, priority) } != 0 {
        return failure(args.ctx, last_errno(), "uv_os_setpriority");
    }
    Ok(args.ctx.undefined())
}

/// Error numbers in the order Node lists them in os.constants.errno.
const ERRNO: &[(&str, i32)] = &[
    ("E2BIG", libc::E2BIG), ("EACCES", libc::EACCES), ("EADDRINUSE", libc::EADDRINUSE),
    ("EADDRNOTAVAIL", libc::EADDRNOTAVAIL), ("EAFNOSUPPORT", libc::EAFNOSUPPORT), ("EAGAIN", libc::EAGAIN),
    ("EALREADY", libc::EALREADY), ("EBADF", libc::EBADF), ("EBADMSG", libc::EBADMSG), ("EBUSY", libc::EBUSY),
    ("ECANCELED", libc::ECANCELED), ("ECHILD", libc::ECHILD), ("ECONNABORTED", libc::ECONNABORTED),
    ("ECONNREFUSED", libc::ECONNREFUSED), ("ECONNRESET", libc::ECONNRESET), ("EDEADLK", libc::EDEADLK),
    ("EDESTADDRREQ", libc::EDESTADDRREQ), ("EDOM", libc::EDOM), ("EDQUOT", libc::EDQUOT), ("EEXIST", libc::EEXIST),
    ("EFAULT", libc::EFAULT), ("EFBIG", libc::EFBIG), ("EHOSTUNREACH", libc::EHOSTUNREACH), ("EIDRM", libc::EIDRM),
    ("EILSEQ", libc::EILSEQ), ("EINPROGRESS", libc::EINPROGRESS), ("EINTR", libc::EINTR), ("EINVAL", libc::EINVAL),
    ("EIO", libc::EIO), ("EISCONN", libc::EISCONN), ("EISDIR", libc::EISDIR), ("ELOOP", libc::ELOOP),
    ("EMFILE", libc::EMFILE), ("EMLINK", libc::EMLINK), ("EMSGSIZE", libc::EMSGSIZE), ("EMULTIHOP", libc::EMULTIHOP),
    ("ENAMETOOLONG", libc::ENAMETOOLONG), ("ENETDOWN", libc::ENETDOWN), ("ENETRESET", libc::ENETRESET),
    ("ENETUNREACH", libc::ENETUNREACH), ("ENFILE", libc::ENFILE), ("ENOBUFS", libc::ENOBUFS), ("ENODATA", libc::ENODATA),
    ("ENODEV", libc::ENODEV), ("ENOENT", libc::ENOENT), ("ENOEXEC", libc::ENOEXEC), ("ENOLCK", libc::ENOLCK),
    ("ENOLINK", libc::ENOLINK), ("ENOMEM", libc::ENOMEM), ("ENOMSG", libc::ENOMSG), ("ENOPROTOOPT", libc::ENOPROTOOPT),
    ("ENOSPC", libc::ENOSPC), ("ENOSR", libc::ENOSR), ("ENOSTR", libc::ENOSTR), ("ENOSYS", libc::ENOSYS),
    ("ENOTCONN", libc::ENOTCONN), ("ENOTDIR", libc::ENOTDIR), ("ENOTEMPTY", libc::ENOTEMPTY), ("ENOTSOCK", libc::ENOTSOCK),
    ("ENOTSUP", libc::ENOTSUP), ("ENOTTY", libc::ENOTTY), ("ENXIO", libc::ENXIO), ("EOPNOTSUPP", libc::EOPNOTSUPP),
    ("EOVERFLOW", libc::EOVERFLOW), ("EPERM", libc::EPERM), ("EPIPE", libc::EPIPE), ("EPROTO", libc::EPROTO),
    ("EPROTONOSUPPORT", libc::EPROTONOSUPPORT), ("EPROTOTYPE", libc::EPROTOTYPE), ("ERANGE", libc::ERANGE),
    ("EROFS", libc::EROFS), ("ESPIPE", libc::ESPIPE), ("ESRCH", libc::ESRCH), ("ESTALE", libc::ESTALE),
    ("ETIME", libc::ETIME), ("ETIMEDOUT", libc::ETIMEDOUT), ("ETXTBSY", libc::ETXTBSY),
    ("EWOULDBLOCK", libc::EWOULDBLOCK), ("EXDEV", libc::EXDEV),
];

const DLOPEN: &[(&str, i32)] = &[
    ("RTLD_LAZY", libc::RTLD_LAZY), ("RTLD_NOW", libc::RTLD_NOW), ("RTLD_GLOBAL", libc::RTLD_GLOBAL),
    ("RTLD_LOCAL", libc::RTLD_LOCAL), ("RTLD_DEEPBIND", libc::RTLD_DEEPBIND),
];

fn number_table(ctx: Ctx, table: &[(&str, i32)]) -> JsResult<Object> {
    let out = ctx.object();
    for (name, value) in table {
        out.set(name, ctx.number(*value as f64))?;
    }
    Ok(out)
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    let ops: &[(&str, jsc::NativeFn)] = &[
        ("uname", uname),
        ("hostname", hostname),
        ("homedir", homedir),
        ("userInfo", user_info),
        ("uptime", uptime),
        ("loadavg", loadavg),
        ("totalMemory", total_memory),
        ("freeMemory", free_memory),
        ("availableParallelism", available_parallelism),
        ("cpus", cpus),
        ("interfaceAddresses", interface_addresses),
        ("getPriority", get_priority),
        ("setPriority", set_priority),
    ];
    for (name, f) in ops {
        b.set_function(name, *f)?;
    }
    b.set("errno", number_table(ctx, ERRNO)?.value())?;
    b.set("dlopen", number_table(ctx, DLOPEN)?.value())?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_addresses() {
        assert_eq!(format_mac(&[2, 0xfc, 0, 0, 0, 1]), "02:fc:00:00:00:01");
    }

    #[test]
    fn meminfo_fields() {
        assert!(meminfo("MemTotal") >= meminfo("MemAvailable"));
        assert_eq!(meminfo("NoSuchField"), 0.0);
    }
}
