// The file audit sink: asynchronous writes, still fail-closed. Each entry
// settles only once its own line is in the file; entries that arrive together
// are written together, in order; a disk that refuses the write rejects every
// entry of that write with audit-unavailable.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditHash, fileAuditSink } from "../../src/observability/index.js";

const salt = Buffer.alloc(32, 7);
const entry = (i: number) => ({ requestId: `request-${i}`, route: "prove", outcome: "ok", keyId: "key" });

describe("file audit sink", () => {
  it("settles each of 200 concurrent entries only once its line is in the file, and keeps their order", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "dourada-audit-")), "audit.log");
    const sink = fileAuditSink(file, salt);
    sink.ensureWritable();
    const missingWhenSettled: number[] = [];
    await Promise.all(Array.from({ length: 200 }, (_, i) => Promise.resolve(sink.record(entry(i))).then(() => {
      if (!readFileSync(file, "utf8").includes(`"request-${i}"`)) missingWhenSettled.push(i);
    })));
    await sink.close?.();
    const ids = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line).requestId);
    expect(missingWhenSettled).toEqual([]);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => `request-${i}`));
  });

  it("names each caller by the HMAC of its own key id, entry after entry (each key's HMAC is computed once and kept)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "dourada-audit-")), "audit.log");
    const sink = fileAuditSink(file, salt);
    sink.ensureWritable();
    const keys = ["key-a", "key-b", "key-a", "key-c", "key-b", null];
    for (const [i, keyId] of keys.entries()) await sink.record({ requestId: `request-${i}`, route: "prove", outcome: "ok", keyId });
    await sink.close?.();
    const callers = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line).caller);
    expect(callers).toEqual(keys.map((k) => (k === null ? null : auditHash(salt, k))));
    expect(sink.hashKeyId("key-c")).toBe(auditHash(salt, "key-c"));
  });

  it("rejects every entry of a refused write with audit-unavailable (fail closed), on a disk with no space", async () => {
    const sink = fileAuditSink("/dev/full", salt);
    sink.ensureWritable();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => Promise.resolve(sink.record(entry(i))).then(() => "written", (e: { code?: string }) => e.code)));
    expect(outcomes).toEqual(Array(20).fill("audit-unavailable"));
    await sink.close?.();
  });
});
