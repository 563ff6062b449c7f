import { messageTokens, promptTokens, type TokenCounter, userContent } from "./prompt.js";
import type { Turn } from "./turn.js";

/** What the estimate needs about the channel's settings. */
export interface ModeEstimateOptions {
  readonly countTokens: TokenCounter;
  readonly systemPrompt: string;
  readonly maxPromptTokens: number;
  readonly windowTurns: number;
}

/** Average reply prompt, in tokens, that buffer and window modes would have sent for the stored turns. */
export interface ModeEstimate {
  /** Answered turns the estimate covers (those still stored, with a turn before them). */
  readonly replies: number;
  readonly buffer: number;
  readonly window: number;
}

/** Tokens of the newest earlier turns that fit in `room`, newest first, at most `limit` of them. */
function history(earlier: readonly Turn[], end: number, room: number, limit: number): number {
  let used = 0;
  for (let i = end - 1, taken = 0; i >= 0 && taken < limit; i--, taken++) {
    const tokens = (earlier[i] as Turn).tokens;
    if (used + tokens > room) break;
    used += tokens;
  }
  return used;
}

/**
 * Replays the stored log to estimate what the same answered messages would have cost as prompts in
 * the buffer and window modes (from the stored token counts, so no summaries or retrieval, which
 * depend on what a model writes). An estimate: it cannot see turns already dropped or reset.
 */
export function estimateModes(
  turns: readonly Turn[],
  options: ModeEstimateOptions,
): ModeEstimate | undefined {
  const system = promptTokens(options.countTokens, [{ role: "system", content: options.systemPrompt }]);
  let replies = 0;
  let buffer = 0;
  let window = 0;
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i] as Turn;
    if (turn.reply === undefined) continue;
    const message = messageTokens(options.countTokens, userContent(turn.user.name, turn.text));
    const room = Math.max(0, options.maxPromptTokens - system - message);
    replies++;
    buffer += system + message + history(turns, i, room, Number.POSITIVE_INFINITY);
    window += system + message + history(turns, i, room, options.windowTurns);
  }
  if (replies === 0) return undefined;
  return { replies, buffer: Math.round(buffer / replies), window: Math.round(window / replies) };
}
