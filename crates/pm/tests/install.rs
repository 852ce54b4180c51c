//! Installs against a registry on 127.0.0.1 (see common/mod.rs): layout, lockfile, cache,
//! commands and failure handling, without the internet.

mod common;

use common::{TestProject, TestRegistry};
use pm::install::Options;
use serde_json::json;
use std::os::unix::fs::PermissionsExt;

fn registry_with_basics() -> TestRegistry {
    let r = TestRegistry::start();
    r.publish("a", "1.0.0", json!({"dependencies": {"c": "^1.0.0"}}), &[("index.js", "module.exports = 'a'")]);
    r.publish("b", "1.0.0", json!({"dependencies": {"c": "^2.0.0", "d": "*"}}), &[]);
    r.publish("c", "1.0.0", json!({}), &[]);
    r.publish("c", "1.5.0", json!({"bin": {"cee": "cli.js"}}), &[("cli.js", "#!/bin/sh\necho cee-one $@\n")]);
    r.publish("c", "2.0.0", json!({"bin": "cli.js"}), &[("cli.js", "#!/bin/sh\necho cee-two\n")]);
    r.publish("d", "1.0.0", json!({"dependencies": {"c": "~1.5.0"}}), &[]);
    r
}

#[test]
fn installs_hoisted_layout_with_bins_and_lockfile() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "version": "1.0.0", "dependencies": {"a": "^1", "b": "^1"}}));
    let summary = project.install(&Options::default()).unwrap();
    assert_eq!(summary.added, 5);
    assert_eq!(
        project.layout(),
        [
            "node_modules/a 1.0.0",
            "node_modules/b 1.0.0",
            "node_modules/b/node_modules/c 2.0.0",
            "node_modules/c 1.5.0",
            "node_modules/d 1.0.0"
        ]
    );
    // .bin links, at the top and in the nested node_modules, pointing at executable files.
    assert_eq!(std::fs::read_link(project.path("node_modules/.bin/cee")).unwrap().to_str(), Some("../c/cli.js"));
    assert_eq!(std::fs::read_link(project.path("node_modules/b/node_modules/.bin/c")).unwrap().to_str(), Some("../c/cli.js"));
    let mode = std::fs::metadata(project.path("node_modules/c/cli.js")).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111);
    let lock = project.read("ferro.lock");
    assert!(lock.contains("package node_modules/b/node_modules/c\n  version 2.0.0\n"), "{lock}");
    assert!(lock.contains("root\n  dependencies a ^1\n  dependencies b ^1\n"));

    // Again, without node_modules: from the lockfile and the store, no request at all.
    let before = registry.request_count();
    std::fs::remove_dir_all(project.path("node_modules")).unwrap();
    let again = project.install(&Options::default()).unwrap();
    assert_eq!(registry.request_count(), before, "a second install must not touch the network");
    assert_eq!(again.requests, 0);
    assert_eq!(again.added, 5);
    assert_eq!(project.read("ferro.lock"), lock, "the lockfile is stable");
    // And once more with everything in place: nothing to do.
    assert!(project.install(&Options::default()).unwrap().up_to_date);
    // A package deleted by hand is put back.
    std::fs::remove_dir_all(project.path("node_modules/d")).unwrap();
    let repaired = project.install(&Options::default()).unwrap();
    assert!(!repaired.up_to_date);
    assert_eq!(project.installed("node_modules/d").as_deref(), Some("1.0.0"));
}

#[test]
fn lockfile_pins_versions_and_frozen_lockfile_checks_package_json() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"c": "^1.0.0"}}));
    project.install(&Options::default()).unwrap();
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"));
    // A newer 1.x appears: the lockfile keeps 1.5.0.
    registry.publish("c", "1.9.0", json!({}), &[]);
    std::fs::remove_dir_all(project.path("node_modules")).unwrap();
    project.install(&Options { frozen: true, ..Default::default() }).unwrap();
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"));

    let mut manifest = project.manifest();
    manifest["dependencies"]["c"] = json!("^2.0.0");
    project.set_manifest(manifest);
    let err = project.install(&Options { frozen: true, ..Default::default() }).unwrap_err();
    assert_eq!(err, "ferro.lock is out of date with package.json (dependencies.c: lockfile has \"^1.0.0\", package.json has \"^2.0.0\"); run ferro install without --frozen-lockfile");
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"), "a refused install changes nothing");
    let summary = project.install(&Options::default()).unwrap();
    assert_eq!(summary.changed, 1);
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("2.0.0"));
}

#[test]
fn honours_package_lock_json() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"c": "^1.0.0"}}));
    let c1 = registry.publish("c", "1.0.0", json!({}), &[]);
    // npm locked c@1.0.0 (not the newest 1.x) and omitted `resolved`, as npm can.
    project.write(
        "package-lock.json",
        &json!({
            "name": "app", "lockfileVersion": 3, "requires": true,
            "packages": {
                "": {"name": "app", "dependencies": {"c": "^1.0.0"}},
                "node_modules/c": {"version": "1.0.0", "integrity": c1}
            }
        })
        .to_string(),
    );
    project.install(&Options { frozen: true, ..Default::default() }).unwrap();
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.0.0"));
    assert!(!project.path("ferro.lock").exists(), "a frozen install writes nothing");
    project.install(&Options::default()).unwrap();
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.0.0"));
    assert!(project.read("ferro.lock").contains(&format!("{}c/-/c-1.0.0.tgz", registry.url)));
}

#[test]
fn integrity_mismatch_aborts_and_keeps_the_old_node_modules() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"c": "1.0.0"}}));
    project.install(&Options::default()).unwrap();
    registry.corrupt_tarball("d", "1.0.0");
    let mut manifest = project.manifest();
    manifest["dependencies"]["d"] = json!("1.0.0");
    project.set_manifest(manifest);
    let err = project.install(&Options::default()).unwrap_err();
    assert!(err.starts_with("integrity check failed for d@1.0.0: expected sha512-"), "{err}");
    assert_eq!(project.layout(), ["node_modules/c 1.0.0"], "the previous node_modules is untouched");
    assert!(!project.path(".node_modules.staging").exists());
    // What an interrupted install leaves behind is cleared by the next one. (d@1.0.1 is newer
    // than the cached metadata, which is then checked again.)
    project.write(".node_modules.staging/half/package.json", "{}");
    registry.publish("d", "1.0.1", json!({}), &[]);
    project.set_manifest(json!({"name": "app", "dependencies": {"c": "1.0.0", "d": "1.0.1"}}));
    project.install(&Options::default()).unwrap();
    assert_eq!(project.layout(), ["node_modules/c 1.0.0", "node_modules/d 1.0.1"]);
    assert!(!project.path(".node_modules.staging").exists());
}

#[test]
fn unknown_packages_and_unsupported_specs_are_clear_errors() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"nope": "^1"}}));
    assert_eq!(project.install(&Options::default()).unwrap_err(), "404 Not Found: nope");
    assert_eq!(project.run("add", &["also-nope"]).unwrap_err(), "404 Not Found: also-nope");
    assert_eq!(project.manifest()["dependencies"], json!({"nope": "^1"}), "a failed add leaves package.json alone");

    project.set_manifest(json!({"dependencies": {"c": "^7"}}));
    assert_eq!(project.install(&Options::default()).unwrap_err(), "No matching version found for c@^7");
    project.set_manifest(json!({"dependencies": {"g": "github:user/repo", "t": "https://example.com/t.tgz"}}));
    assert_eq!(
        project.install(&Options::default()).unwrap_err(),
        "package.json: g@github:user/repo: git dependencies are not supported yet\npackage.json: t@https://example.com/t.tgz: tarball URL dependencies are not supported yet"
    );
    project.write("package.json", "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"a\": \"^1\",\n  }\n}\n");
    let err = project.install(&Options::default()).unwrap_err();
    assert!(err.ends_with("package.json:5:3: invalid JSON: trailing comma"), "{err}");
}

#[test]
fn retries_server_errors() {
    let registry = registry_with_basics();
    registry.fail_metadata("c", 2);
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"c": "^1"}}));
    project.install(&Options::default()).unwrap();
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"));
    assert_eq!(registry.log().iter().filter(|p| p.ends_with(" c")).collect::<Vec<_>>(), ["503 c", "503 c", "200 c"]);
}

#[test]
fn optional_peer_alias_and_dist_tag_dependencies() {
    let r = TestRegistry::start();
    r.publish("react", "18.2.0", json!({}), &[]);
    r.publish("react", "19.0.0", json!({}), &[]);
    r.publish("react", "19.1.0-rc.1", json!({}), &[]);
    r.set_dist_tag("react", "next", "19.1.0-rc.1");
    r.publish("react-dom", "19.0.0", json!({"peerDependencies": {"react": "^19.0.0"}}), &[]);
    r.publish("native-win", "1.0.0", json!({"os": ["win32"]}), &[]);
    r.publish("native-here", "1.0.0", json!({"os": ["!win32"]}), &[]);
    r.publish("tool", "1.0.0", json!({"optionalDependencies": {"native-win": "1", "native-here": "1"}}), &[]);
    let project = TestProject::new(
        &r,
        json!({"name": "app", "dependencies": {"react-dom": "^19", "legacy-react": "npm:react@^18", "tool": "1", "next-react": "npm:react@next"}}),
    );
    project.install(&Options::default()).unwrap();
    assert_eq!(
        project.layout(),
        [
            "node_modules/legacy-react 18.2.0",
            "node_modules/native-here 1.0.0",
            "node_modules/next-react 19.1.0-rc.1",
            "node_modules/react 19.0.0",
            "node_modules/react-dom 19.0.0",
            "node_modules/tool 1.0.0",
        ]
    );
    let lock = project.read("ferro.lock");
    assert!(lock.contains("package node_modules/native-win\n"), "platform-specific packages stay in the lockfile: {lock}");
    assert!(lock.contains("package node_modules/legacy-react\n  name react\n  version 18.2.0\n"));
}

#[test]
fn add_saves_a_typed_range_as_npm_does() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "version": "1.0.0"}));
    // ^version when the typed range contains it, else the range as typed.
    for (typed, saved) in [("c@1", "^1.5.0"), ("c@1.x", "^1.5.0"), ("c@*", "^2.0.0"), ("c@<1.5", "<1.5"), ("c@~1.0", "~1.0")] {
        assert_eq!(project.run("add", &[typed]).unwrap(), 0);
        assert_eq!(project.manifest()["dependencies"]["c"], json!(saved), "{typed}");
    }
}

#[test]
fn add_and_remove_edit_package_json() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "version": "1.0.0"}));
    assert_eq!(project.run("add", &["c", "a@^1.0.0"]).unwrap(), 0);
    assert_eq!(project.manifest()["dependencies"], json!({"a": "^1.0.0", "c": "^2.0.0"}));
    assert_eq!(project.run("add", &["-D", "--exact", "d"]).unwrap(), 0);
    assert_eq!(project.manifest()["devDependencies"], json!({"d": "1.0.0"}));
    assert_eq!(project.run("add", &["c@1.0.0"]).unwrap(), 0);
    registry.publish("c", "3.0.0-beta.1", json!({}), &[]);
    assert_eq!(project.run("add", &["c@3.0.0-beta.1"]).unwrap(), 0, "a version newer than the cached metadata");
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("3.0.0-beta.1"));
    assert_eq!(project.run("add", &["c@1.0.0"]).unwrap(), 0);
    assert_eq!(project.manifest()["dependencies"]["c"], json!("^1.0.0"));
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"));
    assert_eq!(project.run("remove", &["a", "d"]).unwrap(), 0);
    assert_eq!(project.manifest()["dependencies"], json!({"c": "^1.0.0"}));
    assert_eq!(project.manifest()["devDependencies"], json!({}));
    assert_eq!(project.layout(), ["node_modules/c 1.5.0"]);
    assert!(!project.read("ferro.lock").contains("node_modules/a\n"));
    // The key order and indentation of package.json are kept.
    assert!(project.read("package.json").starts_with("{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n"));
}

#[test]
fn add_without_package_json_creates_one() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({}));
    std::fs::remove_file(project.path("package.json")).unwrap();
    assert!(project.run("add", &["no-such-package"]).is_err());
    assert!(!project.path("package.json").exists(), "a failed add leaves no package.json behind");
    assert_eq!(project.run("install", &["c"]).unwrap(), 0);
    assert_eq!(project.read("package.json"), "{\n  \"dependencies\": {\n    \"c\": \"^2.0.0\"\n  }\n}\n");
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("2.0.0"));
}

#[test]
fn workspaces_are_linked_and_share_dependencies() {
    let registry = registry_with_basics();
    let project =
        TestProject::new(&registry, json!({"name": "mono", "private": true, "workspaces": ["packages/*"], "dependencies": {"c": "^1"}}));
    project.write(
        "packages/lib/package.json",
        &json!({"name": "lib", "version": "0.1.0", "dependencies": {"c": "^2"}, "bin": {"lib-cli": "cli.js"}}).to_string(),
    );
    project.write("packages/lib/cli.js", "#!/bin/sh\n");
    project.write(
        "packages/app/package.json",
        &json!({"name": "@mono/app", "version": "0.1.0", "dependencies": {"lib": "workspace:*", "d": "^1"}}).to_string(),
    );
    project.install(&Options::default()).unwrap();
    assert_eq!(
        project.layout(),
        ["node_modules/@mono/app 0.1.0 (link)", "node_modules/c 1.5.0", "node_modules/d 1.0.0", "node_modules/lib 0.1.0 (link)"]
    );
    assert_eq!(project.installed("packages/lib/node_modules/c").as_deref(), Some("2.0.0"));
    assert_eq!(std::fs::read_link(project.path("node_modules/lib")).unwrap().to_str(), Some("../packages/lib"));
    assert_eq!(std::fs::read_link(project.path("node_modules/@mono/app")).unwrap().to_str(), Some("../../packages/app"));
    assert!(project.path("node_modules/.bin/lib-cli").exists());
    let lock = project.read("ferro.lock");
    assert!(lock.contains("workspace packages/lib\n  name lib\n  version 0.1.0\n  dependencies c ^2\n"), "{lock}");
    assert!(lock.contains("link node_modules/lib packages/lib\n"));
    // Reinstall from the lockfile, offline.
    std::fs::remove_dir_all(project.path("node_modules")).unwrap();
    std::fs::remove_dir_all(project.path("packages/lib/node_modules")).unwrap();
    let before = registry.request_count();
    project.install(&Options { frozen: true, ..Default::default() }).unwrap();
    assert_eq!(registry.request_count(), before);
    assert_eq!(project.installed("packages/lib/node_modules/c").as_deref(), Some("2.0.0"));
}

#[test]
fn dependency_scripts_run_only_when_trusted() {
    let r = TestRegistry::start();
    r.publish("builds", "1.0.0", json!({"scripts": {"postinstall": "echo built > built.txt"}}), &[]);
    let project = TestProject::new(
        &r,
        json!({"name": "app", "dependencies": {"builds": "1"}, "scripts": {"postinstall": "echo root > root-post.txt"}}),
    );
    let summary = project.install(&Options::default()).unwrap();
    assert_eq!(summary.skipped_scripts, ["builds"]);
    assert!(!project.path("node_modules/builds/built.txt").exists());
    assert_eq!(project.read("root-post.txt"), "root\n", "the project's own scripts run");

    let mut manifest = project.manifest();
    manifest["trustedDependencies"] = json!(["builds"]);
    project.set_manifest(manifest);
    std::fs::remove_dir_all(project.path("node_modules")).unwrap();
    let summary = project.install(&Options::default()).unwrap();
    assert!(summary.skipped_scripts.is_empty());
    assert_eq!(project.read("node_modules/builds/built.txt"), "built\n");
    // The script wrote into a copy, not into the shared store.
    let store_has_it = walk(&project.env.cache_dir).iter().any(|p| p.ends_with("built.txt"));
    assert!(!store_has_it);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn run_uses_npm_environment_pre_post_and_arguments() {
    let registry = registry_with_basics();
    let project = TestProject::new(
        &registry,
        json!({
            "name": "app", "version": "2.3.4", "config": {"port": "8080"},
            "dependencies": {"c": "^1"},
            "scripts": {
                "prego": "echo pre > log.txt",
                "go": "echo \"$npm_lifecycle_event $npm_package_name $npm_package_version $npm_package_config_port\" >> log.txt && cee >> log.txt && printf '%s|' >> log.txt",
                "postgo": "echo post >> log.txt",
                "fail": "exit 3"
            }
        }),
    );
    project.install(&Options::default()).unwrap();
    assert_eq!(project.run("run", &["go", "--", "x y", "it's"]).unwrap(), 0);
    assert_eq!(project.read("log.txt"), "pre\ngo app 2.3.4 8080\ncee-one\nx y|it's|post\n");
    assert_eq!(project.run("run", &["fail"]).unwrap(), 3);
    assert_eq!(project.run("run", &["missing"]).unwrap_err(), "Missing script: \"missing\"\n\nTo see a list of scripts, run:\n  ferro run");
    // A command of node_modules/.bin runs when no script has that name.
    assert_eq!(project.run("run", &["cee"]).unwrap(), 0);
    let listing = pm::scripts::list(&project.dir).unwrap();
    assert!(listing.starts_with("available via `ferro run`:\n  prego\n    echo pre > log.txt\n"), "{listing}");
}

#[test]
fn x_runs_a_package_command_from_the_cache() {
    let registry = TestRegistry::start();
    registry.publish(
        "hello-cli",
        "1.0.0",
        json!({"bin": {"hello-cli": "bin.sh"}}),
        &[("bin.sh", "#!/bin/sh\necho hello \"$1\" > \"$2\"\n")],
    );
    let project = TestProject::new(&registry, json!({"name": "app"}));
    let out = project.path("out.txt");
    assert_eq!(project.run("x", &["hello-cli", "world", out.to_str().unwrap()]).unwrap(), 0);
    assert_eq!(project.read("out.txt"), "hello world\n");
    assert!(!project.path("node_modules").exists(), "x does not touch the project");
    assert_eq!(project.run("x", &["hello-cli@9"]).unwrap_err(), "No matching version found for hello-cli@9");
}

#[test]
fn production_installs_leave_out_dev_dependencies() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"a": "1"}, "devDependencies": {"d": "1"}}));
    project.install(&Options { production: true, ..Default::default() }).unwrap();
    assert_eq!(project.layout(), ["node_modules/a 1.0.0", "node_modules/c 1.5.0"]);
    let summary = project.install(&Options::default()).unwrap();
    assert_eq!(summary.added, 1);
    assert_eq!(project.layout(), ["node_modules/a 1.0.0", "node_modules/c 1.5.0", "node_modules/d 1.0.0"]);
}

#[test]
fn metadata_is_cached_and_revalidated_with_etags() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "app", "dependencies": {"c": "^1"}}));
    project.install(&Options::default()).unwrap();
    std::fs::remove_file(project.path("ferro.lock")).unwrap();
    // Fresh metadata is used as it is.
    let before = registry.request_count();
    project.install(&Options::default()).unwrap();
    assert_eq!(registry.request_count(), before);
    // --prefer-online asks again, and an unchanged document costs a 304.
    std::fs::remove_file(project.path("ferro.lock")).unwrap();
    project.install(&Options { prefer_online: true, ..Default::default() }).unwrap();
    assert_eq!(registry.log().last().map(String::as_str), Some("304 c"));
    // --offline uses the cache and never asks.
    std::fs::remove_file(project.path("ferro.lock")).unwrap();
    std::fs::remove_dir_all(project.path("node_modules")).unwrap();
    let before = registry.request_count();
    project.install(&Options { offline: true, ..Default::default() }).unwrap();
    assert_eq!(registry.request_count(), before);
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"));
}

#[test]
fn outdated_lists_what_can_move() {
    let registry = registry_with_basics();
    let project =
        TestProject::new(&registry, json!({"name": "app", "dependencies": {"c": "~1.0.0", "a": "^1"}, "devDependencies": {"d": "^1"}}));
    project.install(&Options::default()).unwrap();
    let (code, table) = pm::commands::outdated_table(&project.env).unwrap();
    assert_eq!(code, 1);
    let dir_name = project.dir.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(
        table,
        format!(
            "Package  Current  Wanted  Latest  Location        Depended by\nc          1.0.0   1.0.0   2.0.0  node_modules/c  {dir_name}\n"
        )
    );
    project.set_manifest(json!({"name": "app", "dependencies": {"a": "^1"}}));
    project.install(&Options::default()).unwrap();
    assert_eq!(pm::commands::outdated_table(&project.env).unwrap(), (0, String::new()));
}

#[test]
fn init_writes_a_package_json_once() {
    let registry = TestRegistry::start();
    let project = TestProject::new(&registry, json!({}));
    std::fs::remove_file(project.path("package.json")).unwrap();
    assert_eq!(project.run("init", &["-y"]).unwrap(), 0);
    let manifest = project.manifest();
    assert_eq!(manifest["version"], "1.0.0");
    assert_eq!(manifest["scripts"]["test"], "echo \"Error: no test specified\" && exit 1");
    assert!(manifest["name"].as_str().unwrap().starts_with("project"));
    assert!(project.run("init", &[]).unwrap_err().ends_with("package.json already exists"));
}

#[test]
fn scripts_can_run_on_ferro_as_node() {
    let registry = TestRegistry::start();
    let project = TestProject::new(&registry, json!({"name": "app", "scripts": {"which-node": "node script.js > out.txt"}}));
    // A stand-in for the ferro executable.
    let fake = project.path("fake-ferro");
    project.write("fake-ferro", "#!/bin/sh\necho \"ferro-as-node $*\"\n");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut env = project.env.clone();
    env.exe = fake;
    let args = vec!["--ferro".to_string(), "which-node".to_string()];
    assert_eq!(pm::commands::dispatch(&env, "run", &args).unwrap(), 0);
    assert_eq!(project.read("out.txt"), "ferro-as-node script.js\n");
}

#[test]
fn commands_in_a_workspace_folder_act_on_the_workspace_root() {
    let registry = registry_with_basics();
    let project = TestProject::new(&registry, json!({"name": "mono", "workspaces": ["packages/*"]}));
    project.write("packages/lib/package.json", &json!({"name": "lib", "version": "1.0.0", "dependencies": {"c": "^1"}}).to_string());
    let mut env = project.env.clone();
    env.cwd = project.path("packages/lib");
    assert_eq!(pm::commands::dispatch(&env, "install", &[]).unwrap(), 0);
    assert_eq!(project.installed("node_modules/c").as_deref(), Some("1.5.0"));
    assert!(project.path("ferro.lock").is_file());
    assert!(!project.path("packages/lib/ferro.lock").exists());
    // add edits the workspace package's package.json; run runs its scripts.
    assert_eq!(pm::commands::dispatch(&env, "add", &["d".to_string()]).unwrap(), 0);
    assert_eq!(project.manifest().get("dependencies"), None);
    let lib: serde_json::Value = serde_json::from_str(&project.read("packages/lib/package.json")).unwrap();
    assert_eq!(lib["dependencies"], json!({"c": "^1", "d": "^1.0.0"}));
    assert_eq!(project.installed("node_modules/d").as_deref(), Some("1.0.0"));
    project.write("packages/lib/package.json", &json!({"name": "lib", "scripts": {"where": "pwd > where.txt"}}).to_string());
    assert_eq!(pm::commands::dispatch(&env, "run", &["where".to_string()]).unwrap(), 0);
    assert!(project.read("packages/lib/where.txt").trim_end().ends_with("packages/lib"));
}
