import { type Memory, type MemoryContext, type MemoryFactory, takeNewestWithin } from "../../src/index.js";

/** Pins a channel may keep, and the length of one: pins ride along in every prompt. */
export const MAX_PINS = 20;
export const MAX_PIN_CHARS = 300;
/** Share of the prompt budget pins may take; the recent turns get the rest. */
const PIN_SHARE = 0.3;

const pinsOf = (ctx: MemoryContext): string[] => {
  const value = ctx.session.derived.pins;
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === "string") : [];
};

const list = (pins: readonly string[]) => pins.map((p, i) => `${i + 1}. ${p}`).join("\n");

/**
 * An example custom strategy: facts the channel pinned with `/memory pin <text>` in every prompt,
 * plus the last k turns. Pins live in `session.derived`, so they survive restarts, are shared by
 * every process, and `/memory reset` forgets them with the turns. Register it with
 * `MEMORY_PLUGINS=./examples/pinned-facts/pinned-memory.ts` and select it with `/memory mode pinned`.
 */
export const createPinnedMemory: MemoryFactory = (): Memory => ({
  name: "pinned",
  windowed: true,
  description: "facts pinned with /memory pin, plus the last k turns",
  async load(ctx, budgetTokens) {
    let pins = pinsOf(ctx);
    let summary = pins.length > 0 ? `Facts the channel pinned:\n${list(pins)}` : undefined;
    while (summary && ctx.countTokens(summary) > budgetTokens * PIN_SHARE) {
      pins = pins.slice(1);
      summary = pins.length > 0 ? `Facts the channel pinned:\n${list(pins)}` : undefined;
    }
    const room = budgetTokens - (summary ? ctx.countTokens(summary) + 16 : 0);
    const recent = await ctx.turns.recent(ctx.windowTurns);
    return { summary, retrieved: [], recent: await takeNewestWithin(recent.reverse(), Math.max(0, room)) };
  },
  async describe(ctx) {
    const pins = pinsOf(ctx);
    return [
      pins.length > 0
        ? `Pinned facts (${pins.length}):\n${list(pins)}`
        : "Pinned facts: none (add one with /memory pin <text>)",
    ];
  },
  commands: {
    pin: {
      usage: "/memory pin <text>: keep a fact in every prompt of this channel",
      async run(ctx, args) {
        const text = args.replace(/\s+/g, " ").trim();
        if (!text) return "Usage: /memory pin <text>";
        if (text.length > MAX_PIN_CHARS)
          return `A pin can be at most ${MAX_PIN_CHARS} characters. Nothing pinned.`;
        const pins = pinsOf(ctx);
        if (pins.length >= MAX_PINS)
          return `This channel already has ${MAX_PINS} pins; remove one with /memory unpin <number>.`;
        ctx.session.derived.pins = [...pins, text];
        return `Pinned (#${pins.length + 1}): ${text}`;
      },
    },
    unpin: {
      usage: "/memory unpin <number>: remove a pinned fact",
      adminOnly: true,
      async run(ctx, args) {
        const pins = pinsOf(ctx);
        const n = Number(args.trim());
        if (!Number.isInteger(n) || n < 1 || n > pins.length) {
          return pins.length > 0
            ? `Give a pin number from 1 to ${pins.length}.\n${list(pins)}`
            : "There are no pins.";
        }
        ctx.session.derived.pins = pins.filter((_, i) => i !== n - 1);
        return `Unpinned #${n}: ${pins[n - 1]}`;
      },
    },
  },
});

export default createPinnedMemory;
