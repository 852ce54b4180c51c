//! node:dns's native side. `dns.lookup` and `dns.lookupService` are the system's
//! getaddrinfo/getnameinfo on the thread pool; the `Resolver` API talks DNS itself
//! (`resolver.rs`), as Node does through c-ares.
//!
//! Errors reach JS as libuv's negative error numbers (`UV_EAI_NONAME` is -3008); js/dns.js
//! turns them into Node's `getaddrinfo ENOTFOUND host` errors.

mod resolver;
mod wire;

use jsc::{Args, Ctx, JsResult, Object, Value};
use std::ffi::{CStr, CString};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// libuv's numbers for getaddrinfo's EAI_* errors (UV_EAI_ADDRFAMILY is -3000...).
fn uv_eai_error(eai: i32) -> i32 {
    match eai {
        // EAI_ADDRFAMILY has no libc constant; glibc and musl both use -9.
        -9 => -3000,
        libc::EAI_AGAIN => -3001,
        libc::EAI_BADFLAGS => -3002,
        libc::EAI_FAIL => -3004,
        libc::EAI_FAMILY => -3005,
        libc::EAI_MEMORY => -3006,
        libc::EAI_NODATA => -3007,
        libc::EAI_NONAME => -3008,
        libc::EAI_OVERFLOW => -3009,
        libc::EAI_SERVICE => -3010,
        libc::EAI_SOCKTYPE => -3011,
        libc::EAI_SYSTEM => -std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO),
        _ => -3004,
    }
}

/// How `dns.lookup` orders the addresses getaddrinfo returned.
#[derive(Clone, Copy)]
enum Order {
    Verbatim,
    Ipv4First,
    Ipv6First,
}

/// getaddrinfo for TCP addresses of `family` (0, 4 or 6) with the AI_* `flags`: the
/// addresses as text, in `order`, or libuv's error number.
fn getaddrinfo(host: &str, family: i32, flags: i32, order: Order) -> Result<Vec<String>, i32> {
    let c_host = CString::new(host).map_err(|_| -3008)?;
    // SAFETY: an all-zero addrinfo is a valid "no hints" value.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = match family {
        4 => libc::AF_INET,
        6 => libc::AF_INET6,
        _ => libc::AF_UNSPEC,
    };
    hints.ai_socktype = libc::SOCK_STREAM;
    hints.ai_flags = flags;
    let mut list: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: c_host is NUL-terminated, hints is initialised, list receives the result.
    let status = unsafe { libc::getaddrinfo(c_host.as_ptr(), std::ptr::null(), &hints, &mut list) };
    if status != 0 {
        return Err(uv_eai_error(status));
    }
    let mut addresses: Vec<IpAddr> = Vec::new();
    let mut entry = list;
    while !entry.is_null() {
        // SAFETY: entry is a node of the list getaddrinfo returned, freed below.
        let info = unsafe { &*entry };
        // SAFETY: ai_addr points to a sockaddr of the size and family the entry names.
        match info.ai_family {
            libc::AF_INET => {
                let sa = unsafe { &*(info.ai_addr as *const libc::sockaddr_in) };
                addresses.push(IpAddr::V4(Ipv4Addr::from(u32::from_be(sa.sin_addr.s_addr))));
            }
            libc::AF_INET6 => {
                let sa = unsafe { &*(info.ai_addr as *const libc::sockaddr_in6) };
                addresses.push(IpAddr::V6(Ipv6Addr::from(sa.sin6_addr.s6_addr)));
            }
            _ => {}
        }
        entry = info.ai_next;
    }
    // SAFETY: list came from getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(list) };
    match order {
        Order::Verbatim => {}
        Order::Ipv4First => addresses.sort_by_key(|a| a.is_ipv6()),
        Order::Ipv6First => addresses.sort_by_key(|a| a.is_ipv4()),
    }
    if addresses.is_empty() {
        return Err(-3007);
    }
    Ok(addresses.iter().map(format_ip).collect())
}

/// getnameinfo with NI_NAMEREQD, as libuv calls it: (host name, service name).
fn getnameinfo(addr: SocketAddr) -> Result<(String, String), i32> {
    let mut host = [0 as libc::c_char; libc::NI_MAXHOST as usize];
    let mut service = [0 as libc::c_char; 32];
    let sockaddr = socket2::SockAddr::from(addr);
    // SAFETY: sockaddr is a valid address of the given length; the buffers are writable and
    // their lengths are passed.
    let status = unsafe {
        libc::getnameinfo(
            sockaddr.as_ptr() as *const libc::sockaddr,
            sockaddr.len(),
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            service.as_mut_ptr(),
            service.len() as libc::socklen_t,
            libc::NI_NAMEREQD,
        )
    };
    if status != 0 {
        return Err(uv_eai_error(status));
    }
    // SAFETY: getnameinfo NUL-terminates both buffers on success.
    let text = |buf: &[libc::c_char]| unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned();
    Ok((text(&host), text(&service)))
}

/// An address as c-ares and libuv print it (their inet_ntop): IPv6 words in lowercase hex,
/// the longest run of two or more zero words as `::`, and a dotted IPv4 tail for
/// IPv4-mapped addresses and for IPv4-compatible ones other than `::` and `::1`.
pub fn format_ip(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format_ipv6(v6),
    }
}

fn format_ipv6(ip: &Ipv6Addr) -> String {
    let words = ip.segments();
    // The longest run of zero words (the first of equal ones), if at least two long.
    let (mut best, mut run) = ((0usize, 0usize), (0usize, 0usize));
    for (i, &w) in words.iter().enumerate() {
        if w == 0 {
            if run.1 == 0 {
                run.0 = i;
            }
            run.1 += 1;
            if run.1 > best.1 {
                best = run;
            }
        } else {
            run.1 = 0;
        }
    }
    if best.1 < 2 {
        best = (usize::MAX, 0);
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if i == best.0 {
            out.push(':');
            i += best.1;
            if i == 8 {
                out.push(':');
            }
            continue;
        }
        if i != 0 {
            out.push(':');
        }
        if i == 6 && best.0 == 0 && (best.1 == 6 || (best.1 == 5 && words[5] == 0xffff)) {
            let [.., a, b, c, d] = ip.octets();
            out.push_str(&format!("{a}.{b}.{c}.{d}"));
            return out;
        }
        out.push_str(&format!("{:x}", words[i]));
        i += 1;
    }
    out
}

/// `getaddrinfo(hostname, family, hints, order, callback)`: `callback(errno, addresses)`
/// on the JS thread, `addresses` as text.
fn getaddrinfo_op(args: &Args) -> JsResult<Value> {
    let host = args.string(0)?;
    let family = args.number(1)? as i32;
    let flags = args.number(2)? as i32;
    let order = match args.number(3)? as i32 {
        1 => Order::Ipv4First,
        2 => Order::Ipv6First,
        _ => Order::Verbatim,
    };
    let callback = args.get(4).protect();
    runtime::event_loop::spawn_blocking(
        move || getaddrinfo(&host, family, flags, order),
        move |ctx, result| {
            let (status, addresses) = match result {
                Ok(list) => {
                    (0, ctx.array_from(list.iter().map(|a| Ok(ctx.string(a))))?.value())
                }
                Err(errno) => (errno, ctx.undefined()),
            };
            callback.object().expect("callback").call(None, &[ctx.number(status as f64), addresses])?;
            Ok(())
        },
    );
    Ok(args.ctx.undefined())
}

/// `getnameinfo(address, port, callback)`: `callback(errno, hostname, service)`.
fn getnameinfo_op(args: &Args) -> JsResult<Value> {
    let ip: IpAddr = args.string(0)?.split('%').next().unwrap_or("").parse().map_err(|_| args.ctx.error("bad IP address"))?;
    let addr = SocketAddr::new(ip, args.number(1)? as u16);
    let callback = args.get(2).protect();
    runtime::event_loop::spawn_blocking(
        move || getnameinfo(addr),
        move |ctx, result| {
            let values = match result {
                Ok((host, service)) => [ctx.number(0.0), ctx.string(&host), ctx.string(&service)],
                Err(errno) => [ctx.number(errno as f64), ctx.undefined(), ctx.undefined()],
            };
            callback.object().expect("callback").call(None, &values)?;
            Ok(())
        },
    );
    Ok(args.ctx.undefined())
}

/// `canonicalizeIP(text)`: the address in c-ares's text form, or undefined if not an IP.
fn canonicalize_ip(args: &Args) -> JsResult<Value> {
    let text = args.string(0)?;
    let ip = text.split('%').next().unwrap_or("").parse::<IpAddr>();
    Ok(match ip {
        Ok(ip) => args.ctx.string(&format_ip(&ip)),
        Err(_) => args.ctx.undefined(),
    })
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("getaddrinfo", getaddrinfo_op)?;
    b.set_function("getnameinfo", getnameinfo_op)?;
    b.set_function("canonicalizeIP", canonicalize_ip)?;
    resolver::add_ops(b)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(text: &str) -> String {
        format_ipv6(&text.parse().unwrap())
    }

    #[test]
    fn ipv6_text_matches_inet_ntop() {
        assert_eq!(v6("::"), "::");
        assert_eq!(v6("::1"), "::1");
        assert_eq!(v6("::2"), "::2");
        assert_eq!(v6("::1:53"), "::0.1.0.83");
        assert_eq!(v6("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(v6("2001:db8::1"), "2001:db8::1");
        assert_eq!(v6("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
        assert_eq!(v6("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
        assert_eq!(v6("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
        assert_eq!(v6("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
        assert_eq!(v6("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
        assert_eq!(v6("fe80::"), "fe80::");
        assert_eq!(v6("::ffff:0:1.2.3.4"), "::ffff:0:102:304");
    }
}
