import {
  BUILTIN_COMMANDS,
  type BuiltinVerb,
  builtinCommand,
  type CommandArg,
  SETUP_VERBS,
  type SetupVerb,
  usageLine,
} from "./command-table.js";

export { MAX_WINDOW_TURNS } from "./command-table.js";

/** A parsed `/memory` command. */
export type MemoryCommand =
  | { readonly name: Exclude<BuiltinVerb, "mode" | SetupVerb> }
  | { readonly name: "mode"; readonly mode?: string | undefined; readonly windowTurns?: number | undefined }
  /** A set-up verb (`persona`, `model`, ...): no value shows the setting, a value changes it. */
  | { readonly name: SetupVerb; readonly value?: string | undefined }
  /** A verb no built-in command knows; knowledge or the channel's memory strategy may offer it (`/memory pin`). */
  | { readonly name: "extension"; readonly verb: string; readonly args: string };

export type ParseResult =
  | { readonly ok: true; readonly command: MemoryCommand }
  | { readonly ok: false; readonly error: string };

/** The valid forms, from the command table, shown with every parse error so the user can correct at once. */
export const COMMAND_USAGE = BUILTIN_COMMANDS.map(usageLine).join("\n");

const fail = (error: string): ParseResult => ({
  ok: false,
  error: `${error}\nValid forms:\n${COMMAND_USAGE}`,
});

/** The answer to a verb nobody offers, with the valid forms (and any the strategy adds). */
export function unknownCommand(verb: string, extraUsage: readonly string[] = []): string {
  return `Unknown command "/memory ${verb.slice(0, 40)}".\nValid forms:\n${[COMMAND_USAGE, ...extraUsage].join("\n")}`;
}

const VERB = /^[a-z][a-z0-9-]{0,31}$/i;
const MODE_NAME = /^[a-z][a-z0-9-]{0,31}$/i;
/** Model names as servers spell them: `gpt-4o-mini`, `llama3.1:8b`, `meta-llama/Llama-3-8B`. */
const MODEL_NAME = /^[\w.:/@+-]{1,100}$/;

type ArgValue = string | number | undefined;

/** Checks one word against its argument's kind; a string is the reason it does not fit. */
function readArg(arg: CommandArg, word: string): { value: string | number } | string {
  switch (arg.kind) {
    case "mode":
      return MODE_NAME.test(word)
        ? { value: word.toLowerCase() }
        : `"${word.slice(0, 40)}" is not a mode name.`;
    case "count": {
      const min = arg.min ?? 1;
      const max = arg.max ?? Number.MAX_SAFE_INTEGER;
      const n = Number(word);
      return /^\d{1,7}$/.test(word) && n >= min && n <= max
        ? { value: n }
        : `The ${arg.name} size must be a whole number from ${min} to ${max}, not "${word.slice(0, 40)}".`;
    }
    case "choice": {
      const choices = arg.choices ?? [];
      const choice = choices.find((c) => c === word.toLowerCase());
      return choice !== undefined
        ? { value: choice }
        : `"${word.slice(0, 40)}" is not one of: ${choices.join(", ")}.`;
    }
    case "model":
      return MODEL_NAME.test(word) ? { value: word } : `"${word.slice(0, 40)}" is not a model name.`;
    case "text":
    case "rest":
      return { value: word };
  }
}

/**
 * Reads a built-in verb's words by its table entry: count, order and kind of each argument. A last
 * argument of kind `rest` takes what follows the other words of `line` (the text after the verb) as
 * typed, spaces and line breaks kept.
 */
function readArgs(verb: BuiltinVerb, words: readonly string[], line: string): ArgValue[] | string {
  const spec = builtinCommand(verb);
  const args = spec?.args ?? [];
  if (args.at(-1)?.kind === "rest") {
    const before = args.length - 1;
    const leading = readWords(verb, args.slice(0, before), words.slice(0, before));
    if (typeof leading === "string") return leading;
    const tail = words.length > before ? restAfter(line, before) : undefined;
    return [...leading, tail];
  }
  return readWords(verb, args, words);
}

/** The text after the first `n` words of `text`, as typed. */
function restAfter(text: string, n: number): string {
  let rest = text.trim();
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, "");
  return rest;
}

/** Reads one word per argument, each checked against its kind. */
function readWords(
  verb: BuiltinVerb,
  args: readonly CommandArg[],
  words: readonly string[],
): ArgValue[] | string {
  if (words.length > args.length) {
    return args.length === 0
      ? `"/memory ${verb}" takes no arguments.`
      : `"/memory ${verb}" takes at most ${args.length} argument${args.length === 1 ? "" : "s"}: ${args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ")}.`;
  }
  const values: ArgValue[] = [];
  for (const [i, arg] of args.entries()) {
    const word = words[i];
    if (word === undefined) {
      if (arg.required) return `"/memory ${verb}" needs <${arg.name}>.`;
      values.push(undefined);
      continue;
    }
    const read = readArg(arg, word);
    if (typeof read === "string") return read;
    values.push(read.value);
  }
  return values;
}

const isSetupVerb = (verb: string): verb is SetupVerb => (SETUP_VERBS as readonly string[]).includes(verb);

/** The typed command for a built-in verb and its checked arguments. */
function build(verb: BuiltinVerb, values: readonly ArgValue[]): MemoryCommand {
  if (isSetupVerb(verb)) {
    const [value] = values;
    return value === undefined ? { name: verb } : { name: verb, value: String(value) };
  }
  if (verb !== "mode") return { name: verb };
  const [mode, windowTurns] = values;
  if (mode === undefined) return { name: "mode" };
  return windowTurns === undefined
    ? { name: "mode", mode: String(mode) }
    : { name: "mode", mode: String(mode), windowTurns: Number(windowTurns) };
}

const isBuiltin = (verb: string): verb is BuiltinVerb => builtinCommand(verb) !== undefined;

/**
 * Parses the words after `/memory` (a leading `/memory` is accepted too). Mode names are checked
 * later against the registry, so custom strategies need no parser change.
 */
export function parseMemoryCommand(input: string): ParseResult {
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words[0]?.toLowerCase() === "/memory") words.shift();
  const [verb, ...args] = words;
  if (verb === undefined) return { ok: true, command: { name: "help" } };
  const lower = verb.toLowerCase();
  const afterVerb = input
    .trim()
    .replace(/^\/memory(\s+|$)/i, "")
    .slice(verb.length)
    .trim();
  if (isBuiltin(lower)) {
    const values = readArgs(lower, args, afterVerb);
    return typeof values === "string" ? fail(values) : { ok: true, command: build(lower, values) };
  }
  if (!VERB.test(verb)) return { ok: false, error: unknownCommand(verb) };
  return { ok: true, command: { name: "extension", verb: lower, args: afterVerb } };
}

/** How many arguments a parsed command was given (what `admins-to-change` verbs look at). */
export function givenArgs(command: MemoryCommand): number {
  if (command.name === "extension") return command.args === "" ? 0 : 1;
  return Object.entries(command).filter(([key, value]) => key !== "name" && value !== undefined).length;
}
