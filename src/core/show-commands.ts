// `/memory show` and `/memory stats`: what the channel's memory holds and costs, read-only.
import type { ChannelSettings } from "./channel-settings.js";
import type { CommandScope } from "./command-scope.js";
import { KNOWLEDGE_SHARE } from "./knowledge-section.js";
import { estimateModes } from "./mode-estimate.js";
import { plural } from "./plural.js";
import { buildPrompt } from "./prompt-builder.js";
import { formatStats } from "./stats.js";

/** Turns `/memory stats` replays for its other-modes estimate: enough for a fair average, bounded cost. */
const ESTIMATE_TURNS = 1000;

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

/** `/memory show`: the mode, what the next prompt carries and why, knowledge, the channel's set-up. */
export async function show(scope: CommandScope): Promise<string> {
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

/** `/memory stats`: token use and cost by day, the budget, and what the other modes would cost. */
export async function stats(scope: CommandScope): Promise<string> {
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
