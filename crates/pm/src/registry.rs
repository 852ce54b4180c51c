//! The registry client: package metadata (abbreviated format, cached on disk and revalidated with
//! ETag / Last-Modified) and tarballs, with bounded concurrency and retries with backoff on server
//! errors and time-outs.

use crate::error::{Error, Result};
use crate::manifest::Packument;
use crate::npmrc::Config;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

const ABBREVIATED: &str = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
/// How long cached metadata is used without asking the registry, when the registry does not say.
const DEFAULT_MAX_AGE: u64 = 300;
const RETRIES: u32 = 3;
const MAX_PARALLEL_REQUESTS: usize = 32;

pub struct Registry {
    /// Built on first use: loading the system's certificates takes a while, and an install from
    /// the lockfile and the store never needs the network.
    client: std::sync::OnceLock<std::result::Result<reqwest::Client, String>>,
    pub config: Config,
    metadata_dir: PathBuf,
    /// Never touch the network: cached metadata of any age is used, missing metadata is an error.
    pub offline: bool,
    /// Revalidate cached metadata even when it is still fresh.
    pub prefer_online: bool,
    permits: Semaphore,
    /// Requests sent, for the summary and for tests that check an install was network-free.
    pub requests: AtomicUsize,
    /// Packages whose metadata came from the cache without asking the registry.
    unconfirmed: std::sync::Mutex<std::collections::HashSet<String>>,
}

#[derive(Serialize, Deserialize)]
struct CacheHeader {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    fetched: u64,
    max_age: u64,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl Registry {
    pub fn new(config: Config, cache_dir: PathBuf) -> Result<Registry> {
        Ok(Registry {
            client: std::sync::OnceLock::new(),
            config,
            metadata_dir: cache_dir.join("metadata"),
            offline: false,
            prefer_online: false,
            permits: Semaphore::new(MAX_PARALLEL_REQUESTS),
            requests: AtomicUsize::new(0),
            unconfirmed: Default::default(),
        })
    }

    /// Whether `name`'s metadata was taken from the cache unchecked (so a version missing from
    /// it may just be newer than the cache).
    pub fn unconfirmed(&self, name: &str) -> bool {
        self.unconfirmed.lock().unwrap().contains(name)
    }

    fn client(&self) -> std::result::Result<&reqwest::Client, HttpError> {
        self.client.get_or_init(|| Self::build_client(&self.config)).as_ref().map_err(|e| HttpError::Transport(String::new(), e.clone()))
    }

    fn build_client(config: &Config) -> std::result::Result<reqwest::Client, String> {
        let timeout = std::env::var("FERRO_HTTP_TIMEOUT").ok().and_then(|s| s.parse().ok()).unwrap_or(30u64);
        let mut builder = reqwest::Client::builder();
        // Extra certificate authorities, as node and npm take them (proxies that re-sign TLS).
        let ca_files = [config.cafile.clone(), std::env::var("NODE_EXTRA_CA_CERTS").ok(), std::env::var("SSL_CERT_FILE").ok()];
        for file in ca_files.into_iter().flatten().filter(|f| !f.is_empty()) {
            if let Ok(pem) = std::fs::read(&file) {
                for cert in reqwest::Certificate::from_pem_bundle(&pem).unwrap_or_default() {
                    builder = builder.add_root_certificate(cert);
                }
            }
        }
        builder
            .user_agent(format!("ferro/{} node/v{}", env!("CARGO_PKG_VERSION"), crate::manifest::NODE_VERSION))
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(timeout))
            .pool_max_idle_per_host(MAX_PARALLEL_REQUESTS)
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))
    }

    pub fn packument_url(&self, name: &str) -> String {
        format!("{}{}", self.config.registry_for(name), name.replace('/', "%2f"))
    }

    fn cache_path(&self, url: &str) -> PathBuf {
        let key = crate::integrity::store_key(url);
        self.metadata_dir.join(&key[..2]).join(&key[2..])
    }

    fn read_cache(&self, url: &str) -> Option<(CacheHeader, Vec<u8>)> {
        let bytes = std::fs::read(self.cache_path(url)).ok()?;
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let header: CacheHeader = serde_json::from_slice(&bytes[..newline]).ok()?;
        (header.url == url).then(|| (header, bytes[newline + 1..].to_vec()))
    }

    fn write_cache(&self, header: &CacheHeader, body: &[u8]) {
        let path = self.cache_path(&header.url);
        let Ok(mut data) = serde_json::to_vec(header) else { return };
        data.push(b'\n');
        data.extend_from_slice(body);
        // Write then rename so a concurrent reader never sees half a file.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let _ = std::fs::create_dir_all(path.parent().unwrap());
        if std::fs::write(&tmp, data).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }

    /// The packument of `name`, from the cache when fresh, else from the registry.
    pub async fn packument(&self, name: &str) -> Result<Arc<Packument>> {
        self.packument_checked(name, self.prefer_online).await
    }

    /// The packument of `name`; `revalidate` asks the registry even when the cache is fresh.
    pub async fn packument_checked(&self, name: &str, revalidate: bool) -> Result<Arc<Packument>> {
        let url = self.packument_url(name);
        let cached = self.read_cache(&url);
        if let Some((header, body)) = &cached {
            if self.offline || (!revalidate && now().saturating_sub(header.fetched) < header.max_age) {
                self.unconfirmed.lock().unwrap().insert(name.to_string());
                return Packument::parse(name, body).map(Arc::new);
            }
        }
        self.unconfirmed.lock().unwrap().remove(name);
        if self.offline {
            return Err(Error::new(format!("{name}: not in the cache and --offline was given")));
        }
        let validators = cached.as_ref().map(|(h, _)| (h.etag.clone(), h.last_modified.clone()));
        let response = self
            .get(&url, |mut request| {
                request = request.header("Accept", ABBREVIATED);
                if let Some((etag, modified)) = &validators {
                    if let Some(etag) = etag {
                        request = request.header("If-None-Match", etag);
                    }
                    if let Some(modified) = modified {
                        request = request.header("If-Modified-Since", modified);
                    }
                }
                request
            })
            .await
            .map_err(|e| e.for_package(name))?;
        let header_value = |h: &str| response.headers.get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
        let max_age = header_value("cache-control")
            .and_then(|cc| cc.split(',').find_map(|d| d.trim().strip_prefix("max-age=").and_then(|s| s.parse().ok())))
            .unwrap_or(DEFAULT_MAX_AGE);
        if response.status == 304 {
            if let Some((mut header, body)) = cached {
                header.fetched = now();
                header.max_age = max_age;
                self.write_cache(&header, &body);
                return Packument::parse(name, &body).map(Arc::new);
            }
        }
        let header = CacheHeader { url, etag: header_value("etag"), last_modified: header_value("last-modified"), fetched: now(), max_age };
        self.write_cache(&header, &response.body);
        Packument::parse(name, &response.body).map(Arc::new)
    }

    /// Downloads a tarball.
    pub async fn tarball(&self, name: &str, url: &str) -> Result<Vec<u8>> {
        if self.offline {
            return Err(Error::new(format!("{name}: tarball not in the cache and --offline was given")));
        }
        let response = self.get(url, |r| r).await.map_err(|e| e.for_package(name))?;
        Ok(response.body)
    }

    /// GET with retries: 5xx answers, time-outs and connection failures are retried with
    /// exponential backoff; 4xx answers are final.
    async fn get(
        &self,
        url: &str,
        prepare: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> std::result::Result<Response, HttpError> {
        let _permit = self.permits.acquire().await.expect("semaphore is never closed");
        let client = self.client()?;
        let mut attempt = 0;
        loop {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let mut request = prepare(client.get(url));
            if let Some(auth) = self.config.authorization(url) {
                request = request.header("Authorization", auth);
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    if status == 200 || status == 304 {
                        match response.bytes().await {
                            Ok(body) => return Ok(Response { status, headers, body: body.to_vec() }),
                            Err(e) => HttpError::Transport(url.to_string(), e.to_string()),
                        }
                    } else {
                        let reason = response.status().canonical_reason().unwrap_or("").to_string();
                        HttpError::Status(url.to_string(), status, reason)
                    }
                }
                Err(e) => HttpError::Transport(url.to_string(), describe(&e)),
            };
            let retryable = match &outcome {
                HttpError::Status(_, status, _) => *status >= 500 || *status == 429,
                HttpError::Transport(_, message) => !message.contains("certificate"),
            };
            if !retryable || attempt >= RETRIES {
                return Err(outcome);
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
        }
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

struct Response {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

enum HttpError {
    Status(String, u16, String),
    Transport(String, String),
}

impl HttpError {
    fn for_package(self, name: &str) -> Error {
        match self {
            HttpError::Status(_, 404, _) => Error::new(format!("404 Not Found: {name}")),
            HttpError::Status(url, status, reason) => Error::new(format!("GET {url}: {status} {reason}").trim_end().to_string()),
            HttpError::Transport(url, message) => Error::new(format!("GET {url}: {message}")),
        }
    }
}
