import { ARCHIVED_SUMMARY_OVERHEAD_TOKENS, takeNewestWithin } from "./fit.js";
import { archivedSummary } from "./summary/state.js";
import type { Memory } from "./types.js";

/** Every turn the budget allows, newest kept first: the whole conversation while it is short. */
export function createBufferMemory(): Memory {
  return {
    name: "buffer",
    description: "all stored turns, the oldest dropped first when the prompt budget is full",
    async load(ctx, budgetTokens) {
      const archived = archivedSummary(ctx.session);
      const room = budgetTokens - (archived ? archived.tokens + ARCHIVED_SUMMARY_OVERHEAD_TOKENS : 0);
      return {
        summary: archived?.text,
        retrieved: [],
        recent: await takeNewestWithin(ctx.turns.newestFirst(), Math.max(0, room)),
      };
    },
  };
}
