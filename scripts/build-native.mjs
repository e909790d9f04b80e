// Builds the native prover addon from native/ at `npm install` time. It never fails the
// install: on any problem it prints one warning and exits 0 (dourada then proves with snarkjs).
//   DOURADA_NATIVE=0            skip the build
//   DOURADA_NATIVE_SANITIZE=1   build with AddressSanitizer + UBSan into native/build-sanitize
// node-gyp is npm's bundled copy, given an explicit --nodedir so it never downloads headers.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const native = join(root, "native");
const nodedir = resolve(dirname(process.execPath), "..");

function warn(why) {
  console.warn(`dourada: native prover not built (${why}); proofs will use snarkjs`);
  process.exit(0);
}

// npm's own node-gyp: the one npm passes to scripts, else the copy inside npm's install.
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) candidates.push(join(dirname(dirname(process.env.npm_execpath)), "node_modules", "node-gyp", "bin", "node-gyp.js"));
  candidates.push(join(nodedir, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  return candidates.find((c) => c && existsSync(c));
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) return r.error.message;
  if (r.status !== 0) return (r.stderr || r.stdout).trim().split("\n").filter((l) => /error/i.test(l))[0] ?? `exit ${r.status}`;
  return null;
}

// The sanitizer build compiles directly (no gyp): its flags must reach every object and
// it lives beside, not over, the release build.
function buildSanitized() {
  const out = join(native, "build-sanitize");
  mkdirSync(out, { recursive: true });
  // binding.gyp is JSON apart from its # comment lines: one source list for both builds.
  const gyp = JSON.parse(readFileSync(join(native, "binding.gyp"), "utf8").replace(/^\s*#.*$/gm, ""));
  const sources = gyp.targets[0].sources.map((s) => join(native, s));
  return run(process.env.CXX || "c++", [
    "-std=c++17", "-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
    "-fno-exceptions", "-pthread", "-shared", "-fPIC", "-DNAPI_VERSION=8", `-I${join(nodedir, "include", "node")}`,
    ...sources, "-o", join(out, "dourada_prover.node"),
  ], native);
}

if (process.env.DOURADA_NATIVE === "0") {
  console.log("dourada: DOURADA_NATIVE=0, native prover build skipped");
  process.exit(0);
}
if (!existsSync(join(nodedir, "include", "node", "node_api.h"))) warn(`no Node headers under ${nodedir}/include/node`);
if (process.env.DOURADA_NATIVE_SANITIZE === "1") {
  const failure = buildSanitized();
  if (failure) warn(failure);
  console.log("dourada: sanitizer build in native/build-sanitize");
  process.exit(0);
}
const gyp = findNodeGyp();
if (!gyp) warn("npm's node-gyp was not found");
const failure = run(process.execPath, [gyp, "rebuild", `--nodedir=${nodedir}`], native);
if (failure) warn(failure);
if (!readdirSync(join(native, "build", "Release")).includes("dourada_prover.node")) warn("the build produced no addon");
console.log("dourada: native prover built");
