// Where a circuit's generated artifacts live under keys/.
import { join } from "node:path";

export interface ArtifactPaths {
  dir: string;
  r1cs: string;
  sym: string;
  wasm: string;
  zkey: string;
  vkey: string;
  /** What the artifacts were built from; lets setup skip unchanged circuits. */
  stamp: string;
}

export function artifactPaths(keysDir: string, circuitId: string): ArtifactPaths {
  const dir = join(keysDir, "circuits", circuitId);
  return {
    dir,
    r1cs: join(dir, `${circuitId}.r1cs`),
    sym: join(dir, `${circuitId}.sym`),
    wasm: join(dir, `${circuitId}.wasm`),
    zkey: join(dir, `${circuitId}.zkey`),
    vkey: join(dir, "verification_key.json"),
    stamp: join(dir, "stamp.json"),
  };
}
