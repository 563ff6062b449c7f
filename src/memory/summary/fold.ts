import type { ChatModelPort } from "../../core/llm.js";
import type { Turn } from "../../core/turn.js";
import type { MemoryContext, MemorySettings } from "../types.js";
import { batchMaxTokens, summaryMaxTokens } from "./engine.js";
import { readSummary, writeSummary } from "./state.js";
import { summarizeBatch } from "./summarize.js";

/** Bound on model calls for one channel in one sweep; a longer backlog waits for the next run. */
export const MAX_FOLD_CALLS = 20;

async function nextBatch(ctx: MemoryContext, start: number, maxTokens: number): Promise<Turn[]> {
  const batch: Turn[] = [];
  let used = 0;
  for (const turn of await ctx.turns.range(start, ctx.session.next)) {
    if (batch.length > 0 && used + turn.tokens > maxTokens) break;
    batch.push(turn);
    used += turn.tokens;
  }
  return batch;
}

/**
 * Folds every stored turn the summary does not cover yet into it, a batch per call: the idle sweep's
 * "summarize" action, run before the turns are dropped. Throws when a call fails, so the sweep keeps
 * the channel's turns and tries again on its next run.
 */
export async function foldIntoSummary(
  ctx: MemoryContext,
  model: ChatModelPort,
  settings: MemorySettings,
): Promise<void> {
  let state = readSummary(ctx.session);
  const limits = { maxPromptTokens: settings.maxPromptTokens, summaryMaxTokens: summaryMaxTokens(settings) };
  for (let calls = 0; Math.max(state.through, ctx.session.first) < ctx.session.next; calls++) {
    if (calls >= MAX_FOLD_CALLS)
      throw new Error(`more than ${MAX_FOLD_CALLS} summary calls needed; continuing next run`);
    const batch = await nextBatch(ctx, Math.max(state.through, ctx.session.first), batchMaxTokens(settings));
    const outcome = await summarizeBatch(ctx, model, state, batch, limits);
    if (!outcome.state) throw new Error("summary call failed; the turns stay", { cause: outcome.error });
    state = outcome.state;
    writeSummary(ctx.session, state);
  }
}
