// The pool's admission line on its own: slots in FIFO order, a job whose
// signal aborts leaves the line at once without taking a slot, and a
// destroyed pool refuses everyone still waiting.
import { describe, expect, it } from "vitest";
import { LeftQueueError, ThreadSlots } from "../../src/prover/slots.js";

const never = () => new AbortController().signal;

describe("ThreadSlots", () => {
  it("grants free slots at once and hands released ones to the waiting jobs in order", async () => {
    const slots = new ThreadSlots(2);
    await slots.acquire(never());
    await slots.acquire(never());
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => slots.acquire(never()).then(() => order.push(n)));
    slots.release();
    slots.release();
    slots.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it("lets a job whose signal aborts leave the line at once; the jobs behind it move up", async () => {
    const slots = new ThreadSlots(1);
    await slots.acquire(never());
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal);
    const next = slots.acquire(never());
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(LeftQueueError);
    slots.release();
    await next;
    // The one slot is held by `next`: an aborted signal never gets one.
    await expect(slots.acquire(AbortSignal.abort())).rejects.toBeInstanceOf(LeftQueueError);
  });

  it("refuses every waiting job when the pool is destroyed, and is idle afterwards", async () => {
    const slots = new ThreadSlots(1);
    await slots.acquire(never());
    const waiting = [slots.acquire(never()), slots.acquire(never())];
    const gone = new Error("destroyed");
    slots.refuseAll(gone);
    for (const job of waiting) await expect(job).rejects.toBe(gone);
    const idle = slots.whenIdle();
    slots.release();
    await idle;
  });
});
