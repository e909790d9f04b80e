// Compiles a circuit with circom2 (the circom compiler as WebAssembly) at --O2,
// which halves Poseidon's constraints against the default --O1.
import { spawn } from "node:child_process";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import type { ArtifactPaths, CircuitManifest } from "../circuits/index.js";

const require = createRequire(import.meta.url);

export function circomCliPath(): string {
  return require.resolve("circom2/cli.js");
}

/** `manifest.source` is relative to circuitsDir, or absolute (`circuits add` compiles the file where it is). */
export async function compileCircuit(manifest: Pick<CircuitManifest, "id" | "source">, circuitsDir: string, nodeModules: string, paths: ArtifactPaths): Promise<void> {
  mkdirSync(paths.dir, { recursive: true });
  const args = [circomCliPath(), resolvePath(circuitsDir, manifest.source), "--r1cs", "--wasm", "--sym", "--O2", "-l", nodeModules, "-o", paths.dir];
  const output = await new Promise<string>((resolve, reject) => {
    // circom2 (WASI) reaches files through the parent directories of its cwd: run it from the project, as tested.
    const child = spawn(process.execPath, args, { cwd: dirname(nodeModules), stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`circom2 failed on ${manifest.source} (exit ${code}):\n${text}`))));
  });
  if (!/Everything went okay/.test(output)) throw new Error(`circom2 did not confirm ${manifest.source}:\n${output}`);
  const base = basename(manifest.source).replace(/\.circom$/, "");
  const jsDir = join(paths.dir, `${base}_js`);
  renameSync(join(jsDir, `${base}.wasm`), paths.wasm);
  rmSync(jsDir, { recursive: true, force: true });
  if (base !== manifest.id) {
    renameSync(join(paths.dir, `${base}.r1cs`), paths.r1cs);
    renameSync(join(paths.dir, `${base}.sym`), paths.sym);
  }
}
