import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { promptTokens, type TokenCounter } from "../../src/core/prompt.js";
import { buildPrompt } from "../../src/core/prompt-builder.js";
import type { Turn } from "../../src/core/turn.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import type { Memory, MemoryContext, MemoryView } from "../../src/memory/types.js";

const counters: Record<string, TokenCounter> = {};
beforeAll(async () => {
  counters.o200k = await createTokenCounter("gpt-4o-mini");
  counters.cl100k = await createTokenCounter("gpt-4");
});

/** Texts with what tokenizers treat specially: punctuation before line breaks, spaces, CJK, emoji. */
const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .array(
      fc.constantFrom(
        "deploy",
        "PELICAN",
        ".",
        "!",
        "?",
        ":",
        "\n",
        "\n\n",
        " ",
        "  ",
        "\t",
        "会议",
        "워크숍은",
        "🎉",
        "'s",
        "v1.2.3",
        "—",
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join("")),
);

const turn = (seq: number, t: { user: string; text: string; reply?: string | undefined }): Turn => ({
  seq,
  ts: Date.UTC(2026, 0, 1) + seq * 60_000,
  user: { id: t.user, name: t.user },
  text: t.text,
  ...(t.reply === undefined ? {} : { reply: t.reply }),
  tokens: 0,
});

const views = fc.record({
  summary: fc.option(text, { nil: undefined }),
  retrieved: fc.array(
    fc.record({
      user: fc.constantFrom("ann", "bob b", ""),
      text,
      reply: fc.option(text, { nil: undefined }),
    }),
    { maxLength: 8 },
  ),
});

describe("the prompt's token count", () => {
  it("is exactly what the tokenizer counts over the messages sent, however the memory message is cut into lines", async () => {
    await fc.assert(
      fc.asyncProperty(views, fc.constantFrom("o200k", "cl100k"), async (v, encoding) => {
        const count = counters[encoding] as TokenCounter;
        const view: MemoryView = {
          summary: v.summary || undefined,
          retrieved: v.retrieved.map((t, i) => turn(i, t)),
          recent: [],
        };
        const memory: Memory = { name: "fixed", description: "", load: async () => view };
        const ctx = { countTokens: count } as unknown as MemoryContext;
        const prompt = await buildPrompt({
          memory,
          ctx,
          systemPrompt: "You are a test bot.",
          maxTokens: 100_000,
        });
        expect(prompt.tokens.total).toBe(promptTokens(count, prompt.messages));
      }),
      { numRuns: 300 },
    );
  });

  it("stays exact with a knowledge message, which it counts apart from the system prompt", async () => {
    await fc.assert(
      fc.asyncProperty(views, text, fc.constantFrom("o200k", "cl100k"), async (v, knowledge, encoding) => {
        const count = counters[encoding] as TokenCounter;
        const view: MemoryView = {
          summary: v.summary || undefined,
          retrieved: v.retrieved.map((t, i) => turn(i, t)),
          recent: [],
        };
        const memory: Memory = { name: "fixed", description: "", load: async () => view };
        const ctx = { countTokens: count } as unknown as MemoryContext;
        const options = { memory, ctx, systemPrompt: "You are a test bot.", maxTokens: 100_000 };
        const withKnowledge = await buildPrompt({ ...options, knowledge: `[channel fact #1]\n${knowledge}` });
        const without = await buildPrompt(options);
        expect(withKnowledge.tokens.total).toBe(promptTokens(count, withKnowledge.messages));
        expect(withKnowledge.tokens.system).toBe(without.tokens.system);
        expect(withKnowledge.tokens.total - without.tokens.total).toBe(withKnowledge.tokens.knowledge);
      }),
      { numRuns: 200 },
    );
  });
});
