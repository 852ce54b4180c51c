// Links the system JavaScriptCore. When it is missing, stop with one line that says what to install.
fn main() {
    match pkg_config::Config::new().atleast_version("2.40").probe("javascriptcoregtk-4.1") {
        Ok(_) => {}
        Err(_) => {
            eprintln!("error: JavaScriptCore not found: install it with `apt-get install libjavascriptcoregtk-4.1-dev` (pkg-config name javascriptcoregtk-4.1)");
            std::process::exit(1);
        }
    }
}
