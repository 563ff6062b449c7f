import type { Memory } from "../memory/types.js";
import type { CommandScope } from "./command-scope.js";
import { builtinCommand, needsAdmin } from "./command-table.js";
import {
  COMMAND_USAGE,
  givenArgs,
  type MemoryCommand,
  parseMemoryCommand,
  unknownCommand,
} from "./commands.js";
import type { CommandEvent } from "./events.js";
import { plural } from "./plural.js";
import { exportMemory, forgetMe } from "./privacy-commands.js";
import { runSetup } from "./setup-commands.js";
import { show, stats } from "./show-commands.js";

/** Who counts as an admin is the platform's to say (its rule comes from the platform table). */
const refusal = (
  scope: CommandScope,
  event: CommandEvent,
  verb: string,
  reason = "it changes the memory for everyone in the channel",
) => `Only ${scope.settings.platforms[event.platform].adminRule} may run /memory ${verb} here (${reason}).`;

function describeModes(scope: CommandScope, current: string): string {
  const lines = scope.memories
    .list()
    .map((m) => `${m.name === current ? "*" : "-"} ${m.name}: ${m.description}`);
  return `Modes (* = this channel's):\n${lines.join("\n")}`;
}

async function extension(
  scope: CommandScope,
  event: CommandEvent,
  command: Extract<MemoryCommand, { name: "extension" }>,
): Promise<string> {
  const memory = scope.memoryFor(scope.session);
  const handler = scope.knowledge?.commands?.[command.verb] ?? memory.commands?.[command.verb];
  if (!handler) {
    const owner = scope.memories.list().find((m) => m.commands?.[command.verb]);
    // A verb of another mode is known, just not here: say which mode offers it rather than "unknown".
    if (owner) {
      return `/memory ${command.verb} is a command of the ${owner.name} mode, and this channel uses ${memory.name}. Switch with /memory mode ${owner.name} (admins), then try again.`;
    }
    return unknownCommand(command.verb, extensionUsage(memory, scope));
  }
  if (handler.adminOnly && !event.isAdmin) {
    return refusal(scope, event, command.verb);
  }
  const answer = await handler.run(scope.contextFor(scope.channel, scope.session, ""), command.args);
  await scope.store.save(scope.channel, scope.session);
  return answer;
}

const extensionUsage = (memory: Memory, scope?: CommandScope) =>
  [...Object.values(scope?.knowledge?.commands ?? {}), ...Object.values(memory.commands ?? {})].map(
    (c) => c.usage,
  );

/** Every verb: the built-ins, knowledge's and this mode's in full, and which other modes add which. */
function helpText(scope: CommandScope): string {
  const memory = scope.memoryFor(scope.session);
  const here = new Set([
    ...Object.keys(scope.knowledge?.commands ?? {}),
    ...Object.keys(memory.commands ?? {}),
  ]);
  const others = scope.memories
    .list()
    .filter((m) => m.name !== memory.name)
    .map((m) => [m.name, Object.keys(m.commands ?? {}).filter((verb) => !here.has(verb))] as const)
    .filter(([, verbs]) => verbs.length > 0)
    .map(([name, verbs]) => `- ${name} mode: ${verbs.map((v) => `/memory ${v}`).join(", ")}`);
  const elsewhere = others.length > 0 ? ["Other modes add (switch with /memory mode NAME):", ...others] : [];
  return `Memory commands:\n${[COMMAND_USAGE, ...extensionUsage(memory, scope), ...elsewhere].join("\n")}`;
}

async function mode(scope: CommandScope, command: Extract<MemoryCommand, { name: "mode" }>): Promise<string> {
  const { session, memories } = scope;
  const current = scope.memoryFor(session);
  if (command.mode === undefined)
    return `Current mode: ${current.name}\n${describeModes(scope, current.name)}`;
  const next = memories.get(command.mode);
  if (!next) {
    return `Unknown mode "${command.mode}". Nothing changed.\nValid modes: ${memories.names().join(", ")}`;
  }
  if (command.windowTurns !== undefined && !next.windowed) {
    return `The ${next.name} mode takes no window size. Nothing changed.\nUse: /memory mode ${next.name}`;
  }
  session.mode = next.name;
  if (command.windowTurns !== undefined) session.windowTurns = command.windowTurns;
  await scope.store.save(scope.channel, session);
  const k = next.windowed
    ? ` with a window of ${plural(command.windowTurns ?? scope.channelSettings.windowTurns, "turn")}`
    : "";
  return `Memory mode is now ${next.name}${k}. Every stored turn is kept; only what the prompt carries changes.`;
}

/** Runs one `/memory` command for a channel and returns the text to show the caller. */
export async function runCommand(event: CommandEvent, scope: CommandScope): Promise<string> {
  const parsed = parseMemoryCommand(event.text);
  if (!parsed.ok) return parsed.error;
  const { command } = parsed;
  // The command table says who may run a built-in verb; extension verbs carry their own rule.
  const spec = command.name === "extension" ? undefined : builtinCommand(command.name);
  if (spec && needsAdmin(spec, givenArgs(command)) && !event.isAdmin) {
    return refusal(scope, event, spec.verb, spec.adminReason);
  }
  switch (command.name) {
    case "help":
      return helpText(scope);
    case "reset": {
      const dropped = await scope.store.reset(scope.channel, scope.session);
      return `Memory reset: forgot ${plural(dropped, "turn")} and any summary or index built from them.`;
    }
    case "mode":
      return mode(scope, command);
    case "show":
      return show(scope);
    case "stats":
      return stats(scope);
    case "extension":
      return extension(scope, event, command);
    case "forget-me":
      return forgetMe(scope, event);
    case "export":
      return exportMemory(scope, scope.channelSettings.own);
    default:
      // A set-up verb (persona, model, a choice setting): it changes the channel's own record.
      if (!scope.setup) throw new Error(`/memory ${command.name} needs the channel's record`);
      return runSetup(
        {
          ...scope.setup,
          settings: scope.channelSettings,
          store: scope.store,
          platform: event.platform,
          maxPromptTokens: scope.settings.maxPromptTokens,
        },
        command,
      );
  }
}
