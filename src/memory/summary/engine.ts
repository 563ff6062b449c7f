import type { Turn } from "../../core/turn.js";
import { takeNewestWithin } from "../fit.js";
import type { Memory, MemoryContext, MemoryServices, MemorySettings } from "../types.js";
import { readSummary, type SummaryState, writeSummary } from "./state.js";
import { summarizeBatch } from "./summarize.js";

/** Share of the prompt budget the summary text may take. */
export const SUMMARY_SHARE = 0.25;
/** Share of the prompt budget one summary call may send as new turns. */
export const BATCH_SHARE = 0.5;
/** Tokens the summary section's header and layout add to the summary text. */
const SUMMARY_OVERHEAD_TOKENS = 16;

/** When a summary mode summarizes, in tokens of turns not yet summarized. */
export interface SummaryPolicy {
  /** Summarize once the pending turns exceed this many tokens. */
  triggerTokens(settings: MemorySettings): number;
  /** Leave this many tokens of the newest pending turns verbatim (0: summarize them all). */
  keepTokens(settings: MemorySettings): number;
}

export interface SummaryModeOptions {
  readonly name: string;
  readonly description: string;
  readonly policy: SummaryPolicy;
}

export const summaryMaxTokens = (settings: MemorySettings) =>
  Math.floor(settings.maxPromptTokens * SUMMARY_SHARE);
export const batchMaxTokens = (settings: MemorySettings) =>
  Math.floor(settings.maxPromptTokens * BATCH_SHARE);

/**
 * Reads pending turns oldest first, a piece of storage at a time, until more than `limitTokens` are
 * gathered: a bounded read even when a mode switch left thousands of turns unsummarized.
 */
async function readPending(ctx: MemoryContext, start: number, limitTokens: number) {
  const turns: Turn[] = [];
  let total = 0;
  for await (const piece of ctx.turns.oldestFirst(start)) {
    for (const turn of piece) {
      turns.push(turn);
      total += turn.tokens;
    }
    if (total > limitTokens) break;
  }
  return { turns, total };
}

/** The oldest pending turns one call summarizes: up to the batch limit, leaving `keep` tokens verbatim. */
function chooseBatch(pending: readonly Turn[], total: number, keep: number, max: number): Turn[] {
  const batch: Turn[] = [];
  let used = 0;
  for (const turn of pending) {
    if (total - used <= keep) break;
    if (batch.length > 0 && used + turn.tokens > max) break;
    batch.push(turn);
    used += turn.tokens;
  }
  return batch;
}

/**
 * A summary mode: the running summary plus the turns it does not cover yet, verbatim. The summary
 * is updated after a turn is saved, once the pending turns pass the policy's threshold, with one
 * call for the whole batch; a failed call changes nothing, so the turns stay verbatim.
 */
export function createSummaryMode(options: SummaryModeOptions, services: MemoryServices): Memory {
  const { settings, summarizer, logger } = services;
  const { policy } = options;
  const startOf = (ctx: MemoryContext, state: SummaryState) => Math.max(state.through, ctx.session.first);
  return {
    name: options.name,
    description: options.description,
    async load(ctx, budgetTokens) {
      const state = readSummary(ctx.session);
      const summary = state.text || undefined;
      const room = budgetTokens - (summary ? state.tokens + SUMMARY_OVERHEAD_TOKENS : 0);
      const pending = ctx.turns.newestFirst(startOf(ctx, state));
      return { summary, retrieved: [], recent: await takeNewestWithin(pending, Math.max(0, room)) };
    },
    async afterReply(ctx) {
      if (!summarizer) return false;
      const state = readSummary(ctx.session);
      const trigger = Math.min(policy.triggerTokens(settings), batchMaxTokens(settings));
      const max = batchMaxTokens(settings);
      const { turns, total } = await readPending(ctx, startOf(ctx, state), trigger + max);
      if (total <= trigger) return false;
      const batch = chooseBatch(turns, total, policy.keepTokens(settings), max);
      const limits = {
        maxPromptTokens: settings.maxPromptTokens,
        summaryMaxTokens: summaryMaxTokens(settings),
      };
      const outcome = await summarizeBatch(ctx, summarizer, state, batch, limits);
      if (outcome.state) {
        writeSummary(ctx.session, outcome.state);
        return true;
      }
      writeSummary(ctx.session, { ...state, failures: state.failures + 1 });
      logger.warn(
        { err: outcome.error, channel: ctx.channel, pendingTurns: turns.length },
        "summary call failed; the turns stay verbatim until a later call succeeds",
      );
      return true;
    },
    async describe(ctx) {
      const state = readSummary(ctx.session);
      const pending = Math.max(0, ctx.session.next - startOf(ctx, state));
      const lines = [
        state.text
          ? `Summary: ${state.tokens} tokens covering turns before #${state.through}, updated ${state.updates} time${state.updates === 1 ? "" : "s"}`
          : "Summary: none yet",
        `Not yet summarized: ${pending} turn${pending === 1 ? "" : "s"} (summarized past ${Math.min(policy.triggerTokens(settings), batchMaxTokens(settings))} tokens)`,
      ];
      if (!summarizer) lines.push("No summary model is configured: turns stay verbatim.");
      if (state.failures > 0)
        lines.push(
          `The last ${state.failures} summary call(s) failed; those turns stay verbatim until one succeeds.`,
        );
      return lines;
    },
  };
}
