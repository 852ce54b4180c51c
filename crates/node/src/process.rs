//! Ops behind the `process` object: startup facts, environment, clocks, resource usage,
//! signals and synchronous writes to the standard streams.

use jsc::{Args, Ctx, JsResult, Object, Value};
use std::cell::RefCell;
use std::io::Write;
use std::time::Instant;

/// What the process was started with, as `process.argv`/`execArgv`/`execPath` report it.
pub struct Startup {
    /// argv[0] as the shell passed it.
    pub argv0: String,
    pub argv: Vec<String>,
    pub exec_argv: Vec<String>,
    pub node_options: Vec<String>,
    pub exec_path: String,
    pub started: Instant,
}

thread_local! {
    static STARTUP: RefCell<Option<Startup>> = const { RefCell::new(None) };
}

pub fn set_startup(startup: Startup) {
    STARTUP.with(|s| *s.borrow_mut() = Some(startup));
}

fn with_startup<R>(f: impl FnOnce(&Startup) -> R) -> R {
    STARTUP.with(|s| f(s.borrow().as_ref().expect("process startup info")))
}

fn strings(ctx: Ctx, items: &[String]) -> JsResult<Value> {
    Ok(ctx.array_from(items.iter().map(|s| Ok(ctx.string(s))))?.value())
}

fn argv(args: &Args) -> JsResult<Value> {
    with_startup(|s| strings(args.ctx, &s.argv))
}

fn argv0(args: &Args) -> JsResult<Value> {
    Ok(with_startup(|s| args.ctx.string(&s.argv0)))
}

fn exec_argv(args: &Args) -> JsResult<Value> {
    with_startup(|s| strings(args.ctx, &s.exec_argv))
}

fn node_options(args: &Args) -> JsResult<Value> {
    with_startup(|s| strings(args.ctx, &s.node_options))
}

/// This thread's NODE_OPTIONS words, which worker threads share.
pub fn node_options_words() -> Vec<String> {
    STARTUP.with(|s| s.borrow().as_ref().map(|s| s.node_options.clone()).unwrap_or_default())
}

fn exec_path(args: &Args) -> JsResult<Value> {
    Ok(with_startup(|s| args.ctx.string(&s.exec_path)))
}

fn env_snapshot(args: &Args) -> JsResult<Value> {
    let env = args.ctx.object();
    for (k, v) in std::env::vars_os() {
        env.set(&k.to_string_lossy(), args.ctx.string(&v.to_string_lossy()))?;
    }
    Ok(env.value())
}

fn set_env(args: &Args) -> JsResult<Value> {
    let (key, value) = (args.string(0)?, args.string(1)?);
    if !key.is_empty() && !key.contains(['=', '\0']) && !value.contains('\0') {
        // SAFETY: the JS thread is the only one touching the environment.
        unsafe { std::env::set_var(key, value) };
    }
    Ok(args.ctx.undefined())
}

fn unset_env(args: &Args) -> JsResult<Value> {
    let key = args.string(0)?;
    if !key.is_empty() && !key.contains(['=', '\0']) {
        // SAFETY: as in set_env.
        unsafe { std::env::remove_var(key) };
    }
    Ok(args.ctx.undefined())
}

fn cwd(args: &Args) -> JsResult<Value> {
    match std::env::current_dir() {
        Ok(dir) => Ok(args.ctx.string(&dir.to_string_lossy())),
        Err(e) => Err(crate::uv::exception(args.ctx, &e, "uv_cwd", None, None)),
    }
}

fn chdir(args: &Args) -> JsResult<Value> {
    let dir = args.string(0)?;
    std::env::set_current_dir(&dir).map_err(|e| {
        let from = std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        crate::uv::exception(args.ctx, &e, "chdir", Some(&from), Some(&dir))
    })?;
    Ok(args.ctx.undefined())
}

fn hrtime(args: &Args) -> JsResult<Value> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(ts.tv_sec as f64), ctx.number(ts.tv_nsec as f64)])?.value())
}

fn uptime(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(with_startup(|s| s.started.elapsed().as_secs_f64())))
}

/// Resident set size in bytes, from /proc/self/statm.
fn rss_bytes() -> f64 {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|n| n.parse::<f64>().ok()))
        .unwrap_or(0.0);
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64
}

fn rss(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(rss_bytes()))
}

fn memory_usage(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let stats = ctx.memory_statistics();
    let field = |name: &str| stats.get(name).and_then(|v| v.to_number()).unwrap_or(0.0);
    let out = ctx.object();
    out.set("rss", ctx.number(rss_bytes()))?;
    out.set("heapTotal", ctx.number(field("heapCapacity")))?;
    out.set("heapUsed", ctx.number(field("heapSize")))?;
    out.set("external", ctx.number(field("extraMemorySize")))?;
    out.set("arrayBuffers", ctx.number(0.0))?;
    Ok(out.value())
}

fn rusage() -> libc::rusage {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage
}

fn micros(tv: libc::timeval) -> f64 {
    tv.tv_sec as f64 * 1e6 + tv.tv_usec as f64
}

fn cpu_usage(args: &Args) -> JsResult<Value> {
    let u = rusage();
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(micros(u.ru_utime)), ctx.number(micros(u.ru_stime))])?.value())
}

fn resource_usage(args: &Args) -> JsResult<Value> {
    let u = rusage();
    let ctx = args.ctx;
    let out = ctx.object();
    let fields: [(&str, f64); 16] = [
        ("userCPUTime", micros(u.ru_utime)),
        ("systemCPUTime", micros(u.ru_stime)),
        ("maxRSS", u.ru_maxrss as f64),
        ("sharedMemorySize", u.ru_ixrss as f64),
        ("unsharedDataSize", u.ru_idrss as f64),
        ("unsharedStackSize", u.ru_isrss as f64),
        ("minorPageFault", u.ru_minflt as f64),
        ("majorPageFault", u.ru_majflt as f64),
        ("swappedOut", u.ru_nswap as f64),
        ("fsRead", u.ru_inblock as f64),
        ("fsWrite", u.ru_oublock as f64),
        ("ipcSent", u.ru_msgsnd as f64),
        ("ipcReceived", u.ru_msgrcv as f64),
        ("signalsCount", u.ru_nsignals as f64),
        ("voluntaryContextSwitches", u.ru_nvcsw as f64),
        ("involuntaryContextSwitches", u.ru_nivcsw as f64),
    ];
    for (name, value) in fields {
        out.set(name, ctx.number(value))?;
    }
    Ok(out.value())
}

fn ids(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let out = ctx.object();
    unsafe {
        out.set("pid", ctx.number(libc::getpid() as f64))?;
        out.set("ppid", ctx.number(libc::getppid() as f64))?;
        out.set("uid", ctx.number(libc::getuid() as f64))?;
        out.set("euid", ctx.number(libc::geteuid() as f64))?;
        out.set("gid", ctx.number(libc::getgid() as f64))?;
        out.set("egid", ctx.number(libc::getegid() as f64))?;
    }
    Ok(out.value())
}

fn groups(args: &Args) -> JsResult<Value> {
    let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    let mut list = vec![0 as libc::gid_t; n.max(0) as usize];
    let n = unsafe { libc::getgroups(list.len() as i32, list.as_mut_ptr()) };
    let values: Vec<Value> = list[..n.max(0) as usize].iter().map(|g| args.ctx.number(*g as f64)).collect();
    Ok(args.ctx.array(&values)?.value())
}

fn umask(args: &Args) -> JsResult<Value> {
    let old = if args.get(0).is_undefined() {
        let old = unsafe { libc::umask(0) };
        unsafe { libc::umask(old) };
        old
    } else {
        unsafe { libc::umask(args.number(0)? as libc::mode_t) }
    };
    Ok(args.ctx.number(old as f64))
}

fn kill(args: &Args) -> JsResult<Value> {
    let (pid, sig) = (args.number(0)? as i32, args.number(1)? as i32);
    if unsafe { libc::kill(pid, sig) } != 0 {
        return Err(crate::uv::exception(args.ctx, &std::io::Error::last_os_error(), "kill", None, None));
    }
    Ok(args.ctx.boolean(true))
}

/// `kill(2)` for `process._kill`: 0, or the negated errno.
fn raw_kill(args: &Args) -> JsResult<Value> {
    let (pid, sig) = (args.number(0)? as i32, args.number(1)? as i32);
    let result = if unsafe { libc::kill(pid, sig) } == 0 { 0 } else { -last_errno() };
    Ok(args.ctx.number(result as f64))
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// [errno, strerror text] of the last failed call, for Node's `EPERM, Operation not
/// permitted` errors.
fn failure(ctx: Ctx) -> JsResult<Value> {
    let errno = last_errno();
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    // std appends " (os error N)"; Node prints strerror's text alone.
    let text = text.split(" (os error").next().unwrap_or("").to_string();
    Ok(ctx.array(&[ctx.number(errno as f64), ctx.string(&text)])?.value())
}

/// The id of a user (`passwd`) or group (`group`) name, or -1 when there is none.
fn credential_id(args: &Args) -> JsResult<Value> {
    let (kind, name) = (args.string(0)?, args.string(1)?);
    let Ok(name) = std::ffi::CString::new(name) else { return Ok(args.ctx.number(-1.0)) };
    let id = unsafe {
        if kind == "user" {
            let entry = libc::getpwnam(name.as_ptr());
            if entry.is_null() { -1.0 } else { (*entry).pw_uid as f64 }
        } else {
            let entry = libc::getgrnam(name.as_ptr());
            if entry.is_null() { -1.0 } else { (*entry).gr_gid as f64 }
        }
    };
    Ok(args.ctx.number(id))
}

/// setuid/setgid/seteuid/setegid(id): undefined, or [errno, text] on failure.
fn set_credential(args: &Args) -> JsResult<Value> {
    let (call, id) = (args.string(0)?, args.number(1)? as u32);
    let status = unsafe {
        match call.as_str() {
            "setuid" => libc::setuid(id),
            "setgid" => libc::setgid(id),
            "seteuid" => libc::seteuid(id),
            _ => libc::setegid(id),
        }
    };
    if status == 0 { Ok(args.ctx.undefined()) } else { failure(args.ctx) }
}

/// setgroups(ids): undefined, or [errno, text] on failure.
fn set_groups(args: &Args) -> JsResult<Value> {
    let list = args.get(0).expect_object()?;
    let length = list.get("length")?.to_number().unwrap_or(0.0) as u32;
    let mut ids = Vec::with_capacity(length as usize);
    for i in 0..length {
        ids.push(list.get_index(i)?.to_number().unwrap_or(0.0) as libc::gid_t);
    }
    if unsafe { libc::setgroups(ids.len(), ids.as_ptr()) } == 0 { Ok(args.ctx.undefined()) } else { failure(args.ctx) }
}

/// initgroups(user name, extra group id): undefined, or [errno, text] on failure.
fn init_groups(args: &Args) -> JsResult<Value> {
    let user = std::ffi::CString::new(args.string(0)?).unwrap_or_default();
    let group = args.number(1)? as libc::gid_t;
    if unsafe { libc::initgroups(user.as_ptr(), group) } == 0 { Ok(args.ctx.undefined()) } else { failure(args.ctx) }
}

/// The name of the user with this id, or undefined.
fn user_name(args: &Args) -> JsResult<Value> {
    let entry = unsafe { libc::getpwuid(args.number(0)? as libc::uid_t) };
    if entry.is_null() {
        return Ok(args.ctx.undefined());
    }
    let name = unsafe { std::ffi::CStr::from_ptr((*entry).pw_name) };
    Ok(args.ctx.string(&name.to_string_lossy()))
}

/// Replaces the process image; returns the errno name only when that fails.
fn execve(args: &Args) -> JsResult<Value> {
    let cstrings = |index: usize| -> JsResult<Vec<std::ffi::CString>> {
        let list = args.get(index).expect_object()?;
        let length = list.get("length")?.to_number().unwrap_or(0.0) as u32;
        (0..length)
            .map(|i| Ok(std::ffi::CString::new(list.get_index(i)?.to_string()?).unwrap_or_default()))
            .collect()
    };
    let path = std::ffi::CString::new(args.string(0)?).unwrap_or_default();
    let (argv, envp) = (cstrings(1)?, cstrings(2)?);
    let pointers = |list: &[std::ffi::CString]| -> Vec<*const libc::c_char> {
        list.iter().map(|s| s.as_ptr()).chain(std::iter::once(std::ptr::null())).collect()
    };
    let _ = std::io::stdout().flush();
    unsafe { libc::execve(path.as_ptr(), pointers(&argv).as_ptr(), pointers(&envp).as_ptr()) };
    Ok(args.ctx.string(&crate::uv::describe(last_errno()).0))
}

fn thread_cpu_usage(args: &Args) -> JsResult<Value> {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(micros(usage.ru_utime)), ctx.number(micros(usage.ru_stime))])?.value())
}

/// The memory limit of the process's cgroup (v2 `memory.max`, v1 `memory.limit_in_bytes`);
/// u64::MAX when the group sets none, 0 when there is no memory cgroup.
fn cgroup_memory_limit() -> u64 {
    let Ok(groups) = std::fs::read_to_string("/proc/self/cgroup") else { return 0 };
    for line in groups.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let file = if controllers.is_empty() {
            format!("/sys/fs/cgroup{path}/memory.max")
        } else if controllers.split(',').any(|c| c == "memory") {
            format!("/sys/fs/cgroup/memory{path}/memory.limit_in_bytes")
        } else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let text = text.trim();
        // cgroup v1 writes "no limit" as the largest page-aligned i64.
        return match text.parse::<u64>() {
            Ok(limit) if limit < 0x7FFF_FFFF_FFFF_F000 => limit,
            _ => u64::MAX,
        };
    }
    0
}

fn constrained_memory(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(cgroup_memory_limit() as f64))
}

/// Free memory (MemAvailable), capped by what the cgroup limit leaves.
fn available_memory(args: &Args) -> JsResult<Value> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let free = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024;
    let limit = cgroup_memory_limit();
    let available = if limit == 0 || limit == u64::MAX { free } else { free.min(limit.saturating_sub(rss_bytes() as u64)) };
    Ok(args.ctx.number(available as f64))
}

/// The C library's version ("2.36").
fn glibc_version(args: &Args) -> JsResult<Value> {
    let version = unsafe { std::ffi::CStr::from_ptr(libc::gnu_get_libc_version()) };
    Ok(args.ctx.string(&version.to_string_lossy()))
}

/// Every loaded shared object, as the dynamic linker lists them.
fn shared_objects(args: &Args) -> JsResult<Value> {
    unsafe extern "C" fn visit(info: *mut libc::dl_phdr_info, _size: usize, names: *mut libc::c_void) -> libc::c_int {
        let names = unsafe { &mut *(names as *mut Vec<String>) };
        let name = unsafe { (*info).dlpi_name };
        if !name.is_null() {
            let name = unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy().into_owned();
            if !name.is_empty() {
                names.push(name);
            }
        }
        0
    }
    let mut names: Vec<String> = Vec::new();
    unsafe { libc::dl_iterate_phdr(Some(visit), &mut names as *mut Vec<String> as *mut libc::c_void) };
    strings(args.ctx, &names)
}

/// getrlimit(resource) as [soft, hard], -1 meaning unlimited.
fn resource_limit(args: &Args) -> JsResult<Value> {
    let resource = match args.string(0)?.as_str() {
        "core" => libc::RLIMIT_CORE,
        "data" => libc::RLIMIT_DATA,
        "fsize" => libc::RLIMIT_FSIZE,
        "memlock" => libc::RLIMIT_MEMLOCK,
        "rss" => libc::RLIMIT_RSS,
        "nofile" => libc::RLIMIT_NOFILE,
        "stack" => libc::RLIMIT_STACK,
        "cpu" => libc::RLIMIT_CPU,
        "nproc" => libc::RLIMIT_NPROC,
        _ => libc::RLIMIT_AS,
    };
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    unsafe { libc::getrlimit(resource, &mut limit) };
    let number = |v: libc::rlim_t| if v == libc::RLIM_INFINITY { -1.0 } else { v as f64 };
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(number(limit.rlim_cur)), ctx.number(number(limit.rlim_max))])?.value())
}

fn really_exit(args: &Args) -> JsResult<Value> {
    let code = args.number(0).unwrap_or(0.0) as i32;
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

fn abort(_args: &Args) -> JsResult<Value> {
    std::process::abort();
}

/// Writes a string or byte array to fd 1 or 2, synchronously as Node does for files,
/// pipes and terminals.
fn write_fd(args: &Args) -> JsResult<Value> {
    let fd = args.number(0)? as i32;
    let data = args.get(1);
    let text;
    let bytes: &[u8] = match data.bytes() {
        Some(b) => b,
        None => {
            text = data.to_string()?;
            text.as_bytes()
        }
    };
    let result = match fd {
        1 => std::io::stdout().lock().write_all(bytes),
        2 => std::io::stderr().lock().write_all(bytes),
        _ => return Err(args.ctx.error("only fd 1 and 2 are writable here")),
    };
    match result {
        Ok(()) => Ok(args.ctx.undefined()),
        // A closed pipe is the reader's choice, not the program's error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(args.ctx.undefined()),
        Err(e) => Err(crate::uv::exception(args.ctx, &e, "write", None, None)),
    }
}

fn is_tty(args: &Args) -> JsResult<Value> {
    let fd = args.number(0)? as i32;
    Ok(args.ctx.boolean(unsafe { libc::isatty(fd) } == 1))
}

/// `[columns, rows]` of the terminal on `fd`, or undefined.
fn window_size(args: &Args) -> JsResult<Value> {
    let fd = args.number(0)? as i32;
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } != 0 {
        return Ok(args.ctx.undefined());
    }
    let ctx = args.ctx;
    Ok(ctx.array(&[ctx.number(ws.ws_col as f64), ctx.number(ws.ws_row as f64)])?.value())
}

fn signal_numbers(ctx: Ctx) -> JsResult<Object> {
    let out = ctx.object();
    let signals: &[(&str, i32)] = &[
        ("SIGHUP", libc::SIGHUP),
        ("SIGINT", libc::SIGINT),
        ("SIGQUIT", libc::SIGQUIT),
        ("SIGILL", libc::SIGILL),
        ("SIGTRAP", libc::SIGTRAP),
        ("SIGABRT", libc::SIGABRT),
        ("SIGIOT", libc::SIGIOT),
        ("SIGBUS", libc::SIGBUS),
        ("SIGFPE", libc::SIGFPE),
        ("SIGKILL", libc::SIGKILL),
        ("SIGUSR1", libc::SIGUSR1),
        ("SIGSEGV", libc::SIGSEGV),
        ("SIGUSR2", libc::SIGUSR2),
        ("SIGPIPE", libc::SIGPIPE),
        ("SIGALRM", libc::SIGALRM),
        ("SIGTERM", libc::SIGTERM),
        ("SIGCHLD", libc::SIGCHLD),
        ("SIGSTKFLT", libc::SIGSTKFLT),
        ("SIGCONT", libc::SIGCONT),
        ("SIGSTOP", libc::SIGSTOP),
        ("SIGTSTP", libc::SIGTSTP),
        ("SIGTTIN", libc::SIGTTIN),
        ("SIGTTOU", libc::SIGTTOU),
        ("SIGURG", libc::SIGURG),
        ("SIGXCPU", libc::SIGXCPU),
        ("SIGXFSZ", libc::SIGXFSZ),
        ("SIGVTALRM", libc::SIGVTALRM),
        ("SIGPROF", libc::SIGPROF),
        ("SIGWINCH", libc::SIGWINCH),
        ("SIGIO", libc::SIGIO),
        ("SIGPOLL", libc::SIGPOLL),
        ("SIGPWR", libc::SIGPWR),
        ("SIGSYS", libc::SIGSYS),
    ];
    for (name, num) in signals {
        out.set(name, ctx.number(*num as f64))?;
    }
    Ok(out)
}

/// The versions of the libraries ferro links, as `process.versions` names them: OpenSSL's
/// runtime library, the bundled SQLite, zstd, brotli, and the ICU the engine uses.
fn library_versions(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let out = ctx.object();
    // "OpenSSL 3.0.19 27 Jan 2026": Node reports the version word only.
    let openssl = openssl::version::version().split(' ').nth(1).unwrap_or("");
    out.set("openssl", ctx.string(openssl))?;
    out.set("sqlite", ctx.string(rusqlite::version()))?;
    out.set("zstd", ctx.string(zstd::zstd_safe::version_string()))?;
    // SAFETY: a pure function of the linked library.
    let brotli = unsafe { brotlic_sys::BrotliDecoderVersion() };
    out.set("brotli", ctx.string(&format!("{}.{}.{}", brotli >> 24, (brotli >> 12) & 0xfff, brotli & 0xfff)))?;
    if let Some(icu) = icu::versions() {
        for (key, value) in [("icu", icu.icu), ("unicode", icu.unicode), ("cldr", icu.cldr), ("tz", icu.tz)] {
            out.set(key, ctx.string(&value))?;
        }
    }
    Ok(out.value())
}

/// ICU's versions, looked up in the ICU the engine loaded. ICU's C symbols carry its major
/// version as a suffix (`u_getVersion_72`), so the suffix is found first.
mod icu {
    use std::ffi::{c_char, c_int, CStr, CString};

    type VersionInfo = [u8; 4];

    pub struct Versions {
        pub icu: String,
        pub unicode: String,
        pub cldr: String,
        pub tz: String,
    }

    fn symbol(name: &str) -> Option<*mut libc::c_void> {
        let name = CString::new(name).ok()?;
        // SAFETY: dlsym with a NUL-terminated name; RTLD_DEFAULT searches the loaded libraries.
        let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
        (!found.is_null()).then_some(found)
    }

    /// As ICU's u_versionToString: trailing zero fields dropped, at least major.minor.
    fn format(info: VersionInfo) -> String {
        let fields = info.iter().rposition(|&f| f != 0).map_or(2, |last| (last + 1).max(2));
        info[..fields].iter().map(|f| f.to_string()).collect::<Vec<_>>().join(".")
    }

    pub fn versions() -> Option<Versions> {
        let suffix = [String::new()].into_iter().chain((50..100).map(|major| format!("_{major}")))
            .find(|suffix| symbol(&format!("u_getVersion{suffix}")).is_some())?;
        let get = |name: &str| symbol(&format!("{name}{suffix}"));
        let mut icu = VersionInfo::default();
        let mut unicode = VersionInfo::default();
        let mut cldr = VersionInfo::default();
        let mut status: c_int = 0;
        // SAFETY: ICU's documented C signatures; each writes a 4-byte UVersionInfo or
        // returns a static NUL-terminated string.
        unsafe {
            let u_get_version: extern "C" fn(*mut u8) = std::mem::transmute(get("u_getVersion")?);
            u_get_version(icu.as_mut_ptr());
            let u_get_unicode_version: extern "C" fn(*mut u8) = std::mem::transmute(get("u_getUnicodeVersion")?);
            u_get_unicode_version(unicode.as_mut_ptr());
            if let Some(f) = get("ulocdata_getCLDRVersion") {
                let f: extern "C" fn(*mut u8, *mut c_int) = std::mem::transmute(f);
                f(cldr.as_mut_ptr(), &mut status);
            }
            let tz = match get("ucal_getTZDataVersion") {
                Some(f) => {
                    let f: extern "C" fn(*mut c_int) -> *const c_char = std::mem::transmute(f);
                    let mut tz_status: c_int = 0;
                    let name = f(&mut tz_status);
                    if tz_status > 0 || name.is_null() { String::new() } else { CStr::from_ptr(name).to_string_lossy().into_owned() }
                }
                None => String::new(),
            };
            Some(Versions { icu: format(icu), unicode: format(unicode), cldr: if status > 0 { String::new() } else { format(cldr) }, tz })
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn formats_like_icu() {
            assert_eq!(super::format([72, 1, 0, 0]), "72.1");
            assert_eq!(super::format([15, 0, 0, 0]), "15.0");
            assert_eq!(super::format([1, 2, 3, 0]), "1.2.3");
            assert_eq!(super::format([4, 0, 0, 1]), "4.0.0.1");
        }
    }
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    let ops: &[(&str, jsc::NativeFn)] = &[
        ("argv", argv),
        ("argv0", argv0),
        ("execArgv", exec_argv),
        ("nodeOptions", node_options),
        ("execPath", exec_path),
        ("envSnapshot", env_snapshot),
        ("setEnv", set_env),
        ("unsetEnv", unset_env),
        ("cwd", cwd),
        ("chdir", chdir),
        ("hrtime", hrtime),
        ("uptime", uptime),
        ("rss", rss),
        ("memoryUsage", memory_usage),
        ("cpuUsage", cpu_usage),
        ("resourceUsage", resource_usage),
        ("ids", ids),
        ("groups", groups),
        ("umask", umask),
        ("kill", kill),
        ("rawKill", raw_kill),
        ("credentialId", credential_id),
        ("setCredential", set_credential),
        ("setGroups", set_groups),
        ("initGroups", init_groups),
        ("userName", user_name),
        ("execve", execve),
        ("threadCpuUsage", thread_cpu_usage),
        ("constrainedMemory", constrained_memory),
        ("availableMemory", available_memory),
        ("glibcVersion", glibc_version),
        ("sharedObjects", shared_objects),
        ("resourceLimit", resource_limit),
        ("reallyExit", really_exit),
        ("abort", abort),
        ("writeFd", write_fd),
        ("isTTY", is_tty),
        ("windowSize", window_size),
        ("libraryVersions", library_versions),
    ];
    for (name, f) in ops {
        b.set_function(name, *f)?;
    }
    b.set("signals", signal_numbers(ctx)?.value())?;
    b.set("platform", ctx.string(std::env::consts::OS))?;
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        other => other,
    };
    b.set("arch", ctx.string(arch))?;
    b.set("ferroVersion", ctx.string(env!("CARGO_PKG_VERSION")))?;
    Ok(b)
}
