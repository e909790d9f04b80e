// `dourada serve`: the service (keeper + gateway), as `npm start` runs it
// (without the build and setup steps npm runs first). Exits once drained.
import { serve } from "../../serve.js";
import type { CommandContext } from "../cli-types.js";

export async function serveCommand(_ctx: CommandContext): Promise<number> {
  // Leftover handles (sockets closing, timers) must not keep a stopped service's process alive.
  process.exit(await serve((text) => process.stdout.write(text)));
}
