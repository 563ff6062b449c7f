/** A parsed `/memory` command. */
export type MemoryCommand =
  | { readonly name: "help" }
  | { readonly name: "reset" }
  | { readonly name: "show" }
  | { readonly name: "stats" }
  | { readonly name: "forget-me" }
  | { readonly name: "export" }
  | { readonly name: "mode"; readonly mode?: string | undefined; readonly windowTurns?: number | undefined }
  /** A verb no built-in command knows; the channel's memory strategy may offer it (`/memory pin`). */
  | { readonly name: "extension"; readonly verb: string; readonly args: string };

export type ParseResult =
  | { readonly ok: true; readonly command: MemoryCommand }
  | { readonly ok: false; readonly error: string };

export const MAX_WINDOW_TURNS = 1000;

/** The valid forms, shown with every parse error so the user can correct the command at once. */
export const COMMAND_USAGE = [
  "/memory reset: forget this channel's conversation",
  "/memory mode: show the current mode and the choices",
  "/memory mode <mode> [k]: switch mode (k: window size in turns, for window modes)",
  "/memory show: what the next prompt would carry",
  "/memory stats: token use of this channel",
  "/memory forget-me: delete what you said from this channel's memory",
  "/memory export: the channel's stored memory as JSON (admins)",
].join("\n");

const fail = (error: string): ParseResult => ({
  ok: false,
  error: `${error}\nValid forms:\n${COMMAND_USAGE}`,
});

/** The answer to a verb nobody offers, with the valid forms (and any the strategy adds). */
export function unknownCommand(verb: string, extraUsage: readonly string[] = []): string {
  return `Unknown command "/memory ${verb.slice(0, 40)}".\nValid forms:\n${[COMMAND_USAGE, ...extraUsage].join("\n")}`;
}

const VERB = /^[a-z][a-z0-9-]{0,31}$/i;

/**
 * Parses the words after `/memory` (a leading `/memory` is accepted too). Mode names are checked
 * later against the registry, so custom strategies need no parser change.
 */
export function parseMemoryCommand(input: string): ParseResult {
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === "/memory") words.shift();
  const [verb, ...args] = words;
  if (verb === undefined) return { ok: true, command: { name: "help" } };
  switch (verb.toLowerCase()) {
    case "help":
    case "reset":
    case "show":
    case "stats":
    case "forget-me":
    case "export": {
      const name = verb.toLowerCase() as "help" | "reset" | "show" | "stats" | "forget-me" | "export";
      if (args.length > 0) return fail(`"/memory ${name}" takes no arguments.`);
      return { ok: true, command: { name } };
    }
    case "mode": {
      if (args.length === 0) return { ok: true, command: { name: "mode" } };
      if (args.length > 2) return fail('"/memory mode" takes a mode and an optional window size.');
      const [mode = "", k] = args;
      if (!/^[a-z][a-z0-9-]{0,31}$/i.test(mode)) return fail(`"${mode.slice(0, 40)}" is not a mode name.`);
      if (k === undefined) return { ok: true, command: { name: "mode", mode: mode.toLowerCase() } };
      if (!/^\d{1,7}$/.test(k) || Number(k) < 1 || Number(k) > MAX_WINDOW_TURNS) {
        return fail(
          `The window size must be a whole number from 1 to ${MAX_WINDOW_TURNS}, not "${k.slice(0, 40)}".`,
        );
      }
      return { ok: true, command: { name: "mode", mode: mode.toLowerCase(), windowTurns: Number(k) } };
    }
    default: {
      if (!VERB.test(verb)) return { ok: false, error: unknownCommand(verb) };
      const rest = input
        .trim()
        .replace(/^\/memory(\s+|$)/i, "")
        .slice(verb.length)
        .trim();
      return { ok: true, command: { name: "extension", verb: verb.toLowerCase(), args: rest } };
    }
  }
}
