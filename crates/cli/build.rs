fn main() {
    // A position-dependent executable, as node is: the dynamic loader then has none of
    // ferro's own ~16k relative relocations to apply at every start (~0.4 ms).
    println!("cargo:rustc-link-arg-bins=-no-pie");
    // Node-API addons resolve their `napi_*` / `node_api_*` imports against ferro itself.
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=napi_*,--export-dynamic-symbol=node_api_*,--export-dynamic-symbol=node_module_register");
}
