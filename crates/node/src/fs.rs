//! Ops behind node:fs. js/fs.js validates arguments and turns paths into strings;
//! every op here takes its arguments followed by an optional callback. Without a
//! callback it runs at once and throws Node's system error; with one it runs on the
//! thread pool and calls `callback(err, value)` on the JS thread afterwards.

mod watch;

use jsc::{Args, Ctx, JsResult, Object, Value};
use std::ffi::{CString, OsStr};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::io::FromRawFd;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// A failed system call with what Node's error names: the call, the path and the destination.
struct Failure {
    err: io::Error,
    syscall: &'static str,
    path: Option<String>,
    dest: Option<String>,
}

impl Failure {
    fn new(err: io::Error, syscall: &'static str, path: Option<&str>) -> Failure {
        Failure { err, syscall, path: path.map(str::to_string), dest: None }
    }

    fn with_dest(err: io::Error, syscall: &'static str, path: &str, dest: &str) -> Failure {
        Failure { err, syscall, path: Some(path.to_string()), dest: Some(dest.to_string()) }
    }

    fn to_js(&self, ctx: Ctx) -> Value {
        crate::uv::exception(ctx, &self.err, self.syscall, self.path.as_deref(), self.dest.as_deref())
    }
}

/// What a finished op hands back to JS.
enum Out {
    Undefined,
    Bool(bool),
    Number(f64),
    Text(String),
    Bytes(Vec<u8>),
    /// Directory entries: their names joined with NUL (which no name holds; JS splits them,
    /// one string being far cheaper to hand over than one per entry), and each entry's
    /// type (see `entry_type`) when asked for.
    Entries(String, Option<Vec<u8>>),
}

impl Out {
    fn to_js(self, ctx: Ctx) -> JsResult<Value> {
        Ok(match self {
            Out::Undefined => ctx.undefined(),
            Out::Bool(b) => ctx.boolean(b),
            Out::Number(n) => ctx.number(n),
            Out::Text(s) => ctx.string(&s),
            Out::Bytes(bytes) => ctx.uint8_array(bytes)?.value(),
            Out::Entries(names, types) => {
                let names = ctx.string(&names);
                match types {
                    None => names,
                    Some(types) => ctx.array(&[names, ctx.uint8_array(types)?.value()])?.value(),
                }
            }
        })
    }
}

type Outcome = Result<Out, Failure>;

/// Runs `work` now (no callback: returns or throws) or on the thread pool (callback at `cb`).
fn dispatch(args: &Args, cb: usize, work: impl FnOnce() -> Outcome + Send + 'static) -> JsResult<Value> {
    dispatch_holding(args, cb, None, work)
}

/// `dispatch`, keeping `held` alive until the callback has run: `work` may use its memory.
fn dispatch_holding(
    args: &Args,
    cb: usize,
    held: Option<Value>,
    work: impl FnOnce() -> Outcome + Send + 'static,
) -> JsResult<Value> {
    let ctx = args.ctx;
    let callback = args.get(cb);
    if !callback.is_function() {
        return match work() {
            Ok(out) => out.to_js(ctx),
            Err(failure) => Err(failure.to_js(ctx)),
        };
    }
    let callback = callback.protect();
    let held = held.map(Value::protect);
    runtime::event_loop::spawn_blocking(work, move |ctx, outcome| {
        drop(held);
        let (err, value) = match outcome {
            Ok(out) => (ctx.null(), out.to_js(ctx)?),
            Err(failure) => (failure.to_js(ctx), ctx.undefined()),
        };
        callback.object().expect("callback").call(None, &[err, value])?;
        Ok(())
    });
    Ok(ctx.undefined())
}

fn c_path(path: &str) -> io::Result<CString> {
    CString::new(path).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 { Err(io::Error::last_os_error()) } else { Ok(ret) }
}

/// A File over a descriptor JS owns: never closed from here.
fn borrow_fd(fd: i32) -> ManuallyDrop<File> {
    // SAFETY: the File is never dropped, so the descriptor stays the caller's.
    ManuallyDrop::new(unsafe { File::from_raw_fd(fd) })
}

fn open_raw(path: &str, flags: i32, mode: u32) -> io::Result<i32> {
    let c = c_path(path)?;
    // SAFETY: c is NUL-terminated.
    check(unsafe { libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, mode as libc::c_uint) })
}

fn int(args: &Args, i: usize) -> JsResult<i64> {
    Ok(args.number(i)? as i64)
}

/// Files at least this big are read into memory whose pages are all mapped beforehand, in
/// one call, rather than one page fault at a time as the kernel copies into it.
const PREFAULT_READ: usize = 4 << 20;

fn read_all(file: &mut File) -> io::Result<Vec<u8>> {
    let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size);
    if size >= PREFAULT_READ {
        prefault(&mut bytes);
    }
    // Reads into the capacity reserved above, then on to the end should the file have grown.
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Maps in the whole pages of `bytes`' spare capacity (a hint: on failure the pages fault in
/// as they are written).
fn prefault(bytes: &mut Vec<u8>) {
    const PAGE: usize = 4096;
    let spare = bytes.spare_capacity_mut();
    let start = (spare.as_mut_ptr() as usize + PAGE - 1) & !(PAGE - 1);
    let end = (spare.as_mut_ptr() as usize + spare.len()) & !(PAGE - 1);
    if end > start {
        // SAFETY: the range lies inside this Vec's allocation; populating changes no contents.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_POPULATE_WRITE) };
    }
}

/// readFile(pathOrFd, flags, cb) -> Uint8Array
fn read_file(args: &Args) -> JsResult<Value> {
    if args.get(0).is_number() {
        let fd = int(args, 0)? as i32;
        return dispatch(args, 2, move || {
            let mut file = borrow_fd(fd);
            let meta = file.metadata().map_err(|e| Failure::new(e, "fstat", None))?;
            if meta.is_dir() {
                return Err(Failure::new(io::Error::from_raw_os_error(libc::EISDIR), "read", None));
            }
            read_all(&mut file).map(Out::Bytes).map_err(|e| Failure::new(e, "read", None))
        });
    }
    let path = args.string(0)?;
    let flags = int(args, 1)? as i32;
    dispatch(args, 2, move || {
        let fd = open_raw(&path, flags, 0o666).map_err(|e| Failure::new(e, "open", Some(&path)))?;
        // SAFETY: fd was just opened and is owned by this File.
        let mut file = unsafe { File::from_raw_fd(fd) };
        read_all(&mut file).map(Out::Bytes).map_err(|e| Failure::new(e, "read", None))
    })
}

/// writeFile(pathOrFd, bytes, flags, mode, cb): also appendFile, with an append flag.
fn write_file(args: &Args) -> JsResult<Value> {
    let data = args.get(1).bytes().map(|b| b.to_vec()).unwrap_or_default();
    if args.get(0).is_number() {
        let fd = int(args, 0)? as i32;
        return dispatch(args, 4, move || {
            borrow_fd(fd).write_all(&data).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "write", None))
        });
    }
    let path = args.string(0)?;
    let flags = int(args, 2)? as i32;
    let mode = int(args, 3)? as u32;
    dispatch(args, 4, move || {
        let fd = open_raw(&path, flags, mode).map_err(|e| Failure::new(e, "open", Some(&path)))?;
        // SAFETY: fd was just opened and is owned by this File.
        let mut file = unsafe { File::from_raw_fd(fd) };
        file.write_all(&data).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "write", None))
    })
}

/// access(path, mode, cb)
fn access(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let mode = int(args, 1)? as i32;
    dispatch(args, 2, move || {
        let c = c_path(&path).map_err(|e| Failure::new(e, "access", Some(&path)))?;
        // SAFETY: c is NUL-terminated.
        check(unsafe { libc::access(c.as_ptr(), mode) }).map_err(|e| Failure::new(e, "access", Some(&path)))?;
        Ok(Out::Undefined)
    })
}

/// exists(path, cb) -> boolean, never an error.
fn exists(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    dispatch(args, 1, move || Ok(Out::Bool(fs::metadata(&path).is_ok())))
}

/// The fields of a Stats: dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, then
/// atime, mtime, ctime and birthtime. For BigIntStats 18 little-endian i64s (each time as
/// seconds and nanoseconds); otherwise 14 little-endian f64s (each time in milliseconds).
fn stat_bytes(meta: &fs::Metadata, bigint: bool) -> Vec<u8> {
    let birth = meta.created().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
    let (birth_s, birth_ns) = birth.map_or((0, 0), |d| (d.as_secs() as i64, d.subsec_nanos() as i64));
    let counts = [
        meta.dev() as i64,
        meta.ino() as i64,
        meta.mode() as i64,
        meta.nlink() as i64,
        meta.uid() as i64,
        meta.gid() as i64,
        meta.rdev() as i64,
        meta.size() as i64,
        meta.blksize() as i64,
        meta.blocks() as i64,
    ];
    let times = [
        (meta.atime(), meta.atime_nsec()),
        (meta.mtime(), meta.mtime_nsec()),
        (meta.ctime(), meta.ctime_nsec()),
        (birth_s, birth_ns),
    ];
    if bigint {
        let fields = counts.into_iter().chain(times.into_iter().flat_map(|(s, ns)| [s, ns]));
        fields.flat_map(i64::to_le_bytes).collect()
    } else {
        let fields = counts.into_iter().map(|c| c as f64).chain(times.into_iter().map(|(s, ns)| s as f64 * 1000.0 + ns as f64 / 1e6));
        fields.flat_map(f64::to_le_bytes).collect()
    }
}

/// stat(path, bigint, cb, missingIsUndefined) / lstat(...) / fstat(fd, bigint, cb) ->
/// Uint8Array of stat_bytes. With missingIsUndefined (statSync's `throwIfNoEntry: false`)
/// a path that does not exist gives undefined: building the error to drop it costs 20
/// times the stat.
fn stat(args: &Args) -> JsResult<Value> {
    stat_op(args, "stat", |path| fs::metadata(path))
}

fn lstat(args: &Args) -> JsResult<Value> {
    stat_op(args, "lstat", |path| fs::symlink_metadata(path))
}

fn stat_op(args: &Args, syscall: &'static str, op: fn(&str) -> io::Result<fs::Metadata>) -> JsResult<Value> {
    let path = args.string(0)?;
    let bigint = args.get(1).to_boolean();
    let missing_is_undefined = args.get(3).to_boolean();
    dispatch(args, 2, move || match op(&path) {
        Ok(meta) => Ok(Out::Bytes(stat_bytes(&meta, bigint))),
        Err(e) if missing_is_undefined && matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => Ok(Out::Undefined),
        Err(e) => Err(Failure::new(e, syscall, Some(&path))),
    })
}

fn fstat(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    let bigint = args.get(1).to_boolean();
    dispatch(args, 2, move || {
        borrow_fd(fd).metadata().map(|m| Out::Bytes(stat_bytes(&m, bigint))).map_err(|e| Failure::new(e, "fstat", None))
    })
}

/// statfs(path, cb) -> Float64Array [type, bsize, frsize, blocks, bfree, bavail, files, ffree].
fn statfs(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    dispatch(args, 1, move || {
        let c = c_path(&path).map_err(|e| Failure::new(e, "statfs", Some(&path)))?;
        let mut out = std::mem::MaybeUninit::<libc::statfs>::zeroed();
        // SAFETY: c is NUL-terminated and `out` is a statfs-sized buffer.
        check(unsafe { libc::statfs(c.as_ptr(), out.as_mut_ptr()) }).map_err(|e| Failure::new(e, "statfs", Some(&path)))?;
        // SAFETY: statfs succeeded, so it filled `out`.
        let s = unsafe { out.assume_init() };
        let fields = [
            s.f_type as f64, s.f_bsize as f64, s.f_frsize as f64, s.f_blocks as f64,
            s.f_bfree as f64, s.f_bavail as f64, s.f_files as f64, s.f_ffree as f64,
        ];
        Ok(Out::Bytes(fields.iter().flat_map(|f| f.to_ne_bytes()).collect()))
    })
}

fn mkdir_one(path: &Path, mode: u32) -> io::Result<()> {
    let c = c_path(&path.to_string_lossy())?;
    // SAFETY: c is NUL-terminated.
    check(unsafe { libc::mkdir(c.as_ptr(), mode) }).map(|_| ())
}

/// mkdir(path, recursive, mode, cb) -> the first directory created when recursive.
fn mkdir(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let recursive = args.get(1).to_boolean();
    let mode = int(args, 2)? as u32;
    dispatch(args, 3, move || {
        let fail = |e| Failure::new(e, "mkdir", Some(&path));
        if !recursive {
            return mkdir_one(Path::new(&path), mode).map(|_| Out::Undefined).map_err(fail);
        }
        // The missing ancestors, outermost last.
        let mut missing = Vec::new();
        let mut cur = Some(Path::new(&path));
        while let Some(dir) = cur {
            if dir.as_os_str().is_empty() {
                break;
            }
            match fs::metadata(dir) {
                Ok(m) if m.is_dir() => break,
                Ok(_) => {
                    let errno = if dir == Path::new(&path) { libc::EEXIST } else { libc::ENOTDIR };
                    return Err(fail(io::Error::from_raw_os_error(errno)));
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => return Err(fail(e)),
                Err(_) => missing.push(dir.to_path_buf()),
            }
            cur = dir.parent();
        }
        let first = missing.last().map(|p| p.to_string_lossy().into_owned());
        for dir in missing.iter().rev() {
            match mkdir_one(dir, mode) {
                Err(e) if e.raw_os_error() != Some(libc::EEXIST) => return Err(fail(e)),
                _ => {}
            }
        }
        Ok(first.map(Out::Text).unwrap_or(Out::Undefined))
    })
}

/// Dirent type codes shared with js/fs.js.
fn entry_type(ft: fs::FileType) -> u8 {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_file() {
        1
    } else if ft.is_dir() {
        2
    } else if ft.is_symlink() {
        3
    } else if ft.is_fifo() {
        4
    } else if ft.is_socket() {
        5
    } else if ft.is_char_device() {
        6
    } else if ft.is_block_device() {
        7
    } else {
        0
    }
}

/// One directory's entries (without . and ..): all names in one buffer, which saves an
/// allocation per entry, and each entry's place in it and type (see `entry_type`).
struct Listing {
    names: Vec<u8>,
    entries: Vec<(std::ops::Range<usize>, u8)>,
}

impl Listing {
    fn name(&self, i: usize) -> &[u8] {
        &self.names[self.entries[i].0.clone()]
    }
}

/// Lists a directory sorted by name bytes, as libuv's scandir does, with readdir(3)
/// itself: std's iterator allocates three times per entry.
fn scan(dir: &Path) -> io::Result<Listing> {
    let c_dir = CString::new(dir.as_os_str().as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    // SAFETY: c_dir is NUL-terminated; the stream is closed below on every path.
    let stream = unsafe { libc::opendir(c_dir.as_ptr()) };
    if stream.is_null() {
        return Err(io::Error::last_os_error());
    }
    let mut listing = Listing { names: Vec::new(), entries: Vec::new() };
    let result = loop {
        // readdir returns NULL both at the end and on failure; errno tells them apart.
        // SAFETY: errno is this thread's; the stream is open.
        unsafe { *libc::__errno_location() = 0 };
        let entry = unsafe { libc::readdir64(stream) };
        if entry.is_null() {
            let err = io::Error::last_os_error();
            break if err.raw_os_error() == Some(0) { Ok(()) } else { Err(err) };
        }
        // SAFETY: d_name is NUL-terminated and valid until the next readdir.
        let (name, d_type) = unsafe { (std::ffi::CStr::from_ptr((*entry).d_name.as_ptr()).to_bytes(), (*entry).d_type) };
        if name == b"." || name == b".." {
            continue;
        }
        let kind = match d_type {
            libc::DT_REG => 1,
            libc::DT_DIR => 2,
            libc::DT_LNK => 3,
            libc::DT_FIFO => 4,
            libc::DT_SOCK => 5,
            libc::DT_CHR => 6,
            libc::DT_BLK => 7,
            // The file system does not say: ask the entry itself, as std does.
            _ => fs::symlink_metadata(dir.join(OsStr::from_bytes(name)))
                .map(|m| entry_type(m.file_type()))
                .unwrap_or(0),
        };
        let start = listing.names.len();
        listing.names.extend_from_slice(name);
        listing.entries.push((start..listing.names.len(), kind));
    };
    // SAFETY: opened above, closed once.
    unsafe { libc::closedir(stream) };
    result?;
    let names = &listing.names;
    listing.entries.sort_unstable_by(|a, b| names[a.0.clone()].cmp(&names[b.0.clone()]));
    Ok(listing)
}

/// readdir(path, withTypes, recursive, cb) -> names joined with NUL (relative to path when
/// recursive), or [names, types].
fn readdir(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let with_types = args.get(1).to_boolean();
    let recursive = args.get(2).to_boolean();
    dispatch(args, 3, move || {
        let root = scan(Path::new(&path)).map_err(|e| Failure::new(e, "scandir", Some(&path)))?;
        let mut names = Vec::with_capacity(root.names.len() + root.entries.len());
        let mut types = Vec::with_capacity(root.entries.len());
        // Subdirectories still to list, as their bytes in `names`.
        let mut pending = std::collections::VecDeque::new();
        let mut add = |names: &mut Vec<u8>, parts: &[&[u8]], kind: u8| {
            if !types.is_empty() {
                names.push(0);
            }
            let start = names.len();
            parts.iter().for_each(|part| names.extend_from_slice(part));
            types.push(kind);
            start..names.len()
        };
        for i in 0..root.entries.len() {
            let kind = root.entries[i].1;
            let range = add(&mut names, &[root.name(i)], kind);
            if recursive && kind == 2 {
                pending.push_back(range);
            }
        }
        while let Some(rel) = pending.pop_front() {
            let rel = names[rel].to_vec();
            let full = Path::new(&path).join(OsStr::from_bytes(&rel));
            let Ok(children) = scan(&full) else { continue };
            for i in 0..children.entries.len() {
                let kind = children.entries[i].1;
                let range = add(&mut names, &[&rel, b"/", children.name(i)], kind);
                if kind == 2 {
                    pending.push_back(range);
                }
            }
        }
        let names = String::from_utf8(names).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Out::Entries(names, with_types.then_some(types)))
    })
}

/// Removes a tree; a directory's contents first.
fn remove_tree(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            remove_tree(&entry?.path())?;
        }
        fs::remove_dir(path)
    } else {
        fs::remove_file(path)
    }
}

/// rm(path, recursive, force, cb): a directory without `recursive` fails with errno
/// EISDIR and syscall "rm", which js/fs.js turns into ERR_FS_EISDIR.
fn rm(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let recursive = args.get(1).to_boolean();
    let force = args.get(2).to_boolean();
    dispatch(args, 3, move || {
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if force && e.raw_os_error() == Some(libc::ENOENT) => return Ok(Out::Undefined),
            Err(e) => return Err(Failure::new(e, "lstat", Some(&path))),
        };
        if meta.is_dir() && !recursive {
            return Err(Failure::new(io::Error::from_raw_os_error(libc::EISDIR), "rm", Some(&path)));
        }
        let removed = if meta.is_dir() { remove_tree(Path::new(&path)) } else { fs::remove_file(&path) };
        let syscall = if meta.is_dir() { "rmdir" } else { "unlink" };
        removed.map(|_| Out::Undefined).map_err(|e| Failure::new(e, syscall, Some(&path)))
    })
}

/// rmdir(path, cb)
fn rmdir(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    dispatch(args, 1, move || fs::remove_dir(&path).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "rmdir", Some(&path))))
}

/// unlink(path, cb)
fn unlink(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    dispatch(args, 1, move || fs::remove_file(&path).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "unlink", Some(&path))))
}

/// rename(from, to, cb)
fn rename(args: &Args) -> JsResult<Value> {
    let from = args.string(0)?;
    let to = args.string(1)?;
    dispatch(args, 2, move || {
        fs::rename(&from, &to).map(|_| Out::Undefined).map_err(|e| Failure::with_dest(e, "rename", &from, &to))
    })
}

/// copyFile(from, to, mode, cb): mode bit 1 is COPYFILE_EXCL.
fn copy_file(args: &Args) -> JsResult<Value> {
    let from = args.string(0)?;
    let to = args.string(1)?;
    let exclusive = int(args, 2)? & 1 != 0;
    dispatch(args, 3, move || {
        let fail = |e| Failure::with_dest(e, "copyfile", &from, &to);
        let mut source = File::open(&from).map_err(fail)?;
        let perm = source.metadata().map_err(fail)?.permissions();
        if perm.mode() & libc::S_IFMT == libc::S_IFDIR {
            return Err(fail(io::Error::from_raw_os_error(libc::EISDIR)));
        }
        let flags = libc::O_WRONLY | libc::O_CREAT | if exclusive { libc::O_EXCL } else { libc::O_TRUNC };
        let fd = open_raw(&to, flags, perm.mode() & 0o7777).map_err(fail)?;
        // SAFETY: fd was just opened and is owned by this File.
        let mut dest = unsafe { File::from_raw_fd(fd) };
        io::copy(&mut source, &mut dest).map_err(fail)?;
        dest.set_permissions(perm).map_err(fail)?;
        Ok(Out::Undefined)
    })
}

/// mkdtemp(prefix, cb) -> the new directory's path
fn mkdtemp(args: &Args) -> JsResult<Value> {
    let template = format!("{}XXXXXX", args.string(0)?);
    dispatch(args, 1, move || {
        let fail = |e| Failure::new(e, "mkdtemp", Some(&template));
        let c = c_path(&template).map_err(fail)?;
        let mut buf = c.into_bytes_with_nul();
        // SAFETY: buf is a writable NUL-terminated template.
        if unsafe { libc::mkdtemp(buf.as_mut_ptr() as *mut libc::c_char) }.is_null() {
            return Err(fail(io::Error::last_os_error()));
        }
        buf.pop();
        Ok(Out::Text(String::from_utf8_lossy(&buf).into_owned()))
    })
}

/// realpath(path, cb); the "lstat" or "realpath" call named in errors comes from JS.
fn realpath(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let native = args.get(1).to_boolean();
    dispatch(args, 2, move || {
        let syscall = if native { "realpath" } else { "lstat" };
        fs::canonicalize(&path)
            .map(|p| Out::Text(p.to_string_lossy().into_owned()))
            .map_err(|e| Failure::new(e, syscall, Some(&path)))
    })
}

/// readlink(path, cb)
fn readlink(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    dispatch(args, 1, move || {
        fs::read_link(&path)
            .map(|p| Out::Text(p.to_string_lossy().into_owned()))
            .map_err(|e| Failure::new(e, "readlink", Some(&path)))
    })
}

/// symlink(target, path, cb)
fn symlink(args: &Args) -> JsResult<Value> {
    let target = args.string(0)?;
    let path = args.string(1)?;
    dispatch(args, 2, move || {
        std::os::unix::fs::symlink(&target, &path)
            .map(|_| Out::Undefined)
            .map_err(|e| Failure::with_dest(e, "symlink", &target, &path))
    })
}

/// link(existing, new, cb)
fn link(args: &Args) -> JsResult<Value> {
    let existing = args.string(0)?;
    let new = args.string(1)?;
    dispatch(args, 2, move || {
        fs::hard_link(&existing, &new).map(|_| Out::Undefined).map_err(|e| Failure::with_dest(e, "link", &existing, &new))
    })
}

/// chmod(path, mode, cb)
fn chmod(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let mode = int(args, 1)? as u32;
    dispatch(args, 2, move || {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))
            .map(|_| Out::Undefined)
            .map_err(|e| Failure::new(e, "chmod", Some(&path)))
    })
}

/// fchmod(fd, mode, cb)
fn fchmod(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    let mode = int(args, 1)? as u32;
    dispatch(args, 2, move || {
        // SAFETY: plain system call.
        check(unsafe { libc::fchmod(fd, mode) }).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "fchmod", None))
    })
}

/// chown(path, uid, gid, noFollow, cb)
fn chown(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let uid = int(args, 1)? as libc::uid_t;
    let gid = int(args, 2)? as libc::gid_t;
    let no_follow = args.get(3).to_boolean();
    dispatch(args, 4, move || {
        let syscall = if no_follow { "lchown" } else { "chown" };
        let fail = |e| Failure::new(e, syscall, Some(&path));
        let c = c_path(&path).map_err(fail)?;
        // SAFETY: c is NUL-terminated.
        let ret = unsafe { if no_follow { libc::lchown(c.as_ptr(), uid, gid) } else { libc::chown(c.as_ptr(), uid, gid) } };
        check(ret).map(|_| Out::Undefined).map_err(fail)
    })
}

/// fchown(fd, uid, gid, cb)
fn fchown(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    let uid = int(args, 1)? as libc::uid_t;
    let gid = int(args, 2)? as libc::gid_t;
    dispatch(args, 3, move || {
        // SAFETY: plain system call.
        check(unsafe { libc::fchown(fd, uid, gid) }).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "fchown", None))
    })
}

fn timespec(seconds: f64) -> libc::timespec {
    let whole = seconds.floor();
    libc::timespec { tv_sec: whole as libc::time_t, tv_nsec: ((seconds - whole) * 1e9) as libc::c_long }
}

/// utimes(pathOrFd, atime, mtime, noFollow, cb), times in seconds.
fn utimes(args: &Args) -> JsResult<Value> {
    let times = [timespec(args.number(1)?), timespec(args.number(2)?)];
    let no_follow = args.get(3).to_boolean();
    if args.get(0).is_number() {
        let fd = int(args, 0)? as i32;
        return dispatch(args, 4, move || {
            // SAFETY: times holds two timespecs.
            check(unsafe { libc::futimens(fd, times.as_ptr()) })
                .map(|_| Out::Undefined)
                .map_err(|e| Failure::new(e, "futime", None))
        });
    }
    let path = args.string(0)?;
    dispatch(args, 4, move || {
        let syscall = if no_follow { "lutime" } else { "utime" };
        let fail = |e| Failure::new(e, syscall, Some(&path));
        let c = c_path(&path).map_err(fail)?;
        let flags = if no_follow { libc::AT_SYMLINK_NOFOLLOW } else { 0 };
        // SAFETY: c is NUL-terminated and times holds two timespecs.
        check(unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), times.as_ptr(), flags) }).map(|_| Out::Undefined).map_err(fail)
    })
}

/// truncate(pathOrFd, len, cb)
fn truncate(args: &Args) -> JsResult<Value> {
    let len = int(args, 1)? as u64;
    if args.get(0).is_number() {
        let fd = int(args, 0)? as i32;
        return dispatch(args, 2, move || {
            borrow_fd(fd).set_len(len).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "ftruncate", None))
        });
    }
    let path = args.string(0)?;
    dispatch(args, 2, move || {
        let file = fs::OpenOptions::new().write(true).open(&path).map_err(|e| Failure::new(e, "open", Some(&path)))?;
        file.set_len(len).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "ftruncate", None))
    })
}

/// fsync(fd, dataOnly, cb)
fn fsync(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    let data_only = args.get(1).to_boolean();
    dispatch(args, 2, move || {
        let file = borrow_fd(fd);
        let (synced, syscall) = if data_only { (file.sync_data(), "fdatasync") } else { (file.sync_all(), "fsync") };
        synced.map(|_| Out::Undefined).map_err(|e| Failure::new(e, syscall, None))
    })
}

/// open(path, flags, mode, cb) -> fd
fn open(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    let flags = int(args, 1)? as i32;
    let mode = int(args, 2)? as u32;
    dispatch(args, 3, move || {
        open_raw(&path, flags, mode).map(|fd| Out::Number(fd as f64)).map_err(|e| Failure::new(e, "open", Some(&path)))
    })
}

/// close(fd, cb)
fn close(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    dispatch(args, 1, move || {
        // SAFETY: the caller gives up the descriptor.
        check(unsafe { libc::close(fd) }).map(|_| Out::Undefined).map_err(|e| Failure::new(e, "close", None))
    })
}

/// Reads larger than this always go to the thread pool: copying them on the JS thread
/// would hold up the loop.
const MAX_READ_ON_JS_THREAD: usize = 256 * 1024;

/// read(fd, view, position, cb) -> the number of bytes read into the typed array `view`
/// (position < 0: from the current offset). The kernel writes straight into the caller's
/// buffer, as in Node, with no copy of its own; with a callback the buffer is held until it
/// runs.
///
/// With a callback, a regular file's bytes already in the page cache are copied at once on
/// the JS thread (a read with RWF_NOWAIT, which never blocks) and the callback runs in this
/// or the next poll phase, as if from the pool: handing each read to a pool thread and back
/// costs two thread wake-ups, far more than the copy. Bytes not yet cached are read on the
/// pool as usual.
fn read(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    let view = args.get(1);
    let position = int(args, 2)?;
    let bytes = view.bytes().unwrap_or_default();
    let lent = LentBytes(bytes.as_mut_ptr(), bytes.len());
    let length = lent.1;
    let mut done = 0;
    if args.get(3).is_function() && length <= MAX_READ_ON_JS_THREAD && is_regular_file(fd) {
        let cached = retry_interrupted(|| read_cached(fd, lent.0 as *mut libc::c_void, length, position));
        match cached {
            // All of it, or the end of the file.
            Ok(n) if n == length || n == 0 => return complete_soon(args, 3, Out::Number(n as f64)),
            // Only the start was cached: the pool reads the rest.
            Ok(n) => done = n,
            // Nothing cached (EAGAIN), or a failure the pool's read reports the same way.
            Err(_) => {}
        }
    }
    dispatch_holding(args, 3, Some(view), move || {
        let lent = lent;
        let at = if position >= 0 { position + done as i64 } else { -1 };
        let n = retry_interrupted(|| {
            // SAFETY: the held buffer has `length` bytes at lent.0, `done` of them filled.
            let (ptr, len) = (unsafe { lent.0.add(done) } as *mut libc::c_void, length - done);
            // SAFETY: ptr holds len writable bytes.
            unsafe { if at >= 0 { libc::pread64(fd, ptr, len, at) } else { libc::read(fd, ptr, len) } }
        });
        n.map(|n| Out::Number((done + n) as f64)).map_err(|e| Failure::new(e, "read", None))
    })
}

/// Whether `fd` is a regular file, whose cached bytes a read can take without waiting (a
/// pipe's or a terminal's read must wait on the pool for what comes).
fn is_regular_file(fd: i32) -> bool {
    let mut st = std::mem::MaybeUninit::<libc::stat64>::uninit();
    // SAFETY: st is a stat-sized buffer, filled when fstat succeeds.
    unsafe { libc::fstat64(fd, st.as_mut_ptr()) == 0 && st.assume_init().st_mode & libc::S_IFMT == libc::S_IFREG }
}

/// A read that takes only what the page cache holds and fails with EAGAIN rather than wait.
fn read_cached(fd: i32, ptr: *mut libc::c_void, len: usize, position: i64) -> isize {
    let iov = libc::iovec { iov_base: ptr, iov_len: len };
    // SAFETY: iov points at len writable bytes; offset -1 reads at the file's offset.
    unsafe { libc::preadv2(fd, &iov, 1, if position >= 0 { position } else { -1 }, libc::RWF_NOWAIT) as isize }
}

/// Calls the callback at `cb` with `out` as the thread pool's completion would: in the poll
/// phase, as a macrotask, keeping the loop alive until then.
fn complete_soon(args: &Args, cb: usize, out: Out) -> JsResult<Value> {
    let callback = args.get(cb).protect();
    runtime::event_loop::ref_handle();
    runtime::event_loop::complete_local(move |ctx| {
        runtime::event_loop::unref_handle();
        let value = out.to_js(ctx)?;
        callback.object().expect("callback").call(None, &[ctx.null(), value])?;
        Ok(())
    });
    Ok(args.ctx.undefined())
}

/// Runs a read or write system call again while a signal interrupts it.
fn retry_interrupted(mut call: impl FnMut() -> isize) -> io::Result<usize> {
    loop {
        let n = call();
        if n >= 0 {
            return Ok(n as usize);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// A JS buffer's memory lent to the thread pool, which only hands it to the kernel.
struct LentBytes(*mut u8, usize);

// SAFETY: the buffer is kept alive until the work is done (see `read` and `write`), and JSC locked it
// against detaching when its bytes pointer was taken.
unsafe impl Send for LentBytes {}

/// write(fd, bytes, position, cb) -> bytes written (position < 0: at the current offset).
/// The write goes straight from the caller's buffer, as Node's does; with a callback the
/// buffer is held until it runs.
fn write(args: &Args) -> JsResult<Value> {
    let fd = int(args, 0)? as i32;
    let position = int(args, 2)?;
    let data = args.get(1);
    let bytes = data.bytes().unwrap_or_default();
    let lent = LentBytes(bytes.as_mut_ptr(), bytes.len());
    dispatch_holding(args, 3, Some(data), move || {
        let lent = lent;
        let n = retry_interrupted(|| {
            let (ptr, len) = (lent.0 as *const libc::c_void, lent.1);
            // SAFETY: ptr holds len bytes of the held buffer.
            unsafe { if position >= 0 { libc::pwrite64(fd, ptr, len, position) } else { libc::write(fd, ptr, len) } }
        });
        n.map(|n| Out::Number(n as f64)).map_err(|e| Failure::new(e, "write", None))
    })
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    let ops: &[(&str, jsc::NativeFn)] = &[
        ("readFile", read_file),
        ("writeFile", write_file),
        ("access", access),
        ("exists", exists),
        ("stat", stat),
        ("statfs", statfs),
        ("lstat", lstat),
        ("fstat", fstat),
        ("mkdir", mkdir),
        ("readdir", readdir),
        ("rm", rm),
        ("rmdir", rmdir),
        ("unlink", unlink),
        ("rename", rename),
        ("copyFile", copy_file),
        ("mkdtemp", mkdtemp),
        ("realpath", realpath),
        ("readlink", readlink),
        ("symlink", symlink),
        ("link", link),
        ("chmod", chmod),
        ("fchmod", fchmod),
        ("chown", chown),
        ("fchown", fchown),
        ("utimes", utimes),
        ("truncate", truncate),
        ("fsync", fsync),
        ("open", open),
        ("close", close),
        ("read", read),
        ("write", write),
    ];
    watch::add_ops(b)?;
    for (name, op) in ops {
        b.set_function(name, *op)?;
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_bytes_layout() {
        let meta = fs::metadata("/").unwrap();
        let numbers = stat_bytes(&meta, false);
        assert_eq!(numbers.len(), 14 * 8);
        let field = |i: usize| f64::from_le_bytes(numbers[i * 8..i * 8 + 8].try_into().unwrap());
        assert_eq!(field(2), meta.mode() as f64);
        assert_eq!(field(11), meta.mtime() as f64 * 1000.0 + meta.mtime_nsec() as f64 / 1e6);
        let bigints = stat_bytes(&meta, true);
        assert_eq!(bigints.len(), 18 * 8);
        let field = |i: usize| i64::from_le_bytes(bigints[i * 8..i * 8 + 8].try_into().unwrap());
        assert_eq!(field(1), meta.ino() as i64);
        assert_eq!((field(12), field(13)), (meta.mtime(), meta.mtime_nsec()));
    }

    #[test]
    fn big_files_read_whole() {
        let path = std::env::temp_dir().join(format!("ferro-read-all-test-{}", std::process::id()));
        let data: Vec<u8> = (0..PREFAULT_READ + 12345).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &data).unwrap();
        assert_eq!(read_all(&mut File::open(&path).unwrap()).unwrap(), data);
        fs::remove_file(&path).unwrap();
    }

    #[test]
    fn cached_reads_of_regular_files_only() {
        use std::os::unix::io::AsRawFd;
        let path = std::env::temp_dir().join(format!("ferro-cached-read-test-{}", std::process::id()));
        fs::write(&path, b"cached bytes").unwrap();
        let file = File::open(&path).unwrap();
        let fd = file.as_raw_fd();
        assert!(is_regular_file(fd));
        let mut buf = [0u8; 32];
        let n = read_cached(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 7);
        // Just written, so cached; a file system without RWF_NOWAIT refuses instead.
        if n >= 0 {
            assert_eq!(&buf[..n as usize], b"bytes");
            assert_eq!(read_cached(fd, buf.as_mut_ptr() as *mut libc::c_void, 6, -1), 6);
            assert_eq!(&buf[..6], b"cached");
        } else {
            assert_eq!(io::Error::last_os_error().raw_os_error(), Some(libc::EOPNOTSUPP));
        }
        let mut pipe = [0; 2];
        // SAFETY: pipe fills the two descriptors, closed below.
        assert_eq!(unsafe { libc::pipe(pipe.as_mut_ptr()) }, 0);
        assert!(!is_regular_file(pipe[0]));
        // SAFETY: both were opened above.
        unsafe { libc::close(pipe[0]) };
        unsafe { libc::close(pipe[1]) };
        fs::remove_file(&path).unwrap();
    }

    #[test]
    fn scan_sorts_by_bytes_with_types() {
        let dir = std::env::temp_dir().join(format!("ferro-scan-test-{}", std::process::id()));
        fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["b", "B", "a.txt", "10", "9", "é"] {
            fs::write(dir.join(name), "").unwrap();
        }
        std::os::unix::fs::symlink("b", dir.join("link")).unwrap();
        let listing = scan(&dir).unwrap();
        let names: Vec<&[u8]> = (0..listing.entries.len()).map(|i| listing.name(i)).collect();
        let expected: [&[u8]; 8] = [b"10", b"9", b"B", b"a.txt", b"b", b"link", b"sub", "é".as_bytes()];
        assert_eq!(names, expected);
        let types: Vec<u8> = listing.entries.iter().map(|e| e.1).collect();
        assert_eq!(types, [1, 1, 1, 1, 1, 3, 2, 1]);
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(scan(&dir).err().and_then(|e| e.raw_os_error()), Some(libc::ENOENT));
    }
}
