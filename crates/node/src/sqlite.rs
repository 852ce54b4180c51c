//! Ops behind node:sqlite: SQLite (compiled from the rusqlite crate's bundled copy) driven
//! through its C API, the way Node's own binding drives it. js/sqlite.js validates
//! arguments and keeps the per-object settings; the ops assume valid input.
//!
//! A database handle and each prepared statement live in native objects ([`Ctx::wrap`]).
//! Closing a database finalizes its statements: a statement remembers which opening of
//! its database it belongs to and reports itself finalized once that opening is over.
//! User functions and aggregates call back into JS; an exception they throw is kept and
//! rethrown once SQLite returns.

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use rusqlite::ffi;
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;
use std::rc::Rc;

/// Bits of the `flags` argument of the statement ops (js/sqlite.js keeps the same).
const READ_BIG_INTS: u32 = 1;
const ALLOW_BARE_NAMED: u32 = 4;
const ALLOW_UNKNOWN_NAMED: u32 = 8;

/// Bits of `open`'s options.
const OPEN_READ_ONLY: u32 = 1;
const OPEN_FOREIGN_KEYS: u32 = 2;
const OPEN_DOUBLE_QUOTED_STRINGS: u32 = 4;
const OPEN_ALLOW_EXTENSION: u32 = 8;
const OPEN_DEFENSIVE: u32 = 16;

/// Bits of `createFunction`'s and `createAggregate`'s options.
const FN_DETERMINISTIC: u32 = 1;
const FN_DIRECT_ONLY: u32 = 2;
const FN_BIGINT_ARGUMENTS: u32 = 4;

const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

thread_local! {
    /// The exception a user function threw inside the current SQLite call.
    static PENDING_EXCEPTION: RefCell<Option<Protected>> = const { RefCell::new(None) };
    /// The engine's BigInt function, taken when the binding is made (user code may replace the global).
    static BIGINT: RefCell<Option<Protected>> = const { RefCell::new(None) };
}

struct Connection {
    handle: Cell<*mut ffi::sqlite3>,
    /// Bumped on every close: statements prepared before it are finalized.
    opening: Cell<u64>,
}

impl Connection {
    fn close(&self) {
        let db = self.handle.replace(ptr::null_mut());
        if db.is_null() {
            return;
        }
        self.opening.set(self.opening.get() + 1);
        unsafe {
            loop {
                let stmt = ffi::sqlite3_next_stmt(db, ptr::null_mut());
                if stmt.is_null() {
                    break;
                }
                ffi::sqlite3_finalize(stmt);
            }
            ffi::sqlite3_close(db);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.close();
    }
}

struct Statement {
    conn: Rc<Connection>,
    opening: u64,
    /// Null for SQL without a statement (only whitespace or comments).
    handle: *mut ffi::sqlite3_stmt,
}

impl Statement {
    fn live(&self) -> Option<*mut ffi::sqlite3_stmt> {
        let open = !self.conn.handle.get().is_null() && self.conn.opening.get() == self.opening;
        (open && !self.handle.is_null()).then_some(self.handle)
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        if let Some(stmt) = self.live() {
            unsafe { ffi::sqlite3_finalize(stmt) };
        }
    }
}

// ---- errors ----

/// An error as Node's binding makes them: `new <class>(message)` with a `code`.
fn node_error(ctx: Ctx, class: &str, code: &str, message: &str) -> Value {
    let made = (|| {
        let ctor = ctx.global().get(class)?.expect_object()?;
        let error = ctor.construct(&[ctx.string(message)])?;
        error.set("code", ctx.string(code))?;
        Ok::<Value, Value>(error.value())
    })();
    made.unwrap_or_else(|e| e)
}

fn invalid_state(ctx: Ctx, message: &str) -> Value {
    node_error(ctx, "Error", "ERR_INVALID_STATE", message)
}

/// `ERR_SQLITE_ERROR` with SQLite's message, extended result code and its description.
fn sqlite_error_with(ctx: Ctx, message: &str, errcode: c_int) -> Value {
    let error = node_error(ctx, "Error", "ERR_SQLITE_ERROR", message);
    if let Some(obj) = error.as_object() {
        let errstr = unsafe { CStr::from_ptr(ffi::sqlite3_errstr(errcode)) }.to_string_lossy();
        let _ = obj.set("errcode", ctx.number(errcode as f64));
        let _ = obj.set("errstr", ctx.string(&errstr));
    }
    error
}

/// The error SQLite recorded on `db`, or the exception a user function threw meanwhile.
fn sqlite_error(ctx: Ctx, db: *mut ffi::sqlite3) -> Value {
    if let Some(exception) = PENDING_EXCEPTION.with(|p| p.borrow_mut().take()) {
        return exception.value();
    }
    let (message, errcode) = unsafe {
        (CStr::from_ptr(ffi::sqlite3_errmsg(db)).to_string_lossy().into_owned(), ffi::sqlite3_extended_errcode(db))
    };
    sqlite_error_with(ctx, &message, errcode)
}

fn clear_pending_exception() {
    PENDING_EXCEPTION.with(|p| p.borrow_mut().take());
}

// ---- handles ----

fn connection(ctx: Ctx, v: Value) -> JsResult<Rc<Connection>> {
    v.wrapped::<Rc<Connection>>().cloned().ok_or_else(|| ctx.error("not a database handle"))
}

/// The open database behind a handle (js/sqlite.js checks that it is open first).
fn open_db(args: &Args) -> JsResult<*mut ffi::sqlite3> {
    let db = connection(args.ctx, args.get(0))?.handle.get();
    if db.is_null() {
        return Err(invalid_state(args.ctx, "database is not open"));
    }
    Ok(db)
}

fn statement(args: &Args) -> JsResult<(*mut ffi::sqlite3_stmt, *mut ffi::sqlite3)> {
    let handle = args.get(0);
    let stmt = handle.wrapped::<Statement>().ok_or_else(|| args.ctx.error("not a statement handle"))?;
    let live = stmt.live().ok_or_else(|| invalid_state(args.ctx, "statement has been finalized"))?;
    Ok((live, stmt.conn.handle.get()))
}

fn c_string(ctx: Ctx, s: &str) -> JsResult<CString> {
    CString::new(s).map_err(|_| ctx.error("string contains a null byte"))
}

/// A JS string as UTF-8 (lone surrogates become U+FFFD, as in Node).
fn utf8_of(v: Value) -> JsResult<String> {
    Ok(String::from_utf16_lossy(v.to_js_string()?.utf16()))
}

// ---- values ----

fn bigint(ctx: Ctx, n: i64) -> JsResult<Value> {
    let f = BIGINT.with(|b| b.borrow().as_ref().and_then(|f| f.object())).ok_or_else(|| ctx.error("BigInt is missing"))?;
    f.call(None, &[ctx.string(&n.to_string())])
}

fn integer(ctx: Ctx, n: i64, read_big_ints: bool) -> JsResult<Value> {
    if read_big_ints {
        bigint(ctx, n)
    } else if n.wrapping_abs() <= MAX_SAFE_INTEGER {
        // As in Node, whose check overflows on i64::MIN and lets it through as a number.
        Ok(ctx.number(n as f64))
    } else {
        let message = format!("Value is too large to be represented as a JavaScript number: {n}");
        Err(node_error(ctx, "RangeError", "ERR_OUT_OF_RANGE", &message))
    }
}

fn text(ctx: Ctx, ptr: *const u8, len: c_int) -> Value {
    if ptr.is_null() || len <= 0 {
        return ctx.string("");
    }
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len as usize) };
    ctx.string(&String::from_utf8_lossy(bytes))
}

fn blob(ctx: Ctx, ptr: *const c_void, len: c_int) -> JsResult<Value> {
    let bytes = if ptr.is_null() || len <= 0 { Vec::new() } else { unsafe { std::slice::from_raw_parts(ptr as *const u8, len as usize) }.to_vec() };
    Ok(ctx.uint8_array(bytes)?.value())
}

fn column_value(ctx: Ctx, stmt: *mut ffi::sqlite3_stmt, i: c_int, read_big_ints: bool) -> JsResult<Value> {
    unsafe {
        match ffi::sqlite3_column_type(stmt, i) {
            ffi::SQLITE_INTEGER => integer(ctx, ffi::sqlite3_column_int64(stmt, i), read_big_ints),
            ffi::SQLITE_FLOAT => Ok(ctx.number(ffi::sqlite3_column_double(stmt, i))),
            ffi::SQLITE_TEXT => {
                let p = ffi::sqlite3_column_text(stmt, i);
                Ok(text(ctx, p, ffi::sqlite3_column_bytes(stmt, i)))
            }
            ffi::SQLITE_BLOB => {
                let p = ffi::sqlite3_column_blob(stmt, i);
                blob(ctx, p, ffi::sqlite3_column_bytes(stmt, i))
            }
            _ => Ok(ctx.null()),
        }
    }
}

fn sqlite_value(ctx: Ctx, v: *mut ffi::sqlite3_value, read_big_ints: bool) -> JsResult<Value> {
    unsafe {
        match ffi::sqlite3_value_type(v) {
            ffi::SQLITE_INTEGER => integer(ctx, ffi::sqlite3_value_int64(v), read_big_ints),
            ffi::SQLITE_FLOAT => Ok(ctx.number(ffi::sqlite3_value_double(v))),
            ffi::SQLITE_TEXT => {
                let p = ffi::sqlite3_value_text(v);
                Ok(text(ctx, p, ffi::sqlite3_value_bytes(v)))
            }
            ffi::SQLITE_BLOB => {
                let p = ffi::sqlite3_value_blob(v);
                blob(ctx, p, ffi::sqlite3_value_bytes(v))
            }
            _ => Ok(ctx.null()),
        }
    }
}

/// The bytes of a typed array or DataView; ArrayBuffers themselves are not SQLite values.
fn view_bytes(v: &Value) -> Option<&mut [u8]> {
    let kind = unsafe { jsc::sys::JSValueGetTypedArrayType(v.ctx().raw(), v.raw(), ptr::null_mut()) };
    if kind == jsc::sys::kJSTypedArrayTypeArrayBuffer {
        return None;
    }
    v.bytes()
}

/// A JS value as SQLite takes it.
enum SqlValue<'a> {
    Null,
    Integer(i64),
    Float(f64),
    Text(String),
    Blob(&'a [u8]),
}

enum Unbindable {
    /// A BigInt outside the 64-bit range.
    TooLarge,
    /// Anything else SQLite has no type for.
    Unsupported,
}

fn sql_value<'a>(v: &'a Value) -> JsResult<Result<SqlValue<'a>, Unbindable>> {
    Ok(Ok(if v.is_null() {
        SqlValue::Null
    } else if v.is_number() {
        SqlValue::Float(v.to_number()?)
    } else if v.is_string() {
        SqlValue::Text(utf8_of(*v)?)
    } else if v.is_bigint() {
        match v.to_string()?.parse::<i64>() {
            Ok(n) => SqlValue::Integer(n),
            Err(_) => return Ok(Err(Unbindable::TooLarge)),
        }
    } else if let Some(bytes) = view_bytes(v) {
        SqlValue::Blob(bytes)
    } else {
        return Ok(Err(Unbindable::Unsupported));
    }))
}

fn bind_value(ctx: Ctx, stmt: *mut ffi::sqlite3_stmt, db: *mut ffi::sqlite3, index: c_int, v: Value) -> JsResult<()> {
    let rc = unsafe {
        match sql_value(&v)? {
            Ok(SqlValue::Null) => ffi::sqlite3_bind_null(stmt, index),
            Ok(SqlValue::Integer(n)) => ffi::sqlite3_bind_int64(stmt, index, n),
            Ok(SqlValue::Float(f)) => ffi::sqlite3_bind_double(stmt, index, f),
            Ok(SqlValue::Text(s)) => {
                ffi::sqlite3_bind_text64(stmt, index, s.as_ptr() as *const c_char, s.len() as u64, ffi::SQLITE_TRANSIENT(), ffi::SQLITE_UTF8 as u8)
            }
            Ok(SqlValue::Blob(b)) => ffi::sqlite3_bind_blob64(stmt, index, b.as_ptr() as *const c_void, b.len() as u64, ffi::SQLITE_TRANSIENT()),
            Err(Unbindable::TooLarge) => {
                return Err(node_error(ctx, "TypeError", "ERR_INVALID_ARG_VALUE", "BigInt value is too large to bind."));
            }
            Err(Unbindable::Unsupported) => {
                let message = format!("Provided value cannot be bound to SQLite parameter {index}.");
                return Err(node_error(ctx, "TypeError", "ERR_INVALID_ARG_TYPE", &message));
            }
        }
    };
    if rc != ffi::SQLITE_OK {
        return Err(sqlite_error(ctx, db));
    }
    Ok(())
}

fn parameter_name(stmt: *mut ffi::sqlite3_stmt, index: c_int) -> Option<String> {
    let name = unsafe { ffi::sqlite3_bind_parameter_name(stmt, index) };
    (!name.is_null()).then(|| unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned())
}

/// Binds an object's properties to the named parameters (`:a`, `$a`, `@a`; with bare
/// names allowed, `a` finds whichever of them the statement has).
fn bind_named(ctx: Ctx, stmt: *mut ffi::sqlite3_stmt, db: *mut ffi::sqlite3, params: Object, flags: u32) -> JsResult<()> {
    let mut bare_names: Vec<(String, String)> = Vec::new();
    if flags & ALLOW_BARE_NAMED != 0 {
        let count = unsafe { ffi::sqlite3_bind_parameter_count(stmt) };
        for i in 1..=count {
            let Some(full) = parameter_name(stmt, i) else { continue };
            if full.starts_with('?') {
                continue;
            }
            let bare = full[1..].to_string();
            if let Some((_, other)) = bare_names.iter().find(|(b, _)| *b == bare) {
                if *other != full {
                    let message = format!("Cannot create bare named parameter '{bare}' because of conflicting names '{other}' and '{full}'.");
                    return Err(invalid_state(ctx, &message));
                }
                continue;
            }
            bare_names.push((bare, full));
        }
    }
    for key in params.keys() {
        let name = bare_names.iter().find(|(bare, _)| *bare == key).map(|(_, full)| full.as_str()).unwrap_or(&key);
        let index = unsafe { ffi::sqlite3_bind_parameter_index(stmt, c_string(ctx, name)?.as_ptr()) };
        if index == 0 {
            if flags & ALLOW_UNKNOWN_NAMED != 0 {
                continue;
            }
            return Err(invalid_state(ctx, &format!("Unknown named parameter '{key}'")));
        }
        bind_value(ctx, stmt, db, index, params.get(&key)?)?;
    }
    Ok(())
}

/// Resets the statement and binds `args[2..]`: an object first (not a typed array) binds
/// named parameters; the other values fill the anonymous ones (`?`, `?NNN`) in order.
fn bind_all(args: &Args, stmt: *mut ffi::sqlite3_stmt, db: *mut ffi::sqlite3, flags: u32) -> JsResult<()> {
    unsafe {
        ffi::sqlite3_reset(stmt);
        ffi::sqlite3_clear_bindings(stmt);
    }
    let mut first = 2;
    if let Some(params) = args.get(2).as_object() {
        if view_bytes(&args.get(2)).is_none() {
            bind_named(args.ctx, stmt, db, params, flags)?;
            first = 3;
        }
    }
    let mut index = 1;
    for i in first..args.len() {
        while parameter_name(stmt, index).is_some_and(|name| !name.starts_with('?')) {
            index += 1;
        }
        bind_value(args.ctx, stmt, db, index, args.get(i))?;
        index += 1;
    }
    Ok(())
}

fn flags_arg(args: &Args) -> JsResult<u32> {
    Ok(args.number(1)? as u32)
}

/// The statement of `(stmt, flags, ...params)` with its parameters bound, ready to step.
fn bound_statement(args: &Args) -> JsResult<(*mut ffi::sqlite3_stmt, *mut ffi::sqlite3, u32)> {
    let (stmt, db) = statement(args)?;
    let flags = flags_arg(args)?;
    bind_all(args, stmt, db, flags)?;
    clear_pending_exception();
    Ok((stmt, db, flags))
}

/// A JS array filled in place, so that the collector sees each value as soon as it is made.
struct Values {
    array: Object,
    len: u32,
}

impl Values {
    fn new(ctx: Ctx) -> JsResult<Values> {
        Ok(Values { array: ctx.array(&[])?, len: 0 })
    }

    fn push(&mut self, v: Value) -> JsResult<()> {
        self.array.set_index(self.len, v)?;
        self.len += 1;
        Ok(())
    }
}

/// One step: appends the row's values to `out`; false when done.
fn step_into(ctx: Ctx, stmt: *mut ffi::sqlite3_stmt, db: *mut ffi::sqlite3, read_big_ints: bool, out: &mut Values) -> JsResult<bool> {
    match unsafe { ffi::sqlite3_step(stmt) } {
        ffi::SQLITE_ROW => {
            let count = unsafe { ffi::sqlite3_column_count(stmt) };
            for i in 0..count {
                out.push(column_value(ctx, stmt, i, read_big_ints)?)?;
            }
            Ok(true)
        }
        ffi::SQLITE_DONE => Ok(false),
        _ => Err(sqlite_error(ctx, db)),
    }
}

fn column_names(ctx: Ctx, stmt: *mut ffi::sqlite3_stmt) -> JsResult<Value> {
    let count = unsafe { ffi::sqlite3_column_count(stmt) };
    let names = (0..count).map(|i| Ok(optional_c_str(ctx, unsafe { ffi::sqlite3_column_name(stmt, i) })));
    Ok(ctx.array_from(names)?.value())
}

// ---- ops ----

/// `open(path, options, timeout)` → database handle; throws SQLite's error.
fn open(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let path = c_string(ctx, &args.string(0)?)?;
    let options = args.number(1)? as u32;
    let timeout = args.number(2)? as c_int;
    let mut flags = ffi::SQLITE_OPEN_URI;
    flags |= if options & OPEN_READ_ONLY != 0 { ffi::SQLITE_OPEN_READONLY } else { ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE };
    let mut db = ptr::null_mut();
    let rc = unsafe { ffi::sqlite3_open_v2(path.as_ptr(), &mut db, flags, ptr::null()) };
    if rc != ffi::SQLITE_OK {
        let error = if db.is_null() { sqlite_error_with(ctx, "out of memory", rc) } else { sqlite_error(ctx, db) };
        unsafe { ffi::sqlite3_close(db) };
        return Err(error);
    }
    let on = |bit| (options & bit != 0) as c_int;
    unsafe {
        ffi::sqlite3_extended_result_codes(db, 1);
        let dqs = on(OPEN_DOUBLE_QUOTED_STRINGS);
        ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_DQS_DML, dqs, ptr::null_mut::<c_int>());
        ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_DQS_DDL, dqs, ptr::null_mut::<c_int>());
        ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_ENABLE_FKEY, on(OPEN_FOREIGN_KEYS), ptr::null_mut::<c_int>());
        ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_DEFENSIVE, on(OPEN_DEFENSIVE), ptr::null_mut::<c_int>());
        ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, on(OPEN_ALLOW_EXTENSION), ptr::null_mut::<c_int>());
        if timeout > 0 {
            ffi::sqlite3_busy_timeout(db, timeout);
        }
    }
    let conn = Rc::new(Connection { handle: Cell::new(db), opening: Cell::new(0) });
    Ok(ctx.wrap(conn).value())
}

/// `close(db)`: finalizes its statements first.
fn close(args: &Args) -> JsResult<Value> {
    connection(args.ctx, args.get(0))?.close();
    Ok(args.ctx.undefined())
}

/// `exec(db, sql)`
fn exec(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let sql = c_string(args.ctx, &utf8_of(args.get(1))?)?;
    clear_pending_exception();
    let rc = unsafe { ffi::sqlite3_exec(db, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) };
    if rc != ffi::SQLITE_OK {
        return Err(sqlite_error(args.ctx, db));
    }
    Ok(args.ctx.undefined())
}

/// `prepare(db, sql)` → statement handle (of the first statement in `sql`).
fn prepare(args: &Args) -> JsResult<Value> {
    let conn = connection(args.ctx, args.get(0))?;
    let db = open_db(args)?;
    let sql = utf8_of(args.get(1))?;
    let mut stmt = ptr::null_mut();
    let rc = unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr() as *const c_char, sql.len() as c_int, &mut stmt, ptr::null_mut()) };
    if rc != ffi::SQLITE_OK {
        return Err(sqlite_error(args.ctx, db));
    }
    let opening = conn.opening.get();
    Ok(args.ctx.wrap(Statement { conn, opening, handle: stmt }).value())
}

/// `isTransaction(db)`
fn is_transaction(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    Ok(args.ctx.boolean(unsafe { ffi::sqlite3_get_autocommit(db) } == 0))
}

/// `location(db, dbName)` → the file's path, null for in-memory and unknown databases.
fn location(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let name = c_string(args.ctx, &args.string(1)?)?;
    let file = unsafe { ffi::sqlite3_db_filename(db, name.as_ptr()) };
    if file.is_null() {
        return Ok(args.ctx.null());
    }
    let file = unsafe { CStr::from_ptr(file) }.to_string_lossy();
    Ok(if file.is_empty() { args.ctx.null() } else { args.ctx.string(&file) })
}

/// `run(stmt, flags, ...params)` → [changes, lastInsertRowid]
fn run(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (stmt, db, flags) = bound_statement(args)?;
    let rc = unsafe { ffi::sqlite3_step(stmt) };
    let result = if rc == ffi::SQLITE_ROW || rc == ffi::SQLITE_DONE {
        let (changes, rowid) = unsafe { (ffi::sqlite3_changes64(db), ffi::sqlite3_last_insert_rowid(db)) };
        if flags & READ_BIG_INTS != 0 {
            Ok(ctx.array(&[bigint(ctx, changes)?, bigint(ctx, rowid)?])?.value())
        } else {
            Ok(ctx.array(&[ctx.number(changes as f64), ctx.number(rowid as f64)])?.value())
        }
    } else {
        Err(sqlite_error(ctx, db))
    };
    unsafe { ffi::sqlite3_reset(stmt) };
    result
}

/// `all(stmt, flags, ...params)` → [columnNames, values of every row one after another]
fn all(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (stmt, db, flags) = bound_statement(args)?;
    let mut values = Values::new(ctx)?;
    let stepped = loop {
        match step_into(ctx, stmt, db, flags & READ_BIG_INTS != 0, &mut values) {
            Ok(true) => continue,
            Ok(false) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    unsafe { ffi::sqlite3_reset(stmt) };
    stepped?;
    Ok(ctx.array(&[column_names(ctx, stmt)?, values.array.value()])?.value())
}

/// `get(stmt, flags, ...params)` → [columnNames, values] (values empty when there is no row)
fn get(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (stmt, db, flags) = bound_statement(args)?;
    let mut values = Values::new(ctx)?;
    let stepped = step_into(ctx, stmt, db, flags & READ_BIG_INTS != 0, &mut values);
    unsafe { ffi::sqlite3_reset(stmt) };
    stepped?;
    Ok(ctx.array(&[column_names(ctx, stmt)?, values.array.value()])?.value())
}

/// `bind(stmt, flags, ...params)` → column names; starts an iteration.
fn bind(args: &Args) -> JsResult<Value> {
    let (stmt, db) = statement(args)?;
    bind_all(args, stmt, db, flags_arg(args)?)?;
    column_names(args.ctx, stmt)
}

/// `step(stmt, flags)` → the next row's values, or null (and the statement reset) when done.
fn step(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (stmt, db) = statement(args)?;
    let flags = flags_arg(args)?;
    clear_pending_exception();
    let mut values = Values::new(ctx)?;
    match step_into(ctx, stmt, db, flags & READ_BIG_INTS != 0, &mut values) {
        Ok(true) => Ok(values.array.value()),
        done_or_failed => {
            unsafe { ffi::sqlite3_reset(stmt) };
            done_or_failed.map(|_| ctx.null())
        }
    }
}

/// `reset(stmt)`: ends an iteration early.
fn reset(args: &Args) -> JsResult<Value> {
    if let Ok((stmt, _)) = statement(args) {
        unsafe { ffi::sqlite3_reset(stmt) };
    }
    Ok(args.ctx.undefined())
}

/// `isLive(stmt)`: false once the statement is finalized (or was empty SQL).
fn is_live(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.boolean(statement(args).is_ok()))
}

fn optional_c_str(ctx: Ctx, p: *const c_char) -> Value {
    if p.is_null() {
        ctx.null()
    } else {
        ctx.string(&unsafe { CStr::from_ptr(p) }.to_string_lossy())
    }
}

/// `columns(stmt)` → [column, database, name, table, type] for each column, flat.
fn columns(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (stmt, _) = statement(args)?;
    let count = unsafe { ffi::sqlite3_column_count(stmt) };
    let mut out = Values::new(ctx)?;
    for i in 0..count {
        unsafe {
            out.push(optional_c_str(ctx, ffi::sqlite3_column_origin_name(stmt, i)))?;
            out.push(optional_c_str(ctx, ffi::sqlite3_column_database_name(stmt, i)))?;
            out.push(optional_c_str(ctx, ffi::sqlite3_column_name(stmt, i)))?;
            out.push(optional_c_str(ctx, ffi::sqlite3_column_table_name(stmt, i)))?;
            out.push(optional_c_str(ctx, ffi::sqlite3_column_decltype(stmt, i)))?;
        }
    }
    Ok(out.array.value())
}

/// `sourceSQL(stmt)`
fn source_sql(args: &Args) -> JsResult<Value> {
    let (stmt, _) = statement(args)?;
    Ok(optional_c_str(args.ctx, unsafe { ffi::sqlite3_sql(stmt) }))
}

/// `expandedSQL(stmt)`: the SQL with the bound values written in.
fn expanded_sql(args: &Args) -> JsResult<Value> {
    let (stmt, db) = statement(args)?;
    let expanded = unsafe { ffi::sqlite3_expanded_sql(stmt) };
    if expanded.is_null() {
        return Err(sqlite_error(args.ctx, db));
    }
    let value = optional_c_str(args.ctx, expanded);
    unsafe { ffi::sqlite3_free(expanded as *mut c_void) };
    Ok(value)
}

// ---- user functions ----

/// Sets a JS value as a function's SQLite result; a value SQLite has no type for is an error.
fn set_result(fctx: *mut ffi::sqlite3_context, v: Value) -> JsResult<()> {
    let error = |message: &str| {
        let message = CString::new(message).unwrap_or_default();
        unsafe { ffi::sqlite3_result_error(fctx, message.as_ptr(), -1) };
    };
    if v.is_undefined() {
        unsafe { ffi::sqlite3_result_null(fctx) };
        return Ok(());
    }
    if v.promise_state().is_some() {
        error("Asynchronous user-defined functions are not supported");
        return Ok(());
    }
    unsafe {
        match sql_value(&v)? {
            Ok(SqlValue::Null) => ffi::sqlite3_result_null(fctx),
            Ok(SqlValue::Integer(n)) => ffi::sqlite3_result_int64(fctx, n),
            Ok(SqlValue::Float(f)) => ffi::sqlite3_result_double(fctx, f),
            Ok(SqlValue::Text(s)) => {
                ffi::sqlite3_result_text64(fctx, s.as_ptr() as *const c_char, s.len() as u64, ffi::SQLITE_TRANSIENT(), ffi::SQLITE_UTF8 as u8)
            }
            Ok(SqlValue::Blob(b)) => ffi::sqlite3_result_blob64(fctx, b.as_ptr() as *const c_void, b.len() as u64, ffi::SQLITE_TRANSIENT()),
            Err(Unbindable::TooLarge) => error("BigInt value is too large for SQLite"),
            Err(Unbindable::Unsupported) => error("Returned JavaScript value cannot be converted to a SQLite value"),
        }
    }
    Ok(())
}

/// Keeps a JS exception for the op to rethrow and makes SQLite's call fail.
fn fail_with(fctx: *mut ffi::sqlite3_context, exception: Value) {
    PENDING_EXCEPTION.with(|p| *p.borrow_mut() = Some(exception.protect()));
    unsafe { ffi::sqlite3_result_error(fctx, c"".as_ptr(), 0) };
}

/// The JS values of a function's SQLite arguments, after `first` (held in a JS array
/// while they are made, for the collector).
fn js_arguments(ctx: Ctx, first: Option<Value>, argc: c_int, argv: *mut *mut ffi::sqlite3_value, big: bool) -> JsResult<(Values, Vec<Value>)> {
    let argv = if argc <= 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(argv, argc as usize) } };
    let mut held = Values::new(ctx)?;
    if let Some(v) = first {
        held.push(v)?;
    }
    for v in argv {
        held.push(sqlite_value(ctx, *v, big)?)?;
    }
    let list = (0..held.len).map(|i| held.array.get_index(i)).collect::<JsResult<Vec<Value>>>()?;
    Ok((held, list))
}

struct ScalarFunction {
    function: Protected,
    bigint_arguments: bool,
}

unsafe extern "C" fn call_scalar(fctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value) {
    let f = &*(ffi::sqlite3_user_data(fctx) as *const ScalarFunction);
    let callee = f.function.value();
    let ctx = callee.ctx();
    let outcome = (|| {
        let (_held, args) = js_arguments(ctx, None, argc, argv, f.bigint_arguments)?;
        let result = callee.expect_object()?.call(None, &args)?;
        set_result(fctx, result)
    })();
    if let Err(exception) = outcome {
        fail_with(fctx, exception);
    }
}

unsafe extern "C" fn drop_boxed<T>(p: *mut c_void) {
    drop(Box::from_raw(p as *mut T));
}

fn function_flags(flags: u32) -> c_int {
    let mut text = ffi::SQLITE_UTF8;
    if flags & FN_DETERMINISTIC != 0 {
        text |= ffi::SQLITE_DETERMINISTIC;
    }
    if flags & FN_DIRECT_ONLY != 0 {
        text |= ffi::SQLITE_DIRECTONLY;
    }
    text
}

/// `createFunction(db, name, fn, argumentCount, flags)`
fn create_function(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let name = c_string(args.ctx, &args.string(1)?)?;
    let flags = args.number(4)? as u32;
    let data = Box::new(ScalarFunction { function: args.get(2).protect(), bigint_arguments: flags & FN_BIGINT_ARGUMENTS != 0 });
    let rc = unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            name.as_ptr(),
            args.number(3)? as c_int,
            function_flags(flags),
            Box::into_raw(data) as *mut c_void,
            Some(call_scalar),
            None,
            None,
            Some(drop_boxed::<ScalarFunction>),
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(sqlite_error(args.ctx, db));
    }
    Ok(args.ctx.undefined())
}

struct Aggregate {
    /// The starting accumulator, or a function returning it.
    start: Protected,
    start_is_function: bool,
    step: Protected,
    inverse: Option<Protected>,
    result: Option<Protected>,
    bigint_arguments: bool,
}

/// The accumulator of the group SQLite is computing, made from `start` on first use.
unsafe fn accumulator(fctx: *mut ffi::sqlite3_context, agg: &Aggregate) -> JsResult<*mut Option<Protected>> {
    let slot = ffi::sqlite3_aggregate_context(fctx, std::mem::size_of::<*mut Option<Protected>>() as c_int) as *mut *mut Option<Protected>;
    if slot.is_null() {
        return Err(agg.step.value().ctx().error("out of memory"));
    }
    if (*slot).is_null() {
        *slot = Box::into_raw(Box::new(None));
    }
    if (**slot).is_none() {
        let start = agg.start.value();
        let value = if agg.start_is_function { start.expect_object()?.call(None, &[])? } else { start };
        **slot = Some(value.protect());
    }
    Ok(*slot)
}

unsafe fn aggregate_step(fctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value, inverse: bool) {
    let agg = &*(ffi::sqlite3_user_data(fctx) as *const Aggregate);
    let ctx = agg.step.value().ctx();
    let outcome = (|| {
        let acc = accumulator(fctx, agg)?;
        let f = if inverse { agg.inverse.as_ref().unwrap_or(&agg.step) } else { &agg.step };
        let current = (*acc).as_ref().map(|p| p.value()).unwrap_or(ctx.undefined());
        let (_held, call_args) = js_arguments(ctx, Some(current), argc, argv, agg.bigint_arguments)?;
        let next = f.value().expect_object()?.call(None, &call_args)?;
        *acc = Some(next.protect());
        Ok::<(), Value>(())
    })();
    if let Err(exception) = outcome {
        fail_with(fctx, exception);
    }
}

unsafe extern "C" fn aggregate_step_forward(fctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value) {
    aggregate_step(fctx, argc, argv, false)
}

unsafe extern "C" fn aggregate_step_inverse(fctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value) {
    aggregate_step(fctx, argc, argv, true)
}

/// Sets the group's result (`result(acc)`, or the accumulator); `finish` frees the group.
unsafe fn aggregate_result(fctx: *mut ffi::sqlite3_context, finish: bool) {
    let agg = &*(ffi::sqlite3_user_data(fctx) as *const Aggregate);
    let ctx = agg.step.value().ctx();
    let outcome = (|| {
        let acc = accumulator(fctx, agg)?;
        let value = (*acc).as_ref().map(|p| p.value()).unwrap_or(ctx.undefined());
        let result = match &agg.result {
            Some(f) => f.value().expect_object()?.call(None, &[value])?,
            None => value,
        };
        set_result(fctx, result)
    })();
    if finish {
        let slot = ffi::sqlite3_aggregate_context(fctx, 0) as *mut *mut Option<Protected>;
        if !slot.is_null() && !(*slot).is_null() {
            drop(Box::from_raw(*slot));
            *slot = ptr::null_mut();
        }
    }
    if let Err(exception) = outcome {
        fail_with(fctx, exception);
    }
}

unsafe extern "C" fn aggregate_final(fctx: *mut ffi::sqlite3_context) {
    aggregate_result(fctx, true)
}

unsafe extern "C" fn aggregate_value(fctx: *mut ffi::sqlite3_context) {
    aggregate_result(fctx, false)
}

/// `createAggregate(db, name, argumentCount, flags, start, startIsFunction, step, inverse?, result?)`
fn create_aggregate(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let name = c_string(args.ctx, &args.string(1)?)?;
    let flags = args.number(3)? as u32;
    let optional = |i: usize| (!args.get(i).is_undefined()).then(|| args.get(i).protect());
    let agg = Aggregate {
        start: args.get(4).protect(),
        start_is_function: args.get(5).to_boolean(),
        step: args.get(6).protect(),
        inverse: optional(7),
        result: optional(8),
        bigint_arguments: flags & FN_BIGINT_ARGUMENTS != 0,
    };
    let window = agg.inverse.is_some();
    let rc = unsafe {
        ffi::sqlite3_create_window_function(
            db,
            name.as_ptr(),
            args.number(2)? as c_int,
            function_flags(flags),
            Box::into_raw(Box::new(agg)) as *mut c_void,
            Some(aggregate_step_forward),
            Some(aggregate_final),
            if window { Some(aggregate_value) } else { None },
            if window { Some(aggregate_step_inverse) } else { None },
            Some(drop_boxed::<Aggregate>),
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(sqlite_error(args.ctx, db));
    }
    Ok(args.ctx.undefined())
}

// ---- extensions ----

/// `enableLoadExtension(db, allow)`
fn enable_load_extension(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let on = args.get(1).to_boolean() as c_int;
    unsafe { ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, on, ptr::null_mut::<c_int>()) };
    Ok(args.ctx.undefined())
}

/// `enableDefensive(db, active)`: forbids writes that can corrupt the database file.
fn enable_defensive(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let on = args.get(1).to_boolean() as c_int;
    unsafe { ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_DEFENSIVE, on, ptr::null_mut::<c_int>()) };
    Ok(args.ctx.undefined())
}

/// `loadExtension(db, path, entryPoint?)`
fn load_extension(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let path = c_string(args.ctx, &args.string(1)?)?;
    let entry = if args.get(2).is_string() { Some(c_string(args.ctx, &args.string(2)?)?) } else { None };
    let mut message: *mut c_char = ptr::null_mut();
    let rc = unsafe { ffi::sqlite3_load_extension(db, path.as_ptr(), entry.as_ref().map_or(ptr::null(), |e| e.as_ptr()), &mut message) };
    if rc != ffi::SQLITE_OK {
        let text = if message.is_null() { String::new() } else { unsafe { CStr::from_ptr(message) }.to_string_lossy().into_owned() };
        unsafe { ffi::sqlite3_free(message as *mut c_void) };
        return Err(node_error(args.ctx, "Error", "ERR_LOAD_SQLITE_EXTENSION", &text));
    }
    Ok(args.ctx.undefined())
}

/// `limit(db, id, newValue)` → the limit's value before (a negative newValue only reads it).
fn limit(args: &Args) -> JsResult<Value> {
    let db = open_db(args)?;
    let old = unsafe { ffi::sqlite3_limit(db, args.number(1)? as c_int, args.number(2)? as c_int) };
    Ok(args.ctx.number(old as f64))
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let big = ctx.global().get("BigInt")?.protect();
    BIGINT.with(|b| *b.borrow_mut() = Some(big));
    let b = ctx.object();
    b.set_function("open", open)?;
    b.set_function("close", close)?;
    b.set_function("exec", exec)?;
    b.set_function("prepare", prepare)?;
    b.set_function("isTransaction", is_transaction)?;
    b.set_function("location", location)?;
    b.set_function("run", run)?;
    b.set_function("all", all)?;
    b.set_function("get", get)?;
    b.set_function("bind", bind)?;
    b.set_function("step", step)?;
    b.set_function("reset", reset)?;
    b.set_function("isLive", is_live)?;
    b.set_function("columns", columns)?;
    b.set_function("sourceSQL", source_sql)?;
    b.set_function("expandedSQL", expanded_sql)?;
    b.set_function("createFunction", create_function)?;
    b.set_function("createAggregate", create_aggregate)?;
    b.set_function("enableLoadExtension", enable_load_extension)?;
    b.set_function("loadExtension", load_extension)?;
    b.set_function("enableDefensive", enable_defensive)?;
    b.set_function("limit", limit)?;
    Ok(b)
}
