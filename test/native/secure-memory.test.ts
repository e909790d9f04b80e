// The addon's secure allocator (native/src/secure): page-aligned regions between guard
// pages, mlock'ed and MADV_DONTDUMP'ed as the kernel itself reports them in
// /proc/self/smaps; wiped by the explicit call, by the ArrayBuffer's finalizer and by a
// thread's end; sizes 0, 1, a page and several pages; bad sizes and refused locking coded;
// read-backs refused outside test mode.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { memlockRefusalAvailable, withMemlockRefused } from "../fixtures/memlock-refused.js";
import { addon, addonPath, inNativeTestMode, missingReason, native } from "./addon.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  flags: string[];
  lockedKb: number;
}

/** The process's mappings as the kernel reports them. */
function mappings(): Mapping[] {
  const out: Mapping[] = [];
  for (const block of readFileSync("/proc/self/smaps", "utf8").split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(block);
    if (!head) continue;
    out.push({
      start: BigInt(`0x${head[1]}`),
      end: BigInt(`0x${head[2]}`),
      perms: head[3]!,
      flags: /VmFlags:(.*)/.exec(block)?.[1]!.trim().split(/\s+/) ?? [],
      lockedKb: Number(/Locked:\s+(\d+) kB/.exec(block)?.[1] ?? -1),
    });
  }
  return out;
}

const live = () => native().testing.secureRegions();
const allZero = (b: Uint8Array) => b.every((x) => x === 0);

describe.skipIf(!addon)(`secure memory regions ${missingReason}`, () => {
  inNativeTestMode();

  const page = (): number => native().secureMemory.pageSize;

  // Sizes as functions of the page size, read once the addon is known to be there.
  const sizes: Array<[string, () => number, number]> = [
    ["0 bytes", () => 0, 1],
    ["1 byte", () => 1, 1],
    ["one page", () => page(), 1],
    ["a page and one byte", () => page() + 1, 2],
    ["five pages", () => 5 * page(), 5],
  ];
  it.each(sizes)("%s: zeroed, page-aligned, locked and not dumpable (per smaps), between guard pages", (_name, size, pages) => {
    const region = native().secureMemory.allocate(size());
    expect(region).toMatchObject({ size: size(), locked: true, lockError: null, dontDump: true, dontDumpError: null, guarded: true });
    expect(region.bytes.length).toBe(size());
    expect(allZero(region.bytes)).toBe(true);
    const address = BigInt(`0x${live().find((r) => r.id === region.id)!.address}`);
    expect(address % BigInt(page())).toBe(0n);
    const all = mappings();
    const at = all.findIndex((m) => m.start === address);
    expect(at).toBeGreaterThan(0);
    const data = all[at]!;
    expect(data.end - data.start).toBe(BigInt(pages * page()));
    expect(data.flags).toEqual(expect.arrayContaining(["lo", "dd"])); // VM_LOCKED, VM_DONTDUMP
    expect(data.lockedKb).toBe((pages * page()) / 1024);
    const [before, after] = [all[at - 1]!, all[at + 1]!];
    // (a neighbouring region's guard may merge with this one in the listing: at least a page)
    expect([before.end, before.perms, before.end - before.start >= BigInt(page())]).toEqual([address, "---p", true]);
    expect([after.start, after.perms, after.end - after.start >= BigInt(page())]).toEqual([data.end, "---p", true]);
    region.bytes.fill(0xa5);
    native().secureMemory.wipe(region.bytes);
  });

  it("wipe zeroes the bytes; regionOf tells views of regions from heap arrays", () => {
    const { bytes, id } = native().secureMemory.allocate(100);
    bytes.fill(0xff);
    expect(native().secureMemory.regionOf(bytes)).toBe(id);
    expect(native().secureMemory.regionOf(bytes.subarray(10, 20))).toBe(id);
    expect(native().secureMemory.regionOf(new Uint8Array(100))).toBeNull();
    expect(native().secureMemory.regionOf(Buffer.alloc(100))).toBeNull();
    native().secureMemory.wipe(bytes.subarray(0, 50));
    expect(allZero(bytes.subarray(0, 50)) && bytes.subarray(50).every((x) => x === 0xff)).toBe(true);
    native().secureMemory.wipe(bytes);
    expect(allZero(bytes)).toBe(true);
    expect(allZero(live().find((r) => r.id === id)!.bytes)).toBe(true); // read back through the addon, not the view
  });

  it("the finalizer wipes and unmaps a region nobody wiped", async () => {
    const { id, address } = (() => {
      const region = native().secureMemory.allocate(3 * page());
      region.bytes.fill(0x5a);
      return { id: region.id, address: BigInt(`0x${live().find((r) => r.id === region.id)!.address}`) };
    })();
    expect(mappings().some((m) => m.start === address)).toBe(true);
    // Collections until the finalizer has run (it is posted to the loop after the GC).
    let released;
    for (let round = 0; round < 200 && !released; round++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      released = native().testing.secureReleased().find((r) => r.id === id);
    }
    expect(released).toEqual({ id, zeroBeforeRelease: false, zeroAtUnmap: true });
    expect(live().some((r) => r.id === id)).toBe(false);
    expect(mappings().some((m) => m.start === address)).toBe(false);
  });

  it("a thread that ends leaves its regions wiped and unmapped", async () => {
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       globalThis.kept = require(workerData).secureMemory.allocate(64);
       kept.bytes.fill(7);
       parentPort.postMessage(kept.id);`,
      { eval: true, workerData: addonPath },
    );
    const id = await new Promise<number>((resolve) => worker.once("message", resolve));
    expect(live().find((r) => r.id === id)!.bytes.every((x) => x === 7)).toBe(true);
    await new Promise((resolve) => worker.once("exit", resolve));
    expect(live().some((r) => r.id === id)).toBe(false);
    expect(native().testing.secureReleased().find((r) => r.id === id)).toMatchObject({ zeroAtUnmap: true });
  });

  it("refuses sizes that are not whole numbers of bytes in [0, 1 MiB] with native-bad-argument", () => {
    for (const size of [-1, 1.5, Number.NaN, Infinity, 2 ** 20 + 1, 2 ** 53, "8", null, undefined]) {
      expect(() => native().secureMemory.allocate(size as number), String(size)).toThrow(expect.objectContaining({ code: "native-bad-argument" }));
    }
    expect(native().secureMemory.allocate(2 ** 20).bytes.length).toBe(2 ** 20);
    expect(() => native().secureMemory.wipe("not bytes" as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: "native-bad-argument" }));
  });

  it("refuses to read regions back outside test mode", () => {
    delete process.env.DOURADA_NATIVE_TEST_MODE;
    try {
      expect(() => native().testing.secureRegions()).toThrow(expect.objectContaining({ code: "native-test-mode-off" }));
      expect(() => native().testing.secureReleased()).toThrow(expect.objectContaining({ code: "native-test-mode-off" }));
    } finally {
      process.env.DOURADA_NATIVE_TEST_MODE = "1";
    }
  });

  describe.runIf(memlockRefusalAvailable())("where the kernel refuses to lock", () => {
    /** Allocates `sizes` in a fresh process with locking refused beyond `limit` bytes; the regions' flags and VmLck. */
    function allocateRefused(limit: number, sizes: number[]) {
      const script = `const s = require(process.argv[1]).secureMemory;
        const out = process.argv.slice(2).map((n) => { const { bytes, ...flags } = s.allocate(Number(n)); bytes.fill(1); return { ...flags, usable: bytes.every((x) => x === 1) }; });
        const vmLck = Number(/VmLck:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))[1]);
        console.log(JSON.stringify({ regions: out, vmLck }));`;
      const run = withMemlockRefused(process.execPath, ["-e", script, addonPath!, ...sizes.map(String)], limit);
      const child = spawnSync(run.command, run.args, { encoding: "utf8" });
      expect(child.status, child.stderr).toBe(0);
      return JSON.parse(child.stdout) as { regions: Array<{ locked: boolean; lockError: string | null; dontDump: boolean; usable: boolean }>; vmLck: number };
    }

    it("RLIMIT_MEMLOCK 0 without CAP_IPC_LOCK: the region works, unlocked, coded EPERM, still not dumpable", () => {
      const { regions, vmLck } = allocateRefused(0, [32]);
      expect(regions).toEqual([{ id: 1, size: 32, locked: false, lockError: "EPERM", dontDump: true, dontDumpError: null, guarded: true, usable: true }]);
      expect(vmLck).toBe(0);
    });

    it("over a one-page limit: the first page locks, the next region is refused with ENOMEM", () => {
      const { regions, vmLck } = allocateRefused(page(), [1, page() + 1]);
      expect(regions.map((r) => [r.locked, r.lockError, r.usable])).toEqual([[true, null, true], [false, "ENOMEM", true]]);
      expect(vmLck).toBe(page() / 1024);
    });
  });
});
