// What every CLI command receives: parsed flags and output channels.
export interface CommandContext {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

export type Command = (ctx: CommandContext) => Promise<number>;
