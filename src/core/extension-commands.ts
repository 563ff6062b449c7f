import type { Memory, MemoryCommand } from "../memory/types.js";
import { BUILTIN_COMMANDS, type CommandArg, type CommandSpec } from "./command-table.js";

/** Where extension verbs come from: knowledge (every mode) and each registered memory strategy. */
export interface CommandSources {
  readonly knowledge?: Readonly<Record<string, MemoryCommand>> | undefined;
  readonly memories: readonly Pick<Memory, "commands">[];
}

const VERB = /^[a-z][a-z0-9-]{0,31}$/;
/** `/memory VERB <a> [b]: summary`, as strategies write their usage lines. */
const USAGE = /^\/memory\s+\S+((?:\s+(?:<[^<>]*>|\[[^[\]]*\]))*)\s*(?::\s*(.*))?$/s;
const PLACEHOLDER = /<([^<>]*)>|\[([^[\]]*)\]/g;

/** A placeholder as a Discord option name: lowercase, dashes for anything else, 1 to 32 characters. */
function optionName(placeholder: string, taken: ReadonlySet<string>): string {
  const base =
    placeholder
      .toLowerCase()
      .replace(/[^-_a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 32) || "text";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 30)}-${n}`;
  return name;
}

/**
 * The table entry of a verb that knowledge or a strategy adds, read from its usage line: each `<x>` a
 * required text argument, each `[x]` an optional one (a required one after an optional one becomes
 * optional, as Discord requires). A usage line of another shape gets one optional free-text argument.
 */
export function extensionCommand(verb: string, command: MemoryCommand): CommandSpec {
  const match = USAGE.exec(command.usage.trim());
  const admin = command.adminOnly ? "admins" : "anyone";
  if (!match) {
    const text: CommandArg = {
      name: "text",
      kind: "text",
      required: false,
      description: "what follows the verb",
    };
    return { verb, args: [text], summary: command.usage.trim(), admin, source: "extension" };
  }
  const taken = new Set<string>();
  let optionalSeen = false;
  const args: CommandArg[] = [...(match[1] ?? "").matchAll(PLACEHOLDER)].map((m) => {
    const placeholder = (m[1] ?? m[2] ?? "").trim();
    optionalSeen ||= m[2] !== undefined;
    const name = optionName(placeholder, taken);
    taken.add(name);
    return { name, kind: "text", required: !optionalSeen, description: placeholder || "text" };
  });
  return { verb, args, summary: (match[2] ?? "").trim() || verb, admin, source: "extension" };
}

/**
 * Every `/memory` verb the running bot offers: the built-ins, then knowledge's, then each strategy's
 * (a verb two strategies share is listed once; the channel's mode decides which one runs). Discord's
 * definition, help and the reachability test read this one list.
 */
export function commandTable(sources: CommandSources): CommandSpec[] {
  const table: CommandSpec[] = [...BUILTIN_COMMANDS];
  const seen = new Set(table.map((c) => c.verb));
  const add = (commands: Readonly<Record<string, MemoryCommand>> | undefined) => {
    for (const [verb, command] of Object.entries(commands ?? {})) {
      if (seen.has(verb) || !VERB.test(verb)) continue;
      seen.add(verb);
      table.push(extensionCommand(verb, command));
    }
  };
  add(sources.knowledge);
  for (const memory of sources.memories) add(memory.commands);
  return table;
}
