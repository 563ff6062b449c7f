import { takeNewestWithin } from "./fit.js";
import type { Memory } from "./types.js";

/** Every turn the budget allows, newest kept first: the whole conversation while it is short. */
export function createBufferMemory(): Memory {
  return {
    name: "buffer",
    description: "all stored turns, the oldest dropped first when the prompt budget is full",
    async load(ctx, budgetTokens) {
      return { retrieved: [], recent: await takeNewestWithin(ctx.turns.newestFirst(), budgetTokens) };
    },
  };
}
