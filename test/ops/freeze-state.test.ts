// FreezeState on a disk that refuses its file: memory changes first, every
// failed write is counted, a streak is logged once, and any later call (an
// operator command or a fleet re-read) retries the write. The file is made
// unwritable for root too: a directory at its path makes rename(2) fail
// with EISDIR.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FreezeState } from "../../src/ops/freeze.js";

function blockedFreezeFile() {
  const dir = mkdtempSync(join(tmpdir(), "dourada-freeze-"));
  const file = join(dir, "freeze.json");
  const errors: unknown[] = [];
  const logger = { error: (fields: unknown) => void errors.push(fields), info: () => {} };
  // Active, as read at start-up before the disk went bad.
  const state = new FreezeState(file, { frozen: false, reason: null, since: null }, logger);
  mkdirSync(file);
  return { dir, file, errors, state, unblock: () => rmdirSync(file) };
}

describe("FreezeState when its file cannot be written", () => {
  it("freezes in memory, reports why, and leaves no temp file behind", () => {
    const { dir, state } = blockedFreezeFile();
    expect(state.freeze("disk gone").frozen).toBe(true);
    expect(state.frozen).toBe(true);
    expect(state.persistProblem).toMatch(/memory only.*EISDIR/);
    expect(state.persistFailures).toBe(1);
    expect(readdirSync(dir)).toEqual(["freeze.json"]);
  });

  it("retries on a fleet re-read of the same state, counts each failure, logs the streak once", () => {
    const { errors, state } = blockedFreezeFile();
    const frozen = state.freeze("disk gone");
    for (let i = 0; i < 3; i++) state.apply({ ...frozen });
    expect(state.persistFailures).toBe(4);
    expect(errors).toHaveLength(1);
    state.unfreeze(); // a new state failing is news: logged again
    expect(errors).toHaveLength(2);
  });

  it("writes the state on the next call once the disk is fixed, and clears the problem", () => {
    const { file, state, unblock } = blockedFreezeFile();
    const frozen = state.freeze("disk gone");
    unblock();
    state.apply({ ...frozen });
    expect(state.persistProblem).toBeNull();
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(frozen);
  });
});
