import { ARCHIVED_SUMMARY_OVERHEAD_TOKENS, takeNewestWithin } from "./fit.js";
import { archivedSummary } from "./summary/state.js";
import type { Memory } from "./types.js";

/** The last k turns (fewer if the budget is smaller): cheap, predictable, forgets the rest. */
export function createWindowMemory(): Memory {
  return {
    name: "window",
    windowed: true,
    description: "the last k turns (set k with `/memory mode window K`)",
    async load(ctx, budgetTokens) {
      const archived = archivedSummary(ctx.session);
      const room = budgetTokens - (archived ? archived.tokens + ARCHIVED_SUMMARY_OVERHEAD_TOKENS : 0);
      const recent = await ctx.turns.recent(ctx.windowTurns);
      return {
        summary: archived?.text,
        retrieved: [],
        recent: await takeNewestWithin(recent.reverse(), Math.max(0, room)),
      };
    },
  };
}
