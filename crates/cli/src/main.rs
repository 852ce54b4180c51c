//! The `ferro` command, with node's command-line interface.

mod args;

use args::{parse, Command};
use std::io::Read;

fn main() {
    let mut all_args = std::env::args();
    let argv0 = all_args.next().unwrap_or_else(|| "ferro".into());
    let argv: Vec<String> = all_args.collect();
    if let Some(command) = argv.first().filter(|c| pm::COMMANDS.contains(&c.as_str())) {
        // A script named like a subcommand still runs when it exists as a file, as with bun.
        if !std::path::Path::new(command).is_file() {
            std::process::exit(pm::main(command, &argv[1..]));
        }
    }
    let command = match parse_command_line(&argv) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ferro: {e}");
            std::process::exit(9);
        }
    };
    let exec_path = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| "ferro".into());
    let run = match command {
        Command::Version => {
            println!("{}", node::NODE_VERSION);
            return;
        }
        Command::Help => {
            print!("{}", args::HELP.replace("{version}", env!("CARGO_PKG_VERSION")).replace("{node}", node::NODE_VERSION));
            return;
        }
        Command::Run(run) => run,
    };
    let read_stdin = || {
        let mut source = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut source) {
            eprintln!("ferro: cannot read the program from stdin: {e}");
            std::process::exit(1);
        }
        source
    };
    let absolute = |path: String| std::path::absolute(&path).map(|p| p.to_string_lossy().into_owned()).unwrap_or(path);
    let entry = match run.entry {
        args::Entry::Eval(_) | args::Entry::Print(_) if run.check => {
            eprintln!("ferro: either --check or --eval can be used, not both");
            std::process::exit(9);
        }
        args::Entry::File(path) if run.check => node::Entry::Check(absolute(path)),
        args::Entry::Stdin if run.check => node::Entry::CheckStdin(read_stdin()),
        args::Entry::File(path) => node::Entry::File(absolute(path)),
        args::Entry::Eval(code) => node::Entry::Eval(code),
        args::Entry::Print(code) => node::Entry::Print(code),
        args::Entry::Stdin if run.interactive || unsafe { libc::isatty(0) } == 1 => node::Entry::Repl,
        args::Entry::Stdin => node::Entry::Stdin(read_stdin()),
    };
    let code = node::start(node::StartOptions {
        argv0,
        exec_path,
        input_module: run.input_module,
        exec_argv: run.exec_argv,
        node_options: run.node_options,
        entry,
        args: run.args,
        js_options: run.js_options.into_iter().flat_map(|(name, value)| [name.to_string(), value]).collect(),
    });
    std::process::exit(code);
}

/// The command line, after loading its `--env-file`s (which may set NODE_OPTIONS).
fn parse_command_line(argv: &[String]) -> Result<Command, String> {
    if let Command::Run(run) = parse(argv, "")? {
        load_env_files(&run.env_files)?;
    }
    parse(argv, &std::env::var("NODE_OPTIONS").unwrap_or_default())
}

/// Sets the variables of the `.env` files that the environment doesn't already set; a later
/// file overrides an earlier one.
fn load_env_files(files: &[(String, bool)]) -> Result<(), String> {
    if files.is_empty() {
        return Ok(());
    }
    let inherited: std::collections::HashSet<_> = std::env::vars_os().map(|(k, _)| k).collect();
    for (path, required) in files {
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) if *required => return Err(format!("{path}: not found")),
            Err(_) => {
                eprintln!("{path} not found. Continuing without it.");
                continue;
            }
        };
        for (key, value) in args::parse_env_file(&text) {
            if !inherited.contains(std::ffi::OsStr::new(&key)) {
                // No other thread exists yet.
                std::env::set_var(key, value);
            }
        }
    }
    Ok(())
}
