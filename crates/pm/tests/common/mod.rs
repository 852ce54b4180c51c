//! A registry on 127.0.0.1 for tests: packages are published in memory (real gzipped tarballs,
//! real integrity strings) and served over HTTP/1.1 with keep-alive, with fault injection.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

#[derive(Clone)]
struct Route {
    status: u16,
    body: Vec<u8>,
    /// Answer this many requests with 503 before the real answer.
    fail_first: usize,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    packuments: HashMap<String, Value>,
    log: Vec<String>,
}

pub struct TestRegistry {
    pub url: String,
    state: Arc<Mutex<State>>,
    pub requests: Arc<AtomicUsize>,
}

impl TestRegistry {
    pub fn start() -> TestRegistry {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let requests = Arc::new(AtomicUsize::new(0));
        let (s, r) = (state.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (s, r) = (s.clone(), r.clone());
                std::thread::spawn(move || serve(stream, s, r));
            }
        });
        TestRegistry { url, state, requests }
    }

    /// Publishes `name@version`; `manifest` adds package.json fields (dependencies, bin, ...),
    /// `files` adds files besides package.json. The highest release becomes `latest`.
    pub fn publish(&self, name: &str, version: &str, manifest: Value, files: &[(&str, &str)]) -> String {
        let mut package_json = json!({"name": name, "version": version});
        if let Value::Object(extra) = &manifest {
            for (k, v) in extra {
                package_json[k] = v.clone();
            }
        }
        let mut all_files = vec![("package.json".to_string(), serde_json::to_string_pretty(&package_json).unwrap(), 0o644)];
        for (path, contents) in files {
            all_files.push((path.to_string(), contents.to_string(), 0o644));
        }
        let tgz = tarball(&all_files);
        let integrity = sri(&tgz);
        let base = name.rsplit('/').next().unwrap();
        let tarball_path = format!("{name}/-/{base}-{version}.tgz");
        let mut doc = package_json.clone();
        doc["dist"] = json!({"tarball": format!("{}{}", self.url, tarball_path), "integrity": integrity});
        if let Some(scripts) = package_json.get("scripts") {
            if ["preinstall", "install", "postinstall"].iter().any(|s| scripts.get(*s).is_some()) {
                doc["hasInstallScript"] = json!(true);
            }
        }
        let mut state = self.state.lock().unwrap();
        state.routes.insert(tarball_path, Route { status: 200, body: tgz, fail_first: 0 });
        let packument = state.packuments.entry(name.to_string()).or_insert_with(|| json!({"name": name, "dist-tags": {}, "versions": {}}));
        packument["versions"][version] = doc;
        let is_release = !version.contains('-');
        let latest = packument["dist-tags"]["latest"].as_str().map(str::to_string);
        if is_release && latest.is_none_or(|l| newer(version, &l)) {
            packument["dist-tags"]["latest"] = json!(version);
        }
        let body = packument.to_string().into_bytes();
        state.routes.insert(name.replace('/', "%2f"), Route { status: 200, body, fail_first: 0 });
        integrity
    }

    pub fn set_dist_tag(&self, name: &str, tag: &str, version: &str) {
        let mut state = self.state.lock().unwrap();
        let packument = state.packuments.get_mut(name).unwrap();
        packument["dist-tags"][tag] = json!(version);
        let body = packument.to_string().into_bytes();
        state.routes.insert(name.replace('/', "%2f"), Route { status: 200, body, fail_first: 0 });
    }

    /// Replaces the bytes served for a tarball (to provoke an integrity failure).
    pub fn corrupt_tarball(&self, name: &str, version: &str) {
        let base = name.rsplit('/').next().unwrap();
        let mut state = self.state.lock().unwrap();
        let route = state.routes.get_mut(&format!("{name}/-/{base}-{version}.tgz")).unwrap();
        route.body = tarball(&[("package.json".into(), "{\"name\":\"evil\"}".into(), 0o644)]);
    }

    /// The next `count` requests for this package's metadata get 503.
    pub fn fail_metadata(&self, name: &str, count: usize) {
        let mut state = self.state.lock().unwrap();
        state.routes.get_mut(&name.replace('/', "%2f")).unwrap().fail_first = count;
    }

    pub fn request_count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }
}

fn newer(a: &str, b: &str) -> bool {
    let parse = |s: &str| s.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    parse(a) > parse(b)
}

fn serve(stream: TcpStream, state: Arc<Mutex<State>>, requests: Arc<AtomicUsize>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut content_length = 0usize;
        let mut if_none_match = None;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                content_length = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("if-none-match:") {
                if_none_match = Some(header["if-none-match:".len()..].trim().to_string());
            }
        }
        let mut body = vec![0; content_length];
        let _ = reader.read_exact(&mut body);
        requests.fetch_add(1, Ordering::SeqCst);
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
        let path = path.replace("%2F", "%2f");
        let (status, body, etag) = {
            let mut state = state.lock().unwrap();
            let (status, body, etag) = match state.routes.get_mut(&path) {
                Some(route) if route.fail_first > 0 => {
                    route.fail_first -= 1;
                    (503, b"{\"error\":\"busy\"}".to_vec(), None)
                }
                Some(route) => {
                    let etag = format!("\"{}\"", &sri(&route.body)[7..27]);
                    if if_none_match.as_deref() == Some(etag.as_str()) {
                        (304, Vec::new(), Some(etag))
                    } else {
                        (route.status, route.body.clone(), Some(etag))
                    }
                }
                None => (404, b"{\"error\":\"Not found\"}".to_vec(), None),
            };
            state.log.push(format!("{status} {path}"));
            (status, body, etag)
        };
        let reason = match status {
            200 => "OK",
            304 => "Not Modified",
            404 => "Not Found",
            _ => "Service Unavailable",
        };
        let etag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
        let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n{etag}Content-Type: application/json\r\n\r\n", body.len());
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&body).is_err() {
            return;
        }
    }
}

pub fn tarball(files: &[(String, String, u32)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
    for (path, contents, mode) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(*mode);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, format!("package/{path}"), contents.as_bytes()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

pub fn sri(data: &[u8]) -> String {
    pm::integrity::sha512_sri(data)
}

/// A fresh project folder with a package.json and an .npmrc pointing at the test registry.
pub struct TestProject {
    pub dir: PathBuf,
    pub env: pm::Env,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TestProject {
    pub fn new(registry: &TestRegistry, package_json: Value) -> TestProject {
        let dir = std::env::temp_dir().join(format!("ferro-pm-test-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("project")).unwrap();
        let project = dir.join("project");
        std::fs::write(project.join("package.json"), serde_json::to_string_pretty(&package_json).unwrap() + "\n").unwrap();
        std::fs::write(project.join(".npmrc"), format!("registry={}\n", registry.url)).unwrap();
        let env = pm::Env {
            cache_dir: dir.join("cache"),
            cwd: project.clone(),
            tty: false,
            exe: PathBuf::from("/bin/false"),
            ferro_as_node: false,
        };
        TestProject { dir: project, env }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn manifest(&self) -> Value {
        serde_json::from_str(&self.read("package.json")).unwrap()
    }

    pub fn set_manifest(&self, value: Value) {
        self.write("package.json", &(serde_json::to_string_pretty(&value).unwrap() + "\n"));
    }

    pub fn install(&self, options: &pm::install::Options) -> Result<pm::install::Summary, String> {
        pm::install::install(&self.env, &self.dir, options).map_err(|e| e.to_string())
    }

    pub fn run(&self, command: &str, args: &[&str]) -> Result<i32, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        pm::commands::dispatch(&self.env, command, &args).map_err(|e| e.to_string())
    }

    /// Installed `name`'s version, read from node_modules.
    pub fn installed(&self, location: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.path(location).join("package.json")).ok()?;
        serde_json::from_str::<Value>(&text).ok()?.get("version")?.as_str().map(str::to_string)
    }

    /// Every package folder under node_modules, as "location version", sorted.
    pub fn layout(&self) -> Vec<String> {
        let mut out = Vec::new();
        collect(&self.dir, Path::new("node_modules"), &mut out);
        out.sort();
        out
    }
}

fn collect(root: &Path, relative: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(root.join(relative)) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = relative.join(&name);
        if name.starts_with('@') {
            collect(root, &rel, out);
            continue;
        }
        let full = root.join(&rel);
        if let Ok(text) = std::fs::read_to_string(full.join("package.json")) {
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let link = if entry.file_type().map(|t| t.is_symlink()).unwrap_or(false) { " (link)" } else { "" };
            out.push(format!("{} {}{link}", rel.display(), v["version"].as_str().unwrap_or("?")));
            if link.is_empty() {
                collect(root, &rel.join("node_modules"), out);
            }
        }
    }
}

impl Drop for TestProject {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(self.dir.parent().unwrap());
        }
    }
}
