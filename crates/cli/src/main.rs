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
    let command = match parse(&argv) {
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
    let entry = match run.entry {
        args::Entry::File(path) => {
            let absolute = std::path::absolute(&path).map(|p| p.to_string_lossy().into_owned()).unwrap_or(path);
            node::Entry::File(absolute)
        }
        args::Entry::Eval(code) => node::Entry::Eval(code),
        args::Entry::Print(code) => node::Entry::Print(code),
        args::Entry::Stdin => {
            if unsafe { libc::isatty(0) } == 1 {
                eprintln!("ferro: the interactive REPL is not available yet; pass a script, -e CODE or pipe a program on stdin");
                std::process::exit(1);
            }
            let mut source = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut source) {
                eprintln!("ferro: cannot read the program from stdin: {e}");
                std::process::exit(1);
            }
            node::Entry::Stdin(source)
        }
    };
    let code = node::start(node::StartOptions { argv0, exec_path, input_module: run.input_module, exec_argv: run.exec_argv, entry, args: run.args });
    std::process::exit(code);
}
