//! The `Resolver` of node:dns: what Node does with c-ares, done here over tokio sockets.
//!
//! A channel holds the servers and retry settings. A query goes to the servers in turn
//! over UDP (`tries` rounds, the timeout doubling each round, capped by `maxTimeout`),
//! switches to TCP when the answer is truncated, and takes the first answer to its
//! question as final, whatever its rcode (c-ares with ARES_FLAG_NOCHECKRESP, as Node sets
//! it). Results are built into the objects Node returns, with c-ares's quirks: see
//! [`answer_to_js`] and [`any_to_js`].
//!
//! Errors reach JS as c-ares's code names (`ENOTFOUND`, `ETIMEOUT`...).

use super::wire::{self, RData, Record, Response};
use super::format_ip;
use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::event_loop::{complete_local, ref_handle, spawn_local, unref_handle};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, UdpSocket};

/// c-ares's timeout when Node passes -1.
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(2000);

#[derive(Clone)]
struct Config {
    servers: Vec<SocketAddr>,
    timeout: Duration,
    tries: u32,
    max_timeout: Option<Duration>,
    local_v4: Option<Ipv4Addr>,
    local_v6: Option<Ipv6Addr>,
}

struct Pending {
    task: tokio::task::JoinHandle<()>,
    callback: Protected,
}

/// A resolver's state (Node's ChannelWrap). Queries in flight are kept by id so that
/// `cancel()` can end them in the order they were made.
struct Channel {
    config: RefCell<Config>,
    pending: RefCell<BTreeMap<u64, Pending>>,
    next_id: Cell<u64>,
}

type ChannelRef = Rc<Channel>;

fn channel_of(args: &Args) -> JsResult<ChannelRef> {
    args.get(0).wrapped::<ChannelRef>().cloned().ok_or_else(|| args.ctx.error("not a DNS channel"))
}

/// What /etc/resolv.conf sets: its nameservers (c-ares falls back to 127.0.0.1 without
/// any) and `options timeout:N` (seconds), the timeout when Node asks for the default.
fn system_config() -> (Vec<SocketAddr>, Option<Duration>) {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut servers = Vec::new();
    let mut timeout = None;
    for line in text.lines() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => {
                if let Some(Ok(ip)) = words.next().map(|w| w.split('%').next().unwrap_or("").parse::<IpAddr>()) {
                    servers.push(SocketAddr::new(ip, 53));
                }
            }
            Some("options") => {
                for option in words {
                    if let Some(Ok(seconds)) = option.strip_prefix("timeout:").map(str::parse::<u64>) {
                        timeout = Some(Duration::from_secs(seconds.max(1)));
                    }
                }
            }
            _ => {}
        }
    }
    if servers.is_empty() {
        servers.push(SocketAddr::from(([127, 0, 0, 1], 53)));
    }
    (servers, timeout)
}

/// `createChannel(timeoutMs, tries, maxTimeoutMs)`: timeout -1 is c-ares's default, a
/// maxTimeout of 0 means none.
fn create_channel(args: &Args) -> JsResult<Value> {
    let timeout = args.number(0)?;
    let max_timeout = args.number(2)?;
    let (servers, system_timeout) = system_config();
    let config = Config {
        servers,
        timeout: if timeout < 0.0 {
            system_timeout.unwrap_or(DEFAULT_TIMEOUT)
        } else {
            Duration::from_millis(timeout as u64)
        },
        tries: (args.number(1)? as u32).max(1),
        max_timeout: (max_timeout > 0.0).then(|| Duration::from_millis(max_timeout as u64)),
        local_v4: None,
        local_v6: None,
    };
    let channel = Rc::new(Channel { config: RefCell::new(config), pending: RefCell::default(), next_id: Cell::new(0) });
    Ok(args.ctx.wrap(channel).value())
}

/// `getServers(channel)`: `[[address, port], ...]`.
fn get_servers(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let channel = channel_of(args)?;
    let config = channel.config.borrow();
    let items = config.servers.iter().map(|s| Ok(ctx.array(&[ctx.string(&format_ip(&s.ip())), ctx.number(s.port() as f64)])?.value()));
    Ok(ctx.array_from(items)?.value())
}

/// `setServers(channel, [[address, port], ...])` with addresses js/dns.js validated;
/// repeats are dropped.
fn set_servers(args: &Args) -> JsResult<Value> {
    let channel = channel_of(args)?;
    let list = args.get(1).expect_object()?;
    let count = list.get("length")?.to_number()? as u32;
    let mut servers = Vec::new();
    for i in 0..count {
        let entry = list.get_index(i)?.expect_object()?;
        let ip = entry.get_index(0)?.to_string()?;
        let ip: IpAddr = ip.split('%').next().unwrap_or("").parse().map_err(|_| args.ctx.error("bad IP address"))?;
        let server = SocketAddr::new(ip, entry.get_index(1)?.to_number()? as u16);
        // c-ares keeps one of each address and port.
        if !servers.contains(&server) {
            servers.push(server);
        }
    }
    channel.config.borrow_mut().servers = servers;
    Ok(args.ctx.undefined())
}

/// `setLocalAddress(channel, ipv4 | undefined, ipv6 | undefined)`.
fn set_local_address(args: &Args) -> JsResult<Value> {
    let channel = channel_of(args)?;
    let parse = |v: Value| -> JsResult<Option<IpAddr>> {
        if v.is_string() { Ok(v.to_string()?.split('%').next().unwrap_or("").parse().ok()) } else { Ok(None) }
    };
    let mut config = channel.config.borrow_mut();
    config.local_v4 = match parse(args.get(1))? {
        Some(IpAddr::V4(v4)) => Some(v4),
        _ => None,
    };
    config.local_v6 = match parse(args.get(2))? {
        Some(IpAddr::V6(v6)) => Some(v6),
        _ => None,
    };
    Ok(args.ctx.undefined())
}

/// What a query ends with: the answer, or c-ares's error code name.
type Outcome = Result<Response, &'static str>;

/// `query(channel, name, type, callback)`: `callback(code, result, ttls)` with `code`
/// undefined on success. `getHostByAddr(channel, ip, callback)` is a PTR query for the
/// address's in-addr.arpa/ip6.arpa name after a look in /etc/hosts.
fn query(args: &Args) -> JsResult<Value> {
    let channel = channel_of(args)?;
    let name = args.string(1)?;
    let qtype = args.number(2)? as u16;
    start(&channel, args.get(3).protect(), qtype, move |config: Config| async move {
        if config.servers.is_empty() {
            // ARES_ENOSERVER, a code Node has no name for.
            return Err("UNKNOWN_ARES_ERROR");
        }
        run_query(&config, &name, qtype).await
    });
    Ok(args.ctx.undefined())
}

fn get_host_by_addr(args: &Args) -> JsResult<Value> {
    let channel = channel_of(args)?;
    let ip: IpAddr = args.string(1)?.split('%').next().unwrap_or("").parse().map_err(|_| args.ctx.error("bad IP address"))?;
    let ptr_name = reverse_name(ip);
    start(&channel, args.get(2).protect(), wire::TYPE_PTR, move |config: Config| async move {
        if let Some(names) = hosts_file_names(ip) {
            return Ok(hosts_response(names));
        }
        if config.servers.is_empty() {
            return Err("ENOTFOUND");
        }
        run_query(&config, &ptr_name, wire::TYPE_PTR).await
    });
    Ok(args.ctx.undefined())
}

/// The in-addr.arpa or ip6.arpa name to look up `ip` by.
fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(v6) => {
            let mut name = String::new();
            for byte in v6.octets().iter().rev() {
                name.push_str(&format!("{:x}.{:x}.", byte & 0xf, byte >> 4));
            }
            name + "ip6.arpa"
        }
    }
}

/// Names /etc/hosts gives `ip`, in file order.
fn hosts_file_names(ip: IpAddr) -> Option<Vec<String>> {
    let text = std::fs::read_to_string("/etc/hosts").ok()?;
    let names: Vec<String> = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let addr: IpAddr = words.next()?.parse().ok()?;
            (addr == ip).then(|| words.map(str::to_string).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    (!names.is_empty()).then_some(names)
}

/// A hosts-file match as c-ares reports it: the first name is the host's name, the
/// others its aliases, and Node returns the aliases.
fn hosts_response(names: Vec<String>) -> Response {
    let answers = names
        .into_iter()
        .skip(1)
        .map(|name| Record { name: String::new(), rtype: wire::TYPE_PTR, class: 1, ttl: 0, data: RData::Name(name) })
        .collect();
    Response { id: 0, truncated: false, rcode: 0, question: None, question_name: String::new(), answers }
}

/// Runs `work` as a query of `channel` and calls `callback` with its result.
fn start<F>(channel: &ChannelRef, callback: Protected, qtype: u16, work: impl FnOnce(Config) -> F + 'static)
where
    F: std::future::Future<Output = Outcome> + 'static,
{
    let id = channel.next_id.get() + 1;
    channel.next_id.set(id);
    let config = channel.config.borrow().clone();
    ref_handle();
    let owner = channel.clone();
    let task = spawn_local(async move {
        let outcome = work(config).await;
        complete_local(move |ctx| {
            // Gone when cancel() already answered the callback.
            let Some(pending) = owner.pending.borrow_mut().remove(&id) else { return Ok(()) };
            unref_handle();
            let answer = match outcome {
                Ok(response) => answer_to_js(ctx, qtype, &response)?,
                Err(code) => Err(code),
            };
            let (code, result, ttls) = match answer {
                Ok((result, ttls)) => (ctx.undefined(), result, ttls),
                Err(code) => (ctx.string(code), ctx.undefined(), ctx.undefined()),
            };
            pending.callback.object().expect("callback").call(None, &[code, result, ttls])?;
            Ok(())
        });
    });
    channel.pending.borrow_mut().insert(id, Pending { task, callback });
}

/// `cancel(channel)`: every query in flight fails with ECANCELLED, in the order made.
fn cancel(args: &Args) -> JsResult<Value> {
    let channel = channel_of(args)?;
    let pending = std::mem::take(&mut *channel.pending.borrow_mut());
    for (_, Pending { task, callback }) in pending {
        task.abort();
        complete_local(move |ctx| {
            unref_handle();
            let code = ctx.string("ECANCELLED");
            callback.object().expect("callback").call(None, &[code, ctx.undefined(), ctx.undefined()])?;
            Ok(())
        });
    }
    Ok(args.ctx.undefined())
}

pub fn add_ops(b: Object) -> JsResult<()> {
    b.set_function("createChannel", create_channel)?;
    b.set_function("getServers", get_servers)?;
    b.set_function("setServers", set_servers)?;
    b.set_function("setLocalAddress", set_local_address)?;
    b.set_function("query", query)?;
    b.set_function("getHostByAddr", get_host_by_addr)?;
    b.set_function("cancel", cancel)?;
    Ok(())
}

// --- Talking to servers ---------------------------------------------------------------

fn random_id() -> u16 {
    let mut id = [0u8; 2];
    // SAFETY: writes at most id.len() bytes into id.
    unsafe { libc::getrandom(id.as_mut_ptr().cast(), id.len(), 0) };
    u16::from_ne_bytes(id)
}

/// c-ares's code for a failed exchange with a server.
fn io_code(err: &io::Error) -> &'static str {
    match err.kind() {
        io::ErrorKind::TimedOut => "ETIMEOUT",
        _ => "ECONNREFUSED",
    }
}

async fn run_query(config: &Config, name: &str, qtype: u16) -> Outcome {
    let id = random_id();
    let Some(query) = wire::encode_query(id, name, qtype) else { return Err("EBADNAME") };
    let servers = &config.servers;
    let mut last_error = "ETIMEOUT";
    for attempt in 0..config.tries as usize * servers.len() {
        let server = servers[attempt % servers.len()];
        let round = (attempt / servers.len()).min(16) as u32;
        let mut timeout = config.timeout * 2u32.pow(round);
        if let Some(max) = config.max_timeout {
            timeout = timeout.min(max);
        }
        let local = match server.ip() {
            IpAddr::V4(_) => config.local_v4.map(IpAddr::V4),
            IpAddr::V6(_) => config.local_v6.map(IpAddr::V6),
        };
        let exchanged = match udp_exchange(server, local, &query, timeout).await {
            Ok(response) if response.truncated => tcp_exchange(server, local, &query, timeout).await,
            other => other,
        };
        match exchanged {
            Ok(response) => return final_outcome(response),
            Err(code) => last_error = code,
        }
    }
    Err(last_error)
}

/// The rcode of the answer to our question as Node reports it.
fn final_outcome(response: Response) -> Outcome {
    match response.rcode {
        1 => Err("EFORMERR"),
        2 | 11..=15 => Err("ESERVFAIL"),
        3 => Err("ENOTFOUND"),
        4 => Err("ENOTIMP"),
        5 => Err("EREFUSED"),
        _ if response.answers.is_empty() => Err("ENODATA"),
        _ => Ok(response),
    }
}

/// Whether `response` answers `query` (same id and question).
fn answers(query: &[u8], response: &Response) -> bool {
    let id = u16::from_be_bytes([query[0], query[1]]);
    let asked = &query[12..query.len() - 4];
    let qtype = u16::from_be_bytes([query[query.len() - 4], query[query.len() - 3]]);
    response.id == id
        && response.question.as_ref().is_some_and(|(name, t)| *t == qtype && name.eq_ignore_ascii_case(asked))
}

/// One response from a server, parsed; a malformed record is reported as c-ares does,
/// as ENOTFOUND, and an unreadable message as EBADRESP.
fn parse(query: &[u8], msg: &[u8]) -> Option<Result<Response, &'static str>> {
    match wire::parse_response(msg) {
        Ok(response) if answers(query, &response) => Some(Ok(response)),
        Ok(_) => None,
        Err(wire::ParseError::Record) if msg.len() >= 2 && msg[..2] == query[..2] => Some(Err("ENOTFOUND")),
        Err(_) => Some(Err("EBADRESP")),
    }
}

async fn udp_exchange(server: SocketAddr, local: Option<IpAddr>, query: &[u8], timeout: Duration) -> Result<Response, &'static str> {
    let exchange = async {
        let bind = local.unwrap_or(if server.is_ipv4() { Ipv4Addr::UNSPECIFIED.into() } else { Ipv6Addr::UNSPECIFIED.into() });
        let socket = UdpSocket::bind(SocketAddr::new(bind, 0)).await.map_err(|e| io_code(&e))?;
        socket.connect(server).await.map_err(|e| io_code(&e))?;
        socket.send(query).await.map_err(|e| io_code(&e))?;
        let mut buf = vec![0u8; 65536];
        loop {
            let n = socket.recv(&mut buf).await.map_err(|e| io_code(&e))?;
            if let Some(result) = parse(query, &buf[..n]) {
                return result;
            }
        }
    };
    tokio::time::timeout(timeout, exchange).await.unwrap_or(Err("ETIMEOUT"))
}

async fn tcp_exchange(server: SocketAddr, local: Option<IpAddr>, query: &[u8], timeout: Duration) -> Result<Response, &'static str> {
    let exchange = async {
        let socket = if server.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }.map_err(|e| io_code(&e))?;
        if let Some(local) = local {
            socket.bind(SocketAddr::new(local, 0)).map_err(|e| io_code(&e))?;
        }
        let mut stream = socket.connect(server).await.map_err(|e| io_code(&e))?;
        let mut framed = (query.len() as u16).to_be_bytes().to_vec();
        framed.extend_from_slice(query);
        stream.write_all(&framed).await.map_err(|e| io_code(&e))?;
        loop {
            let len = stream.read_u16().await.map_err(|_| "EBADRESP")? as usize;
            let mut msg = vec![0u8; len];
            stream.read_exact(&mut msg).await.map_err(|_| "EBADRESP")?;
            if let Some(result) = parse(query, &msg) {
                return result;
            }
        }
    };
    tokio::time::timeout(timeout, exchange).await.unwrap_or(Err("ETIMEOUT"))
}

// --- Answers as Node reports them -----------------------------------------------------

/// Text of bytes c-ares hands over as they are (TXT, CAA, NAPTR strings): Node makes
/// one-byte (Latin-1) strings of them.
fn latin1(ctx: Ctx, bytes: &[u8]) -> Value {
    let units: Vec<u16> = bytes.iter().map(|&b| b as u16).collect();
    ctx.string_utf16(&units)
}

fn records(response: &Response, rtype: u16) -> impl Iterator<Item = &Record> {
    response.answers.iter().filter(move |r| r.rtype == rtype && r.class == 1)
}

/// Addresses of type `qtype` for the question's name, following CNAMEs through the
/// answer, as c-ares's addrinfo does: (address, ttl) with each TTL capped by the
/// CNAMEs', and the last name reached if any CNAME was followed.
fn follow_addresses(response: &Response, qtype: u16) -> (Vec<(IpAddr, u32)>, Option<String>) {
    let mut host = response.question_name.clone();
    let mut cname: Option<(String, u32)> = None;
    let mut found = Vec::new();
    for record in response.answers.iter().filter(|r| r.class == 1) {
        if !wire::same_name(&record.name, &host) {
            continue;
        }
        match (&record.data, qtype) {
            (RData::A(ip), wire::TYPE_A) => found.push((IpAddr::V4(*ip), record.ttl)),
            (RData::Aaaa(ip), wire::TYPE_AAAA) => found.push((IpAddr::V6(*ip), record.ttl)),
            (RData::Name(target), _) if record.rtype == wire::TYPE_CNAME => {
                host = target.clone();
                let ttl = cname.as_ref().map_or(record.ttl, |(_, t)| (*t).min(record.ttl));
                cname = Some((target.clone(), ttl));
            }
            _ => {}
        }
    }
    if let Some((_, cname_ttl)) = &cname {
        for (_, ttl) in &mut found {
            *ttl = (*ttl).min(*cname_ttl);
        }
    }
    (found, cname.map(|(name, _)| name))
}

/// The names of `rtype` records, made one at a time (each is stored before the next is
/// made: the GC does not see values gathered in a Vec).
fn names<'r>(ctx: Ctx, response: &'r Response, rtype: u16) -> impl Iterator<Item = Value> + 'r {
    records(response, rtype).filter_map(move |r| match &r.data {
        RData::Name(name) => Some(ctx.string(name)),
        _ => None,
    })
}

fn object(ctx: Ctx, fields: &[(&str, Value)]) -> JsResult<Value> {
    let o = ctx.object();
    for (k, v) in fields {
        o.set(k, *v)?;
    }
    Ok(o.value())
}

/// One record as Node reports it; `any` adds the `type` fields resolveAny has (SOA and
/// NAPTR get `type: undefined` otherwise, as Node's do).
fn record_to_js(ctx: Ctx, record: &Record, any: bool) -> JsResult<Value> {
    let n = |x: u32| ctx.number(x as f64);
    let kind = |name: &str| if any { ctx.string(name) } else { ctx.undefined() };
    match &record.data {
        RData::Mx { priority, exchange } => object(
            ctx,
            &[("exchange", ctx.string(exchange)), ("priority", n(*priority as u32)), ("type", ctx.string("MX"))],
        ),
        RData::Txt(chunks) => {
            let entries = ctx.array_from(chunks.iter().map(|c| Ok(latin1(ctx, c))))?.value();
            if any { object(ctx, &[("entries", entries), ("type", ctx.string("TXT"))]) } else { Ok(entries) }
        }
        RData::Srv { priority, weight, port, target } => object(
            ctx,
            &[
                ("name", ctx.string(target)),
                ("port", n(*port as u32)),
                ("priority", n(*priority as u32)),
                ("weight", n(*weight as u32)),
                ("type", ctx.string("SRV")),
            ],
        ),
        RData::Naptr { order, preference, flags, service, regexp, replacement } => object(
            ctx,
            &[
                ("flags", latin1(ctx, flags)),
                ("service", latin1(ctx, service)),
                ("regexp", latin1(ctx, regexp)),
                ("replacement", ctx.string(replacement)),
                ("order", n(*order as u32)),
                ("preference", n(*preference as u32)),
                ("type", kind("NAPTR")),
            ],
        ),
        RData::Soa { mname, rname, serial, refresh, retry, expire, minimum } => object(
            ctx,
            &[
                ("nsname", ctx.string(mname)),
                ("hostmaster", ctx.string(rname)),
                ("serial", n(*serial)),
                ("refresh", n(*refresh)),
                ("retry", n(*retry)),
                ("expire", n(*expire)),
                ("minttl", n(*minimum)),
                ("type", kind("SOA")),
            ],
        ),
        RData::Caa { flags, tag, value } => {
            let o = ctx.object();
            o.set("critical", n(*flags as u32))?;
            o.set("type", ctx.string("CAA"))?;
            o.set(&String::from_utf8_lossy(tag), latin1(ctx, value))?;
            Ok(o.value())
        }
        RData::Tlsa { usage, selector, matching, data } => object(
            ctx,
            &[
                ("certUsage", n(*usage as u32)),
                ("selector", n(*selector as u32)),
                ("match", n(*matching as u32)),
                ("data", ctx.array_buffer(data.clone())?.value()),
            ],
        ),
        _ => Ok(ctx.undefined()),
    }
}

/// The records of `rtype` as Node reports them, in answer order, made one at a time.
fn typed<'r>(ctx: Ctx, response: &'r Response, rtype: u16, any: bool) -> impl Iterator<Item = JsResult<Value>> + 'r {
    records(response, rtype).map(move |r| record_to_js(ctx, r, any))
}

/// TLSA records go to `out[base + i]` where `i` is the record's place among all the
/// answers, so other records before them leave holes, as in Node.
fn place_tlsa(ctx: Ctx, response: &Response, out: Object, base: u32) -> JsResult<()> {
    for (i, record) in response.answers.iter().enumerate() {
        if record.rtype == wire::TYPE_TLSA && record.class == 1 {
            out.set_index(base + i as u32, record_to_js(ctx, record, false)?)?;
        }
    }
    Ok(())
}

/// A query's result and, for A/AAAA, the TTLs of its addresses.
type Answer = (Value, Value);

/// The result for a query of `qtype`, or the c-ares code it fails with. Each type's rule
/// for an answer without its records is c-ares's: NS and PTR fail with ENODATA, SOA with
/// EBADRESP, A/AAAA with ENODATA unless a CNAME was followed, and the others give an
/// empty list.
fn answer_to_js(ctx: Ctx, qtype: u16, response: &Response) -> JsResult<Result<Answer, &'static str>> {
    let undefined = ctx.undefined();
    Ok(match qtype {
        wire::TYPE_A | wire::TYPE_AAAA => {
            let (found, cname) = follow_addresses(response, qtype);
            if found.is_empty() && cname.is_none() {
                return Ok(Err("ENODATA"));
            }
            let addresses = ctx.array_from(found.iter().map(|(ip, _)| Ok(ctx.string(&format_ip(ip)))))?.value();
            let ttls = ctx.array_from(found.iter().map(|(_, ttl)| Ok(ctx.number(*ttl as f64))))?.value();
            Ok((addresses, ttls))
        }
        wire::TYPE_CNAME => match follow_addresses(response, wire::TYPE_CNAME).1 {
            Some(name) => Ok((ctx.array(&[ctx.string(&name)])?.value(), undefined)),
            None => Err("ENODATA"),
        },
        wire::TYPE_NS | wire::TYPE_PTR => {
            if names(ctx, response, qtype).next().is_none() {
                Err("ENODATA")
            } else {
                Ok((ctx.array_from(names(ctx, response, qtype).map(Ok))?.value(), undefined))
            }
        }
        wire::TYPE_SOA => match records(response, wire::TYPE_SOA).next() {
            Some(record) => Ok((record_to_js(ctx, record, false)?, undefined)),
            None => Err("EBADRESP"),
        },
        wire::TYPE_TLSA => {
            let out = ctx.array(&[])?;
            place_tlsa(ctx, response, out, 0)?;
            Ok((out.value(), undefined))
        }
        wire::TYPE_ANY => Ok((any_to_js(ctx, response)?, undefined)),
        _ => Ok((ctx.array_from(typed(ctx, response, qtype, false))?.value(), undefined)),
    })
}

/// resolveAny's list, built as Node builds it: one pass per type over the answer.
/// A CNAME for the name hides its A records (only the CNAME's target is listed).
fn any_to_js(ctx: Ctx, response: &Response) -> JsResult<Value> {
    let out = ctx.array(&[])?;
    let push = |v: Value| -> JsResult<()> {
        let len = out.get("length")?.to_number()? as u32;
        out.set_index(len, v)
    };
    let address = |ip: &IpAddr, ttl: u32, kind: &str| {
        object(ctx, &[("address", ctx.string(&format_ip(ip))), ("ttl", ctx.number(ttl as f64)), ("type", ctx.string(kind))])
    };
    let (v4, cname) = follow_addresses(response, wire::TYPE_A);
    match cname {
        Some(name) => push(object(ctx, &[("value", ctx.string(&name)), ("type", ctx.string("CNAME"))])?)?,
        None => {
            for (ip, ttl) in &v4 {
                push(address(ip, *ttl, "A")?)?;
            }
        }
    }
    for (ip, ttl) in &follow_addresses(response, wire::TYPE_AAAA).0 {
        push(address(ip, *ttl, "AAAA")?)?;
    }
    for v in typed(ctx, response, wire::TYPE_MX, true) {
        push(v?)?;
    }
    for name in names(ctx, response, wire::TYPE_NS) {
        push(object(ctx, &[("value", name), ("type", ctx.string("NS"))])?)?;
    }
    for rtype in [wire::TYPE_TXT, wire::TYPE_SRV] {
        for v in typed(ctx, response, rtype, true) {
            push(v?)?;
        }
    }
    for name in names(ctx, response, wire::TYPE_PTR) {
        push(object(ctx, &[("value", name), ("type", ctx.string("PTR"))])?)?;
    }
    for v in typed(ctx, response, wire::TYPE_NAPTR, true) {
        push(v?)?;
    }
    if let Some(soa) = records(response, wire::TYPE_SOA).next() {
        push(record_to_js(ctx, soa, true)?)?;
    }
    let base = out.get("length")?.to_number()? as u32;
    place_tlsa(ctx, response, out, base)?;
    for v in typed(ctx, response, wire::TYPE_CAA, true) {
        push(v?)?;
    }
    Ok(out.value())
}
