import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { ChatEvent } from "../../src/core/events.js";
import { rows, sum } from "../../src/core/ledger.js";
import { FakeOpenAi, fakeUsage } from "../fakes/openai-server.js";
import { silentLogger } from "../helpers/harness.js";

const base = { platform: "console", workspace: "w", isAdmin: true } as const;
const user = { id: "u", name: "ann", isBot: false };

/** Sends a message (streamed when `stream`) and returns the texts posted. */
async function say(app: App, channel: string, id: string, text: string, stream = false): Promise<string[]> {
  const out: string[] = [];
  await app.bot.handle({ ...base, channel, id, kind: "message", user, text, addressed: true } as ChatEvent, {
    send: async (reply) => {
      out.push(reply.text);
    },
    ...(stream ? { partial: () => {} } : {}),
  });
  return out;
}

async function stats(app: App, channel: string): Promise<string> {
  const out: string[] = [];
  await app.bot.handle(
    { ...base, channel, id: `s${Math.random()}`, kind: "command", user, text: "stats" } as ChatEvent,
    {
      send: async (reply) => {
        out.push(reply.text);
      },
    },
  );
  return out.join("\n");
}

describe("the token ledger against an OpenAI-compatible server", () => {
  let fake: FakeOpenAi;
  let app: App | undefined;
  beforeEach(async () => {
    fake = await new FakeOpenAi().start();
    fake.responder = (req) =>
      req.body.model === "cheap-summarizer"
        ? "Ann planned the release steps."
        : `Noted: ${req.body.messages.at(-1)?.content.slice(0, 30)}`;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.stop();
  });

  const start = (env: Record<string, string> = {}) =>
    createApp(
      loadConfig({
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_MODEL: "gpt-4o-mini",
        SUMMARY_MODEL: "cheap-summarizer",
        MEMORY_MODE: "summary",
        MEMORY_SUMMARY_TRIGGER_TOKENS: "60",
        STORE_URL: "memory://",
        LLM_MAX_RETRIES: "0",
        ...env,
      }),
      { logger: silentLogger },
    ).then((a) => {
      app = a;
      return a;
    });

  it("totals, by purpose and model, equal the usage the server reported across replies and summaries", async () => {
    const a = await start();
    for (let i = 0; i < 10; i++)
      await say(a, "c", `m${i}`, `release step ${i}: tag version 1.${i}`, i % 2 === 1);
    const reported = new Map<string, { prompt: number; completion: number; calls: number }>();
    for (const request of fake.chatRequests) {
      const usage = fakeUsage(request, fake.responder(request));
      const slot = reported.get(request.body.model) ?? { prompt: 0, completion: 0, calls: 0 };
      slot.prompt += usage.prompt_tokens;
      slot.completion += usage.completion_tokens;
      slot.calls += 1;
      reported.set(request.body.model, slot);
    }
    expect(reported.get("cheap-summarizer")?.calls).toBeGreaterThan(0);
    const ledger = (await a.store.load("console:w:c")).usage.ledger;
    const byModel = (purpose: string, model: string) =>
      rows(ledger?.total).find((r) => r.purpose === purpose && r.model === model);
    for (const [model, purpose] of [
      ["gpt-4o-mini", "reply"],
      ["cheap-summarizer", "summary"],
    ] as const) {
      const got = byModel(purpose, model);
      const want = reported.get(model);
      expect(got).toEqual({
        purpose,
        model,
        promptTokens: want?.prompt,
        completionTokens: want?.completion,
        calls: want?.calls,
        estimatedCalls: 0,
      });
    }
    const today = sum(rows(Object.values(ledger?.days ?? {})[0]));
    const all = sum(rows(ledger?.total));
    expect(today).toEqual(all);
    const text = await stats(a, "c");
    expect(text).toMatch(/Figures: token counts as reported by the model provider\./);
    expect(text).toMatch(new RegExp(`All time: ${all.promptTokens + all.completionTokens} tokens`));
    expect(text).toMatch(
      / {2}cheap-summarizer: \d+ calls?, \d+ \+ \d+ tokens, cost unknown \(no price for cheap-summarizer\)/,
    );
    expect(text).toMatch(/ {2}gpt-4o-mini: 10 calls, \d+ \+ \d+ tokens, about \$0\.0\d+/);
  });

  it("says the figures are estimates when the server reports no usage, and prices models from MODEL_PRICES", async () => {
    fake.reportUsage = false;
    const a = await start({
      MEMORY_MODE: "window",
      MODEL_PRICES: JSON.stringify({ "gpt-4o-mini": { input: 10_000, output: 0 } }),
    });
    await say(a, "c", "m1", "hello");
    const ledger = (await a.store.load("console:w:c")).usage.ledger;
    const [reply] = rows(ledger?.total);
    expect(reply?.estimatedCalls).toBe(1);
    const text = await stats(a, "c");
    expect(text).toMatch(/Figures: estimated with the local tokenizer/);
    // A cent per input token, nothing for output: the cost is the prompt size in cents.
    expect(text).toContain(
      `gpt-4o-mini: 1 call, ${reply?.promptTokens} + ${reply?.completionTokens} tokens, about $${((reply?.promptTokens ?? 0) / 100).toFixed(2)}`,
    );
  });

  it("answers with BUDGET_FALLBACK_MODEL once a channel passes CHANNEL_DAILY_TOKEN_BUDGET", async () => {
    const a = await start({
      MEMORY_MODE: "window",
      CHANNEL_DAILY_TOKEN_BUDGET: "40",
      BUDGET_FALLBACK_MODEL: "gpt-4.1-nano",
    });
    const first = await say(a, "c", "m1", "hello there");
    expect(first).toHaveLength(2);
    expect(first[1]).toMatch(/I'll answer with the cheaper model gpt-4\.1-nano until it resets at 00:00 UTC/);
    await say(a, "c", "m2", "and again");
    await say(a, "other", "m3", "fresh channel");
    expect(fake.chatRequests.map((r) => r.body.model)).toEqual([
      "gpt-4o-mini",
      "gpt-4.1-nano",
      "gpt-4o-mini",
    ]);
    expect(await stats(a, "c")).toMatch(/Daily budget: \d+ of 40 tokens used today \(spent\)/);
  });
});
