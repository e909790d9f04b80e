// CPU time of a process and its children (Linux /proc), for per-request CPU
// figures of a server the bench started: the service, and in process mode the
// keeper's child process too.
import { readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the project runs on

function ownTicks(pid: number): number {
  // Fields after the command (which may contain spaces) start at "state"; utime and stime are fields 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function children(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.push(...readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return out;
}

/** CPU ms used so far by `pid` and its live child processes (0 where /proc is absent). */
export function cpuMs(pid: number): number {
  try {
    const kids = children(pid);
    return ((ownTicks(pid) + kids.reduce((sum, kid) => sum + ownTicks(kid), 0)) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
