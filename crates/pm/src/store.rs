//! The global content-addressed package store (`<cache>/store`) and linking packages out of it.
//!
//! Each tarball is verified against its integrity string, unpacked once into a folder named after
//! that string, and from then on linked into projects file by file: a copy-on-write clone where
//! the file system can (btrfs, xfs), else a hard link, else a plain copy (another file system).

use crate::error::{Context, Error, Result};
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

pub struct Store {
    root: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkMode {
    Clone = 1,
    Hardlink = 2,
    Copy = 3,
}

static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Store {
    pub fn new(cache_dir: &Path) -> Store {
        Store { root: cache_dir.join("store").join("v1") }
    }

    pub fn path_for(&self, integrity: &str) -> PathBuf {
        let key = crate::integrity::store_key(integrity);
        self.root.join(&key[..2]).join(&key[2..])
    }

    pub fn has(&self, integrity: &str) -> bool {
        self.path_for(integrity).is_dir()
    }

    /// Verifies a downloaded tarball and unpacks it into the store; returns the package folder.
    pub fn add_tarball(&self, package: &str, integrity: &str, tarball: &[u8]) -> Result<PathBuf> {
        crate::integrity::verify(integrity, tarball).map_err(|e| Error::new(format!("integrity check failed for {package}: {e}")))?;
        let final_dir = self.path_for(integrity);
        if final_dir.is_dir() {
            return Ok(final_dir);
        }
        let temp = self.root.join("tmp").join(format!("{}-{}", std::process::id(), TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).context(|| format!("cannot create {}", temp.display()))?;
        let unpacked = extract(tarball, &temp).map_err(|e| Error::new(format!("{package}: cannot unpack the tarball: {e}")));
        if let Err(e) = unpacked {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(e);
        }
        make_bins_executable(&temp);
        std::fs::create_dir_all(final_dir.parent().unwrap()).context(|| format!("cannot create {}", self.root.display()))?;
        // Another ferro may have finished the same package meanwhile: theirs is as good as ours.
        if std::fs::rename(&temp, &final_dir).is_err() {
            let _ = std::fs::remove_dir_all(&temp);
            if !final_dir.is_dir() {
                return Err(Error::new(format!("cannot move {package} into the store at {}", final_dir.display())));
            }
        }
        Ok(final_dir)
    }
}

/// Unpacks a gzipped npm tarball, dropping its top folder (`package/`). Only regular files and
/// folders are taken, as npm does; paths leaving the destination are refused.
pub fn extract(tarball: &[u8], dest: &Path) -> std::io::Result<()> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tarball));
    let mut made_dirs: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_dir()) {
            continue;
        }
        let path = entry.path()?.into_owned();
        let mut relative = PathBuf::new();
        for component in path.components().skip(1) {
            match component {
                Component::Normal(part) => relative.push(part),
                Component::CurDir => {}
                _ => return Err(std::io::Error::other(format!("unsafe path in tarball: {}", path.display()))),
            }
        }
        if relative.as_os_str().is_empty() {
            continue;
        }
        let target = dest.join(&relative);
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            made_dirs.insert(target);
            continue;
        }
        if let Some(parent) = target.parent() {
            if !made_dirs.contains(parent) {
                std::fs::create_dir_all(parent)?;
                made_dirs.insert(parent.to_path_buf());
            }
        }
        let mode = entry.header().mode().unwrap_or(0o644);
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut data)?;
        let _ = std::fs::remove_file(&target); // a tarball may hold the same path twice; the last wins
        std::fs::write(&target, &data)?;
        let mode = if mode & 0o111 != 0 { 0o755 } else { 0o644 };
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// npm makes every `bin` target executable; doing it in the store covers every linked copy.
fn make_bins_executable(package_dir: &Path) {
    let Ok(doc) = crate::manifest::read_json_file(&package_dir.join("package.json")) else { return };
    let name = doc.get("name").and_then(|n| n.as_str()).unwrap_or("");
    for path in crate::manifest::bin_map(name, doc.get("bin")).values() {
        let file = package_dir.join(path);
        if file.is_file() {
            let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755));
        }
    }
}

/// Chooses between clone, hard link and copy once per install, on the first file linked.
pub struct Linker {
    mode: AtomicU8,
    pub files: AtomicUsize,
}

impl Linker {
    /// `forced` comes from `FERRO_LINK=clone|hardlink|copy`; otherwise the best that works is found.
    pub fn new(forced: Option<LinkMode>) -> Linker {
        Linker { mode: AtomicU8::new(forced.map_or(0, |m| m as u8)), files: AtomicUsize::new(0) }
    }

    pub fn from_env() -> Linker {
        let forced = match std::env::var("FERRO_LINK").as_deref() {
            Ok("clone") => Some(LinkMode::Clone),
            Ok("hardlink") => Some(LinkMode::Hardlink),
            Ok("copy") => Some(LinkMode::Copy),
            _ => None,
        };
        Linker::new(forced)
    }

    /// Recreates the package folder `from` (in the store) at `to`.
    pub fn link_package(&self, from: &Path, to: &Path, copy: bool) -> Result<()> {
        self.link_dir(from, to, copy).context(|| format!("cannot link {} to {}", from.display(), to.display()))
    }

    fn link_dir(&self, from: &Path, to: &Path, copy: bool) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let source = entry.path();
            let dest = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                self.link_dir(&source, &dest, copy)?;
                continue;
            }
            if copy {
                std::fs::copy(&source, &dest)?;
            } else {
                self.link_file(&source, &dest)?;
            }
            self.files.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn link_file(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        match self.mode.load(Ordering::Relaxed) {
            1 => clone_file(from, to),
            2 => std::fs::hard_link(from, to),
            3 => std::fs::copy(from, to).map(|_| ()),
            _ => {
                // First file: try the modes best first and remember what worked.
                let mode = if clone_file(from, to).is_ok() {
                    LinkMode::Clone
                } else if std::fs::hard_link(from, to).is_ok() {
                    LinkMode::Hardlink
                } else {
                    std::fs::copy(from, to)?;
                    LinkMode::Copy
                };
                self.mode.store(mode as u8, Ordering::Relaxed);
                Ok(())
            }
        }
    }
}

/// A copy-on-write clone (FICLONE), which only some file systems support.
fn clone_file(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let source = std::fs::File::open(from)?;
    let mode = source.metadata()?.permissions().mode();
    let dest = std::fs::OpenOptions::new().write(true).create_new(true).open(to)?;
    const FICLONE: libc::c_ulong = 0x4004_9409;
    let rc = unsafe { libc::ioctl(dest.as_raw_fd(), FICLONE as _, source.as_raw_fd()) };
    if rc != 0 {
        let err = std::io::Error::last_os_error();
        drop(dest);
        let _ = std::fs::remove_file(to);
        return Err(err);
    }
    dest.set_permissions(std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Builds an npm-style tarball (`package/...`) from (path, contents, mode) triples.
    pub fn tarball(files: &[(&str, &str, u32)]) -> Vec<u8> {
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

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ferro-pm-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn unpacks_verifies_and_links() {
        let dir = temp_dir("unpack");
        let store = Store::new(&dir.join("cache"));
        let tgz = tarball(&[
            ("package.json", r#"{"name":"tool","version":"1.0.0","bin":{"tool":"bin/tool.js"}}"#, 0o644),
            ("bin/tool.js", "#!/usr/bin/env node\n", 0o644),
            ("lib/run.sh", "echo", 0o775),
        ]);
        let sri = crate::integrity::sha512_sri(&tgz);
        assert!(store
            .add_tarball("tool@1.0.0", "sha512-AAAA", &tgz)
            .unwrap_err()
            .to_string()
            .starts_with("integrity check failed for tool@1.0.0"));
        let folder = store.add_tarball("tool@1.0.0", &sri, &tgz).unwrap();
        assert!(store.has(&sri));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder.join("bin/tool.js")), 0o755, "bin targets become executable");
        assert_eq!(mode(&folder.join("lib/run.sh")), 0o755);
        assert_eq!(mode(&folder.join("package.json")), 0o644);
        let linker = Linker::new(None);
        let project = dir.join("project/node_modules/tool");
        linker.link_package(&folder, &project, false).unwrap();
        assert_eq!(std::fs::read_to_string(project.join("bin/tool.js")).unwrap(), "#!/usr/bin/env node\n");
        assert_eq!(linker.files.load(Ordering::Relaxed), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn refuses_paths_outside_the_package() {
        let dir = temp_dir("evil");
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
        let mut header = tar::Header::new_gnu();
        header.set_size(1);
        header.set_mode(0o644);
        // set_path refuses "..", so write the raw name field.
        header.as_gnu_mut().unwrap().name[..16].copy_from_slice(b"package/../evil\0");
        header.set_cksum();
        builder.append(&header, &b"x"[..]).unwrap();
        let tgz = builder.into_inner().unwrap().finish().unwrap();
        assert!(extract(&tgz, &dir).is_err());
        assert!(!dir.parent().unwrap().join("evil").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
