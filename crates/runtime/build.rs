//! FERRO_TRANSFORM_BUILD_ID: a hash of this crate's sources and manifest, which key the
//! on-disk transform cache (src/transform_cache.rs) so a changed transform never reads an
//! older one's results.

use std::hash::{Hash, Hasher};

fn main() {
    let mut files = Vec::new();
    collect_files("src".as_ref(), &mut files);
    files.push("Cargo.toml".into());
    files.push("../../Cargo.lock".into());
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        file.hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    for watched in ["src", "Cargo.toml", "../../Cargo.lock"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    println!("cargo:rustc-env=FERRO_TRANSFORM_BUILD_ID={:016x}", hasher.finish());
}

fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}
