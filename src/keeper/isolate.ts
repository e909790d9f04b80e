// The keeper's own isolate: a worker thread or a forked child process that
// holds the only Keeper, and with it every secret. It answers the gateway's
// calls one at a time (they are synchronous here, so they are serialised),
// reports its events, and wipes a retired epoch only when the gateway has
// acknowledged that it no longer trusts it (see client.ts for why).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { Keeper } from "./keeper.js";
import { openSecretMemory } from "./secret-memory.js";
import { toWire, type FromKeeper, type IsolateOptions, type KeeperCall, type KeeperStatus, type ToKeeper } from "./protocol.js";

interface Port {
  options: IsolateOptions;
  send(message: FromKeeper): void;
  onMessage(listener: (message: ToKeeper) => void): void;
  /** Closes the channel; the isolate ends once its loop is empty. */
  end(): void;
}

function openPort(): Port {
  if (!isMainThread && parentPort) {
    const port = parentPort;
    return {
      options: (workerData as { keeper: IsolateOptions }).keeper,
      send: (message) => port.postMessage(message),
      onMessage: (listener) => port.on("message", listener),
      end: () => port.close(),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error("the keeper isolate runs as a worker thread or a forked child process");
  // The gateway is gone: nothing may keep the secrets alive.
  process.on("disconnect", () => process.exit(0));
  return {
    options: JSON.parse(process.argv[2] ?? "{}") as IsolateOptions,
    send: (message) => void send(message),
    onMessage: (listener) => process.on("message", (message) => listener(message as ToKeeper)),
    end: () => {
      if (process.connected) process.disconnect();
    },
  };
}

const port = openPort();
const { secretMemoryAddon, ...keeperOptions } = port.options;
// Opened before the keeper, so every notice (also those of its first rotation) reports how secrets are held.
const memory = openSecretMemory(secretMemoryAddon);
let keeper: Keeper | undefined;
const status = (): KeeperStatus => ({
  info: keeper?.currentEpochId ? keeper.info() : null,
  unavailable: keeper?.unavailableReason ?? null,
  memory: memory.status(),
});

function answer(k: Keeper, call: KeeperCall): unknown {
  switch (call.op) {
    case "anchor":
      return k.anchorFor(call.requestId, call.circuitId, call.data);
    case "check":
      return k.checkJobBinding(call.ticket, call.returned);
    case "is-current":
      return k.isCurrentBinding(call.fields);
    case "open-sealed":
      return k.openSealedInputs(call.circuitId, call.sealed);
    case "rotate": {
      const from = k.currentEpochId;
      return { from, to: k.rotate(call.reason) };
    }
    case "close":
      k.close();
      return null;
  }
}

try {
  keeper = await Keeper.open({ ...keeperOptions, memory, holdRetired: true, onEvent: (event) => port.send({ event, status: status() }) });
} catch (e) {
  port.send({ failed: (e as Error).message });
  port.end();
}

if (keeper) {
  const k = keeper;
  port.onMessage((message) => {
    if ("ack" in message) return k.wipeRetired(message.ack);
    try {
      port.send({ id: message.id, ok: true, value: answer(k, message.call), status: status() });
    } catch (e) {
      port.send({ id: message.id, ok: false, error: toWire(e), status: status() });
    }
    if (message.call.op === "close") port.end();
  });
  port.send({ ready: status() });
}
