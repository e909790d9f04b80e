// What the long-running roles (`dourada serve`, `dourada prover-node`) wait
// for: the first SIGINT or SIGTERM. Later ones are left to Node's default.
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
