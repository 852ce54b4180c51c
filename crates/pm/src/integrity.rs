//! Subresource-integrity strings (`sha512-<base64>`) as used in `dist.integrity` and lockfiles.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

/// Converts the hex `dist.shasum` of old packages into an SRI string.
pub fn sha1_hex_to_sri(hex: &str) -> Option<String> {
    if hex.len() != 40 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..20).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()).collect();
    Some(format!("sha1-{}", STANDARD.encode(bytes?)))
}

/// Checks `data` against an SRI string; among several hashes the strongest known one decides.
pub fn verify(sri: &str, data: &[u8]) -> Result<(), String> {
    let best = sri
        .split_whitespace()
        .filter_map(|h| h.split_once('-'))
        .filter(|(alg, _)| matches!(*alg, "sha512" | "sha256" | "sha1"))
        .max_by_key(|(alg, _)| match *alg {
            "sha512" => 3,
            "sha256" => 2,
            _ => 1,
        });
    let Some((alg, expected)) = best else {
        return Err(format!("unsupported integrity value {sri:?}"));
    };
    let actual = digest(alg, data);
    // Some registries pad differently; compare the decoded bytes.
    let expected_bytes =
        STANDARD.decode(expected.split('?').next().unwrap_or(expected)).map_err(|_| format!("malformed integrity value {sri:?}"))?;
    if expected_bytes == actual {
        Ok(())
    } else {
        Err(format!("expected {alg}-{expected}, got {alg}-{}", STANDARD.encode(actual)))
    }
}

pub fn digest(alg: &str, data: &[u8]) -> Vec<u8> {
    match alg {
        "sha512" => Sha512::digest(data).to_vec(),
        "sha256" => Sha256::digest(data).to_vec(),
        _ => Sha1::digest(data).to_vec(),
    }
}

/// The SRI string ferro records for content it hashed itself.
pub fn sha512_sri(data: &[u8]) -> String {
    format!("sha512-{}", STANDARD.encode(Sha512::digest(data)))
}

/// A file-name-safe key for the content store, derived from the integrity string.
pub fn store_key(sri: &str) -> String {
    let hash = Sha256::digest(sri.trim().as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_sha512_and_sha1() {
        let data = b"hello";
        let sri = sha512_sri(data);
        assert!(verify(&sri, data).is_ok());
        assert!(verify(&sri, b"hellO").unwrap_err().starts_with("expected sha512-"));
        let sha1 = sha1_hex_to_sri("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d").unwrap();
        assert!(verify(&sha1, data).is_ok());
        assert!(verify(&format!("{sha1} {sri}"), data).is_ok());
        assert!(verify("md5-xyz", data).is_err());
    }
}
