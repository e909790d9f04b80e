// Step timing and throttled progress lines for the long setup steps.
import type { Logger } from "snarkjs";

export type Print = (line: string) => void;

export async function timed<T>(print: Print, label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  print(`  ${label} ...`);
  const result = await step();
  print(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** A snarkjs logger that prints at most one info line every two seconds. */
export function throttledLogger(print: Print): Logger {
  let last = 0;
  const quiet = () => {};
  return {
    debug: quiet,
    warn: (message: string) => print(`    warning: ${message}`),
    error: (message: string) => print(`    error: ${message}`),
    info(message: string) {
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      print(`    ${message}`);
    },
  };
}
