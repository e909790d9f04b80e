// Starts the keeper's isolate, a worker thread or a child process, and gives
// the gateway one way to talk to either: send, receive, and learn when it ends.
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FromKeeper, IsolateOptions, ToKeeper } from "./protocol.js";

export type KeeperMode = "thread" | "process";

export interface KeeperChannel {
  readonly mode: KeeperMode;
  /** The keeper's process id (thread mode: this process's). */
  readonly pid: number;
  send(message: ToKeeper): void;
  onMessage(listener: (message: FromKeeper) => void): void;
  /** Called once when the isolate has ended, asked to or not. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the isolate at once (its secrets die with it, unwiped). */
  kill(): void;
}

/** The built isolate script: a sibling when running from dist/, the built copy when running from src/ (tests). */
function isolateScript(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".js") ? join(dirname(here), "isolate.js") : join(dirname(here), "..", "..", "dist", "src", "keeper", "isolate.js");
}

/**
 * This process's Node flags as they are now (a preload a test adds reaches the
 * keeper too), minus those that would run the parent's inline script (-e, -p)
 * instead of the keeper's, or that only apply to one.
 */
function inheritedFlags(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (["-e", "--eval", "-p", "--print", "--input-type"].includes(flag)) i++; // and its value
    else if (!/^--(eval|print|input-type)=/.test(flag)) flags.push(flag);
  }
  return flags;
}

function threadChannel(options: IsolateOptions): KeeperChannel {
  const worker = new Worker(isolateScript(), { workerData: { keeper: options }, execArgv: inheritedFlags() });
  worker.on("error", () => {}); // an uncaught error in the keeper is followed by "exit", handled there
  return {
    mode: "thread",
    pid: process.pid,
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on("message", listener),
    onExit: (listener) => worker.once("exit", (code) => listener(code, null)),
    kill: () => void worker.terminate(),
  };
}

function processChannel(options: IsolateOptions): KeeperChannel {
  const child = fork(isolateScript(), [JSON.stringify(options)], {
    serialization: "advanced", // structured clone: tickets carry a bigint anchor
    execArgv: inheritedFlags(),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("error", () => {}); // a failed send or spawn ends in "exit", handled there
  return {
    mode: "process",
    pid: child.pid ?? -1,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on("message", (message) => listener(message as FromKeeper)),
    onExit: (listener) => child.once("exit", listener),
    kill: () => void child.kill("SIGKILL"),
  };
}

export function openKeeperChannel(mode: KeeperMode, options: IsolateOptions): KeeperChannel {
  return mode === "process" ? processChannel(options) : threadChannel(options);
}
