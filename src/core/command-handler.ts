import type { MemoryRegistry } from "../memory/registry.js";
import type { Memory, MemoryContext } from "../memory/types.js";
import type { BotSettings } from "./bot-deps.js";
import type { ChannelSettings } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import { builtinCommand, needsAdmin } from "./command-table.js";
import {
  COMMAND_USAGE,
  givenArgs,
  type MemoryCommand,
  parseMemoryCommand,
  unknownCommand,
} from "./commands.js";
import type { CommandEvent } from "./events.js";
import { KNOWLEDGE_SHARE, type KnowledgeSource } from "./knowledge-section.js";
import { estimateModes } from "./mode-estimate.js";
import { plural } from "./plural.js";
import { exportMemory, forgetMe } from "./privacy-commands.js";
import { buildPrompt } from "./prompt-builder.js";
import type { SessionRecord } from "./session.js";
import { runSetup, type SetupScope } from "./setup-commands.js";
import { formatStats } from "./stats.js";

/** Turns `/memory stats` replays for its other-modes estimate: enough for a fair average, bounded cost. */
const ESTIMATE_TURNS = 1000;

/** What a command may touch: the channel's session and the shared services. */
export interface CommandScope {
  /** Knowledge commands and description, available whatever the channel's mode. */
  readonly knowledge?: KnowledgeSource | undefined;
  readonly channel: string;
  readonly session: SessionRecord;
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  readonly settings: BotSettings;
  /** The channel's settings, resolved for this session (its persona, model, window, ...). */
  readonly channelSettings: ChannelSettings;
  /** What the rest of the channel spent today besides this session's ledger (see `budgetStatus`). */
  readonly budgetElsewhere?: number | undefined;
  /** For set-up verbs: the channel's own record, locked; absent for the other verbs. */
  readonly setup?: Omit<SetupScope, "settings" | "store" | "platform" | "maxPromptTokens"> | undefined;
  readonly memoryFor: (session: SessionRecord) => Memory;
  readonly contextFor: (channel: string, session: SessionRecord, query: string) => MemoryContext;
  readonly now: () => number;
  /** Notices for the whole channel, posted after the caller's answer (a summary lost, say). */
  readonly notices?: string[] | undefined;
  /** Runs the channel mode's summary upkeep now (after a summary was dropped, so it rebuilds). */
  readonly upkeep?: (() => Promise<void>) | undefined;
}

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

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86_400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

/** The channel's set-up in one line: model, persona, where answers go, scope and listening. */
function setupLine(c: ChannelSettings, systemTokens: number): string {
  const mark = (own: string | undefined) => (own === undefined ? "" : " (set here)");
  const persona = c.hasPersona ? "this channel's own" : "the default";
  return `Set-up: model ${c.model}${mark(c.own.model)}; instructions ${persona}, ${systemTokens} tokens; answers ${c.threads}${mark(c.own.threads)}; scope ${c.scope}${mark(c.own.scope)}; listening ${c.listen}${mark(c.own.listen)}`;
}

async function show(scope: CommandScope): Promise<string> {
  const { session, settings, channelSettings } = scope;
  const memory = scope.memoryFor(session);
  const ctx = scope.contextFor(scope.channel, session, "");
  const prompt = await buildPrompt({
    memory,
    ctx,
    systemPrompt: channelSettings.systemPrompt,
    maxTokens: settings.maxPromptTokens,
  });
  const { tokens, view } = prompt;
  const windowNote = memory.windowed ? ` (k=${channelSettings.windowTurns})` : "";
  const stored = session.next - session.first;
  const details = (await memory.describe?.(scope.contextFor(scope.channel, session, ""))) ?? [];
  const knowledge = scope.knowledge?.describe
    ? [
        `${await scope.knowledge.describe(scope.channel)}; it takes up to ${Math.floor(settings.maxPromptTokens * KNOWLEDGE_SHARE)} tokens of a prompt when a message matches, and the conversation the rest`,
      ]
    : [];
  return [
    `Mode: ${memory.name}${windowNote}`,
    `Turns stored: ${stored}`,
    `Next prompt carries ${tokens.total - tokens.message} of ${settings.maxPromptTokens} tokens before your message:`,
    `  system prompt ${tokens.system}, summary ${tokens.summary}, retrieved ${tokens.retrieved} (${plural(view.retrieved.length, "turn")}), recent ${tokens.recent} (${plural(view.recent.length, "turn")})`,
    ...details,
    ...knowledge,
    `Last activity: ${stored > 0 ? `${new Date(session.lastActivity).toISOString()} (${ago(scope.now() - session.lastActivity)})` : "none"}`,
    setupLine(channelSettings, ctx.countTokens(channelSettings.systemPrompt)),
  ].join("\n");
}

async function stats(scope: CommandScope): Promise<string> {
  const { session, settings, channelSettings } = scope;
  const ctx = scope.contextFor(scope.channel, session, "");
  const estimate = estimateModes(await ctx.turns.recent(ESTIMATE_TURNS), {
    countTokens: ctx.countTokens,
    systemPrompt: channelSettings.systemPrompt,
    maxPromptTokens: settings.maxPromptTokens,
    windowTurns: ctx.windowTurns,
  });
  return formatStats(session, {
    now: scope.now(),
    dailyTokenBudget: settings.dailyTokenBudget,
    budgetElsewhere: scope.budgetElsewhere,
    prices: settings.prices,
    model: channelSettings.model,
    estimate,
    windowTurns: ctx.windowTurns,
  });
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
