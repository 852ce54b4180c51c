// Node-API addons resolve their `napi_*` / `node_api_*` imports against ferro itself.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=napi_*,--export-dynamic-symbol=node_api_*");
}
