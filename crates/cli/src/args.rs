//! node's command-line grammar: options before the script are ferro's, everything after
//! the script belongs to the program. Also the `NODE_OPTIONS` variable and `.env` files.

pub enum Entry {
    File(String),
    Eval(String),
    Print(String),
    Stdin,
}

pub struct Run {
    pub entry: Entry,
    /// `--input-type`: Some(true) module, Some(false) commonjs, None to detect from syntax.
    pub input_module: Option<bool>,
    /// `-i`: the REPL even when stdin is not a terminal.
    pub interactive: bool,
    /// `-c`: check the syntax only.
    pub check: bool,
    /// Options the JavaScript side applies before the program, in order: `require`,
    /// `import`, `condition` and `title`, each with its value.
    pub js_options: Vec<(&'static str, String)>,
    /// `--env-file` (true) and `--env-file-if-exists` (false) paths, in order.
    pub env_files: Vec<(String, bool)>,
    pub exec_argv: Vec<String>,
    /// NODE_OPTIONS's words: in effect like execArgv's, but not part of it.
    pub node_options: Vec<String>,
    pub args: Vec<String>,
}

pub enum Command {
    Version,
    Help,
    Run(Run),
}

/// Options node accepts that change nothing in ferro yet; accepted so scripts keep working.
const ACCEPTED_FLAGS: &[&str] = &[
    "--no-warnings",
    "--no-deprecation",
    "--trace-warnings",
    "--trace-deprecation",
    "--trace-uncaught",
    "--trace-exit",
    "--pending-deprecation",
    "--throw-deprecation",
    "--no-addons",
    "--enable-source-maps",
    "--preserve-symlinks",
    "--no-experimental-fetch",
    "--jitless",
    "--openssl-legacy-provider",
    "--use-openssl-ca",
    "--use-bundled-ca",
    "--abort-on-uncaught-exception",
    "--report-on-fatalerror",
    // Read from execArgv by internal/watch_mode.
    "--watch-preserve-output",
    // The test runner's (read from execArgv by internal/test_runner/harness).
    "--test-only",
    "--test-force-exit",
    "--test-update-snapshots",
];
/// Accepted flag families (any option starting so, with or without `=value`).
const ACCEPTED_PREFIXES: &[&str] = &["--experimental-", "--no-experimental-", "--inspect"];
/// Accepted options that take a value, as `--name=value` or `--name value`.
const ACCEPTED_VALUE_OPTIONS: &[&str] = &[
    "--max-old-space-size",
    "--max-semi-space-size",
    // Read by internal/dns/utils.js.
    "--dns-result-order",
    "--heapsnapshot-signal",
    "--icu-data-dir",
    "--stack-size",
    "--unhandled-rejections",
    "--max-http-header-size",
    "--disable-warning",
    // The test runner's (read from execArgv by internal/test_runner/harness).
    "--test-reporter",
    "--test-reporter-destination",
    "--test-name-pattern",
    "--test-skip-pattern",
    "--test-concurrency",
    "--test-timeout",
    "--test-shard",
    "--test-isolation",
    // Read from execArgv by internal/watch_mode.
    "--watch-kill-signal",
];
/// Options node refuses in NODE_OPTIONS (the value options among them as `name=` when so given).
const NOT_IN_NODE_OPTIONS: &[&str] = &[
    "-e", "--eval", "-p", "--print", "-pe", "-c", "--check", "-i", "--interactive", "-h", "--help", "-v",
    "--version", "--", "-", "--env-file", "--env-file-if-exists", "--stack-size",
];

pub const HELP: &str = "\
Usage: ferro [options] [ script.js ] [arguments]
       ferro [options] -e \"script\" [arguments]
       ferro [options] -p \"script\" [arguments]
       ferro [options]                (the interactive REPL)

ferro {version}, a Node.js-compatible JavaScript runtime implementing Node.js {node}.

Options:
  -                           script read from stdin (default when stdin is not a terminal)
  --                          indicate the end of ferro options
  -c, --check                 syntax check script without executing
  -C, --conditions=name       additional user conditions for conditional exports and imports
  -e, --eval script           evaluate script
  --env-file=file             set environment variables from supplied file
  --env-file-if-exists=file   the same, when the file exists
  -h, --help                  print this help
  --import=module             ES module to preload (option can be repeated)
  --input-type=type           set module type for string input (module or commonjs)
  -i, --interactive           always enter the REPL even if stdin does not appear to be a terminal
  -p, --print script          evaluate script and print result
  -r, --require module        CommonJS module to preload (option can be repeated)
  --title=title               the process title to use on startup
  -v, --version               print the Node.js version ferro implements
  --watch                     run in watch mode
  --watch-kill-signal=...     kill signal to send to the process on watch mode restarts
                              (default: SIGTERM)
  --watch-path=...            path to watch
  --watch-preserve-output     preserve outputs on watch mode restart
  --no-warnings               silence process warnings

Environment:
  NODE_DEBUG                  ','-separated list of core modules that should print debug information
  NODE_OPTIONS                set CLI options in the environment via a space-separated list
  NODE_REPL_HISTORY           path to the persistent REPL history file ('' disables it)
";

/// What the options seen so far say.
#[derive(Default)]
struct Options {
    entry: Option<Entry>,
    input_module: Option<bool>,
    interactive: bool,
    check: bool,
    js_options: Vec<(&'static str, String)>,
    env_files: Vec<(String, bool)>,
    /// `--test`: the arguments are test file patterns for the test runner.
    test: bool,
    /// `--watch` or `--watch-path`: the script reruns when files change.
    watch: bool,
    /// `--loader`/`--experimental-loader` hooks modules, in order.
    loaders: Vec<String>,
}

/// What `--test` runs: the test runner's command line, which reads its patterns from
/// process.argv and its options from process.execArgv.
const TEST_RUNNER_ENTRY: &str = "require('node:test')[Symbol.for('ferro.test.cli')]()";

/// What `--watch` runs: the watcher, which reruns `process.argv[1]` in a child process.
const WATCH_MODE_ENTRY: &str = "require('node:module')[Symbol.for('ferro.watch')]()";

enum Parsed {
    /// The option and how many arguments it took (1 or 2).
    Took(usize),
    Version,
    Help,
}

/// The option at `argv[i]`: applies it to `options`. `from_env` is true for NODE_OPTIONS.
fn parse_option(argv: &[String], i: usize, options: &mut Options, from_env: bool) -> Result<Parsed, String> {
    let arg = argv[i].as_str();
    let (name, inline) = match arg.split_once('=') {
        Some((name, value)) if name.starts_with("--") => (name, Some(value)),
        _ => (arg, None),
    };
    if from_env {
        let refused = NOT_IN_NODE_OPTIONS.contains(&name) || name.starts_with("--eval") || name.starts_with("--print");
        if refused {
            let shown = if inline.is_some() { format!("{name}=") } else { name.to_string() };
            return Err(format!("{shown} is not allowed in NODE_OPTIONS"));
        }
    }
    // The value of an option that takes one: after `=`, or the next argument.
    let value = || -> Result<(String, usize), String> {
        match inline {
            Some(v) => Ok((v.to_string(), 1)),
            None => argv.get(i + 1).map(|v| (v.clone(), 2)).ok_or_else(|| format!("{name} requires an argument")),
        }
    };
    let took = match name {
        "-v" | "--version" => return Ok(Parsed::Version),
        "-h" | "--help" => return Ok(Parsed::Help),
        "-e" | "--eval" | "-p" | "--print" | "-pe" => {
            let (code, took) = value()?;
            options.entry = Some(if name == "-e" || name == "--eval" { Entry::Eval(code) } else { Entry::Print(code) });
            took
        }
        "-i" | "--interactive" => {
            options.interactive = true;
            1
        }
        "-c" | "--check" => {
            options.check = true;
            1
        }
        "--test" => {
            options.test = true;
            1
        }
        // Read back from execArgv by internal/watch_mode.
        "--watch" => {
            options.watch = true;
            1
        }
        "--watch-path" => {
            options.watch = true;
            value()?.1
        }
        "-r" | "--require" | "--import" | "-C" | "--conditions" | "--title" => {
            let (v, took) = value()?;
            let kind = match name {
                "-r" | "--require" => "require",
                "--import" => "import",
                "--title" => "title",
                _ => "condition",
            };
            options.js_options.push((kind, v));
            took
        }
        // The global gc() function (defined by internal/bootstrap).
        "--expose-gc" | "--expose_gc" => {
            options.js_options.push(("expose-gc", String::new()));
            1
        }
        // Proxies from the environment for the global agents and fetch (internal/bootstrap).
        "--use-env-proxy" | "--no-use-env-proxy" => {
            options.js_options.push(("use-env-proxy", if name == "--use-env-proxy" { "1" } else { "0" }.to_string()));
            1
        }
        "--loader" | "--experimental-loader" => {
            let (v, took) = value()?;
            options.loaders.push(v);
            took
        }
        "--env-file" | "--env-file-if-exists" => {
            let (path, took) = value()?;
            options.env_files.push((path, name == "--env-file"));
            took
        }
        "--input-type" => {
            let (v, took) = value()?;
            options.input_module = match v.as_str() {
                "module" => Some(true),
                "commonjs" => Some(false),
                _ => return Err(format!("--input-type must be \"module\" or \"commonjs\", not {v}")),
            };
            took
        }
        _ if ACCEPTED_VALUE_OPTIONS.contains(&name) => value()?.1,
        _ if ACCEPTED_FLAGS.contains(&arg) || ACCEPTED_PREFIXES.iter().any(|p| name.starts_with(p)) => 1,
        _ if from_env => return Err(format!("{arg} is not allowed in NODE_OPTIONS")),
        _ => return Err(format!("bad option: {arg}")),
    };
    Ok(Parsed::Took(took))
}

/// `--loader` as Node runs it: the `register()` calls its warning suggests, made first.
fn loaders_import(loaders: &[String]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let registers: Vec<String> = loaders.iter().map(|l| format!("register({}, pathToFileURL(\"./\"));", quote(l))).collect();
    let suggested = format!(
        "import {{ register }} from \"node:module\"; import {{ pathToFileURL }} from \"node:url\"; {}",
        registers.join(" ")
    );
    let warning = format!(
        "`--experimental-loader` may be removed in the future; instead use `register()`:\n--import 'data:text/javascript,{suggested}'"
    );
    let code = format!("process.emitWarning({}, \"ExperimentalWarning\"); {suggested}", quote(&warning).replace('\n', "\\n"));
    let mut url = String::from("data:text/javascript,");
    for byte in code.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The command line: `argv` without the program name; `node_options` is NODE_OPTIONS's value.
pub fn parse(argv: &[String], node_options: &str) -> Result<Command, String> {
    let mut options = Options::default();
    // NODE_OPTIONS comes first (its preloads run before the command line's) and is not in execArgv.
    let env_argv = split_node_options(node_options)?;
    let mut i = 0;
    while i < env_argv.len() {
        match parse_option(&env_argv, i, &mut options, true)? {
            Parsed::Took(n) => i += n,
            Parsed::Version | Parsed::Help => unreachable!("refused in NODE_OPTIONS"),
        }
    }
    let mut exec_argv = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let arg = &argv[i];
        if arg == "--" {
            i += 1;
            break;
        }
        if arg == "-" || !arg.starts_with('-') {
            break;
        }
        match parse_option(argv, i, &mut options, false)? {
            Parsed::Version => return Ok(Command::Version),
            Parsed::Help => return Ok(Command::Help),
            Parsed::Took(n) => {
                exec_argv.extend(argv[i..i + n].iter().cloned());
                i += n;
            }
        }
    }
    let mut rest: Vec<String> = argv[i..].to_vec();
    // With `--test` the arguments are file patterns.
    if options.test && options.entry.is_none() {
        options.entry = Some(Entry::Eval(TEST_RUNNER_ENTRY.to_string()));
    }
    // With `--watch` a parent process reruns the script (the file and its arguments stay
    // in process.argv); `--watch` without a script does nothing, as in node.
    if options.watch && !options.test {
        match &options.entry {
            Some(Entry::Eval(_) | Entry::Print(_)) => return Err("either --watch or --eval can be used, not both".into()),
            None if rest.first().is_some_and(|s| s != "-") => options.entry = Some(Entry::Eval(WATCH_MODE_ENTRY.to_string())),
            _ => {}
        }
    }
    if !options.loaders.is_empty() {
        options.js_options.insert(0, ("import", loaders_import(&options.loaders)));
    }
    let entry = match options.entry {
        Some(e) => e,
        // An explicit `-` stays in process.argv, as node keeps it.
        None if rest.first().is_some_and(|s| s == "-") => Entry::Stdin,
        None if rest.is_empty() => Entry::Stdin,
        None => Entry::File(rest.remove(0)),
    };
    Ok(Command::Run(Run {
        entry,
        input_module: options.input_module,
        interactive: options.interactive,
        check: options.check,
        js_options: options.js_options,
        env_files: options.env_files,
        exec_argv,
        node_options: env_argv,
        args: rest,
    }))
}

/// NODE_OPTIONS's words: split at spaces; double quotes group, and `\` escapes inside them.
fn split_node_options(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut in_word, mut quoted) = (false, false);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => word.extend(chars.next()),
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_ascii_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quoted {
        return Err("invalid value for NODE_OPTIONS (unterminated string)".into());
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// The variables of a `.env` file, in order: `KEY=value` lines, `#` comments, an optional
/// `export ` prefix; values may be quoted with `"`, `'` or `` ` `` (and then span lines;
/// `\n` is a newline inside double quotes); unquoted values end at `#`.
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    let mut vars = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = after;
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else { continue };
        let key = key.trim();
        let value = value.trim_start();
        if key.is_empty() {
            continue;
        }
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'));
        if let Some(q) = quote {
            // The value runs to the closing quote, on this line or a later one.
            let offset = value.as_ptr() as usize - text.as_ptr() as usize;
            let opened = &text[offset + 1..];
            if let Some(end) = opened.find(q) {
                let inner = &opened[..end];
                let value = if q == '"' { inner.replace("\\n", "\n") } else { inner.to_string() };
                vars.push((key.to_string(), value));
                // Anything after the closing quote on its line is ignored.
                let closed = &opened[end + 1..];
                rest = closed.split_once('\n').map_or("", |(_, next)| next);
                continue;
            }
        }
        let value = value.split('#').next().unwrap_or("").trim_end_matches(['\r', ' ', '\t']);
        vars.push((key.to_string(), value.to_string()));
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    fn run_with(args: &[&str], node_options: &str) -> Run {
        match parse(&strings(args), node_options) {
            Ok(Command::Run(r)) => r,
            _ => panic!("expected a run"),
        }
    }

    fn run(args: &[&str]) -> Run {
        run_with(args, "")
    }

    #[test]
    fn script_arguments_belong_to_the_program() {
        let r = run(&["--no-warnings", "app.js", "--port", "-e", "x"]);
        assert!(matches!(r.entry, Entry::File(ref f) if f == "app.js"));
        assert_eq!(r.exec_argv, vec!["--no-warnings"]);
        assert_eq!(r.args, vec!["--port", "-e", "x"]);
    }

    #[test]
    fn eval_takes_the_rest_as_arguments() {
        let r = run(&["-e", "1+1", "a", "b"]);
        assert!(matches!(r.entry, Entry::Eval(ref c) if c == "1+1"));
        assert_eq!(r.args, vec!["a", "b"]);
        assert!(matches!(run(&["-p", "2"]).entry, Entry::Print(_)));
        assert!(matches!(run(&[]).entry, Entry::Stdin));
        let dash = run(&["-", "x"]);
        assert!(matches!(dash.entry, Entry::Stdin));
        assert_eq!(dash.args, vec!["-", "x"]);
        assert!(matches!(run(&["--", "-weird.js"]).entry, Entry::File(ref f) if f == "-weird.js"));
    }

    #[test]
    fn options_after_eval_code_are_still_options() {
        let r = run(&["-e", "0", "-r", "./a.js", "--title=t", "x"]);
        assert_eq!(r.js_options, vec![("require", "./a.js".to_string()), ("title", "t".to_string())]);
        assert_eq!(r.exec_argv, strings(&["-e", "0", "-r", "./a.js", "--title=t"]));
        assert_eq!(r.args, vec!["x"]);
    }

    #[test]
    fn value_options_take_both_forms() {
        let r = run(&["--require=./a", "--import", "b", "-C", "dev", "--conditions=prod", "--max-http-header-size", "9", "-c", "-i", "f.js"]);
        let expected = [("require", "./a"), ("import", "b"), ("condition", "dev"), ("condition", "prod")];
        assert_eq!(r.js_options, expected.map(|(k, v)| (k, v.to_string())));
        assert!(r.check && r.interactive);
        assert!(matches!(r.entry, Entry::File(ref f) if f == "f.js"));
        assert_eq!(parse(&strings(&["-r"]), "").err().unwrap(), "-r requires an argument");
        let files = run(&["--env-file", "a.env", "--env-file-if-exists=b.env"]).env_files;
        assert_eq!(files, vec![("a.env".to_string(), true), ("b.env".to_string(), false)]);
    }

    #[test]
    fn accepted_flags_stay_in_exec_argv() {
        let flags = ["--experimental-vm-modules", "--inspect", "--inspect-brk=0", "--no-addons", "--disable-warning=DEP0040", "--trace-exit"];
        let r = run(&[&flags[..], &["x.js"]].concat());
        assert_eq!(r.exec_argv, strings(&flags));
    }

    #[test]
    fn node_options_precede_and_stay_out_of_exec_argv() {
        let r = run_with(&["-r", "b", "-e", "0"], "-r a --no-warnings");
        assert_eq!(r.js_options, vec![("require", "a".to_string()), ("require", "b".to_string())]);
        assert_eq!(r.exec_argv, strings(&["-r", "b", "-e", "0"]));
        let refused = |o: &str| match parse(&[], o) {
            Err(e) => e,
            Ok(_) => panic!("{o} accepted"),
        };
        assert_eq!(refused("-e 1"), "-e is not allowed in NODE_OPTIONS");
        assert_eq!(refused("--env-file=x"), "--env-file= is not allowed in NODE_OPTIONS");
        assert_eq!(refused("--bogus"), "--bogus is not allowed in NODE_OPTIONS");
        assert_eq!(split_node_options(r#" -r "./d x/m.js"  --a "q\"x" "#).unwrap(), strings(&["-r", "./d x/m.js", "--a", "q\"x"]));
    }

    #[test]
    fn test_mode_takes_file_patterns() {
        let r = run(&["--test", "--test-reporter=tap", "--test-name-pattern", "x", "a.js", "b/*.js"]);
        assert!(matches!(r.entry, Entry::Eval(ref c) if c == TEST_RUNNER_ENTRY));
        assert_eq!(r.args, vec!["a.js", "b/*.js"]);
        assert_eq!(r.exec_argv, strings(&["--test", "--test-reporter=tap", "--test-name-pattern", "x"]));
        let plain = run(&["--test-only", "t.js", "--test"]);
        assert!(matches!(plain.entry, Entry::File(ref f) if f == "t.js"));
        assert_eq!(plain.args, vec!["--test"]);
    }

    #[test]
    fn unknown_options_are_rejected() {
        let err = parse(&strings(&["--bogus"]), "").err().unwrap();
        assert_eq!(err, "bad option: --bogus");
        assert!(matches!(parse(&strings(&["-v"]), ""), Ok(Command::Version)));
        assert!(parse(&strings(&["-e"]), "").is_err());
    }

    #[test]
    fn env_files_parse_as_node_reads_them() {
        let text = "# c\nA=1\nexport B = two  \nC=\"x # y\"\nD='s $x'\nF=u # c\nG=\"multi\nline\" tail\nH=\"a\\nb\"\nI='a\\nb'\nJ=\nK\nX=a#b\nN=\"open\nO=after\n";
        let vars = parse_env_file(text);
        let get = |k: &str| vars.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("A"), Some("1"));
        assert_eq!(get("B"), Some("two"));
        assert_eq!(get("C"), Some("x # y"));
        assert_eq!(get("D"), Some("s $x"));
        assert_eq!(get("F"), Some("u"));
        assert_eq!(get("G"), Some("multi\nline"));
        assert_eq!(get("H"), Some("a\nb"));
        assert_eq!(get("I"), Some("a\\nb"));
        assert_eq!(get("J"), Some(""));
        assert_eq!(get("K"), None);
        assert_eq!(get("X"), Some("a"));
        assert_eq!(get("N"), Some("\"open"));
        assert_eq!(get("O"), Some("after"));
    }
}
