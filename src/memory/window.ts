import { takeNewestWithin } from "./fit.js";
import type { Memory } from "./types.js";

/** The last k turns (fewer if the budget is smaller): cheap, predictable, forgets the rest. */
export function createWindowMemory(): Memory {
  return {
    name: "window",
    windowed: true,
    description: "the last k turns (set k with `/memory mode window K`)",
    async load(ctx, budgetTokens) {
      const recent = await ctx.turns.recent(ctx.windowTurns);
      return { retrieved: [], recent: await takeNewestWithin(recent.reverse(), budgetTokens) };
    },
  };
}
