// The last gate holds across the keeper's isolate boundary (thread and
// process modes): no bundle bound to an epoch leaves once that epoch is
// retired, and none at all after it is wiped. Two races, injected
// deterministically: an operator rotation while the self-verification is
// awaited, and a rotation inside the keeper (its signature limit) that
// retires and wipes the epoch after the keeper's binding check said "ok" but
// before the pipeline's continuation runs (the race the gate exists for).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ProverEvent, Prover } from "../../src/pipeline/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, testProver } from "../fixtures/prover.js";

const inject = vi.hoisted(() => ({ duringVerify: null as null | (() => void), afterCheck: null as null | (() => Promise<void>) }));
vi.mock("../../src/verifier/index.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/verifier/index.js")>();
  return {
    ...real,
    verifyBundle: async (...args: Parameters<typeof real.verifyBundle>) => {
      const result = await real.verifyBundle(...args);
      inject.duringVerify?.();
      return result;
    },
  };
});
// The keeper's answer to the binding check is held until the injected action is done.
vi.mock("../../src/keeper/index.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/keeper/index.js")>();
  const start = async (options: Parameters<typeof real.KeeperClient.start>[0]) => {
    const client = await real.KeeperClient.start(options);
    const check = client.checkJobBinding.bind(client);
    Object.assign(client, {
      checkJobBinding: async (...args: Parameters<typeof check>) => {
        const verdict = await check(...args);
        await inject.afterCheck?.();
        return verdict;
      },
    });
    return client;
  };
  return { ...real, KeeperClient: { start } };
});

describe.each(["thread", "process"] as const)("the last gate (%s mode)", (mode) => {
  let prover: Prover;
  const wiped = new Map<string, () => void>();
  const onEvent = (event: ProverEvent) => {
    if (event.type === "wiped") wiped.get(event.epoch)?.();
  };
  const whenWiped = (epoch: string) => new Promise<void>((resolve) => wiped.set(epoch, resolve));
  beforeAll(async () => {
    // One signature per epoch: the next job's signing makes the keeper rotate by itself.
    prover = await testProver({ keeper: mode, epochSignatureLimit: 1 }, { onEvent });
  });
  afterAll(() => prover?.close());

  it("an operator rotation during self-verification ends the job epoch-rotated; without it the same job succeeds", async () => {
    inject.duringVerify = () => void prover.keeper.rotate("test: rotate while verifying");
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() }))).toBe("epoch-rotated");
    inject.duringVerify = null;
    const bundle = await prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() });
    expect(bundle.epoch).toBe(prover.keeper.currentEpochId);
  });

  it("a rotation inside the keeper that wipes the epoch after the binding check said ok ends the job epoch-rotated", async () => {
    let next: Promise<unknown> | undefined;
    let dead: string | undefined;
    inject.afterCheck = async () => {
      inject.afterCheck = null;
      dead = prover.keeper.currentEpochId!;
      const gone = whenWiped(dead);
      // The keeper's limit is reached: signing the next job retires, and (once acknowledged) wipes, this epoch.
      next = prover.prove({ circuit: "range", data: { next: true }, inputs: rangeInputs() });
      await gone;
    };
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() }))).toBe("epoch-rotated");
    expect(dead).toBeDefined();
    const bundle = (await next) as { epoch: string };
    expect(bundle.epoch).not.toBe(dead);
    expect(bundle.epoch).toBe(prover.keeper.currentEpochId);
  });
});
