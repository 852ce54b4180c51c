//! node's command-line grammar: options before the script are ferro's, everything after
//! the script (or after `-e CODE`) belongs to the program.

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
    pub exec_argv: Vec<String>,
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
    "--enable-source-maps",
    "--expose-gc",
    "--preserve-symlinks",
    "--no-experimental-fetch",
];
const ACCEPTED_VALUE_PREFIXES: &[&str] = &["--max-old-space-size=", "--stack-size=", "--unhandled-rejections="];

pub const HELP: &str = "\
Usage: ferro [options] [ script.js ] [arguments]
       ferro [options] -e \"script\" [arguments]
       ferro [options] -p \"script\" [arguments]

ferro {version}, a Node.js-compatible JavaScript runtime implementing Node.js {node}.

Options:
  -                      script read from stdin (default when stdin is not a terminal)
  --                     indicate the end of ferro options
  -e, --eval script      evaluate script
  -p, --print script     evaluate script and print result
  -h, --help             print this help
  -v, --version          print the Node.js version ferro implements
  --no-warnings          silence process warnings

Environment:
  NODE_DEBUG             ','-separated list of core modules that should print debug information
";

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut exec_argv = Vec::new();
    let mut input_module = None;
    let mut i = 0;
    let mut entry = None;
    while i < argv.len() {
        let arg = &argv[i];
        if arg == "--" {
            i += 1;
            break;
        }
        if arg == "-" || !arg.starts_with('-') {
            break;
        }
        exec_argv.push(arg.clone());
        match arg.as_str() {
            "-v" | "--version" => return Ok(Command::Version),
            "-h" | "--help" => return Ok(Command::Help),
            "-e" | "--eval" | "-p" | "--print" | "-pe" => {
                let code = argv.get(i + 1).ok_or_else(|| format!("{arg} requires an argument"))?;
                exec_argv.push(code.clone());
                entry = Some(if arg == "-e" || arg == "--eval" { Entry::Eval(code.clone()) } else { Entry::Print(code.clone()) });
                i += 2;
                continue;
            }
            flag if ACCEPTED_FLAGS.contains(&flag) || ACCEPTED_VALUE_PREFIXES.iter().any(|p| flag.starts_with(p)) => {}
            "--input-type=module" => input_module = Some(true),
            "--input-type=commonjs" => input_module = Some(false),
            flag if flag.starts_with("--input-type=") => {
                return Err(format!("--input-type must be \"module\" or \"commonjs\", not {}", &flag[13..]));
            }
            flag => {
                if let Some(code) = flag.strip_prefix("--eval=") {
                    entry = Some(Entry::Eval(code.to_string()));
                } else if let Some(code) = flag.strip_prefix("--print=") {
                    entry = Some(Entry::Print(code.to_string()));
                } else {
                    return Err(format!("bad option: {flag}"));
                }
            }
        }
        i += 1;
    }
    let mut rest: Vec<String> = argv[i..].to_vec();
    let entry = match entry {
        Some(e) => e,
        // An explicit `-` stays in process.argv, as node keeps it.
        None if rest.first().is_some_and(|s| s == "-") => Entry::Stdin,
        None if rest.is_empty() => Entry::Stdin,
        None => Entry::File(rest.remove(0)),
    };
    Ok(Command::Run(Run { entry, input_module, exec_argv, args: rest }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Run {
        match parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()) {
            Ok(Command::Run(r)) => r,
            _ => panic!("expected a run"),
        }
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
    fn unknown_options_are_rejected() {
        let err = parse(&["--bogus".to_string()]).err().unwrap();
        assert_eq!(err, "bad option: --bogus");
        assert!(matches!(parse(&["-v".to_string()]), Ok(Command::Version)));
        assert!(parse(&["-e".to_string()]).is_err());
    }
}
