import { describe, expect, it } from "vitest";
import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { createHarness } from "../helpers/harness.js";

/** A model that answers "<name> answer" and reports fixed usage: 100 prompt + 10 completion tokens. */
function fixedModel(name: string): ChatModelPort & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    model: name,
    requests,
    async invoke(request) {
      requests.push(request);
      return {
        text: `${name} answer`,
        model: name,
        usage: { promptTokens: 100, completionTokens: 10, source: "provider" },
      };
    },
  };
}

/** A clock the test moves by hand, starting at 2026-03-01 22:00 UTC. */
function fakeClock() {
  let t = Date.UTC(2026, 2, 1, 22, 0, 0);
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const HOUR_MS = 3_600_000;

async function setup(fallback: boolean) {
  const clock = fakeClock();
  const main = fixedModel("main-model");
  const cheap = fixedModel("cheap-model");
  const h = await createHarness({
    kv: await createKeyvStore({ url: "memory://", namespace: `budget-${Math.random()}` }),
    llm: main,
    fallbackLlm: fallback ? cheap : undefined,
    now: clock.now,
    // 110 tokens per exchange: the third exchange takes the channel to 330, over 300.
    settings: { dailyTokenBudget: 300 },
  });
  return { h, clock, main, cheap };
}

describe("daily token budget", () => {
  it("refuses once the budget is spent, tells the channel once that day, and answers again after midnight UTC", async () => {
    const { h, clock, main } = await setup(false);
    expect(await h.say("c", "ann", "one")).toEqual(["main-model answer"]);
    expect(await h.say("c", "ann", "two")).toEqual(["main-model answer"]);
    const crossing = await h.say("c", "ann", "three");
    expect(crossing[0]).toBe("main-model answer");
    expect(crossing[1]).toBe(
      "This channel has used its daily token budget (330 of 300 tokens). I won't answer here until it resets at 00:00 UTC (in 2h 0m).",
    );
    expect(crossing).toHaveLength(2);
    clock.advance(HOUR_MS);
    const refused = await h.say("c", "ann", "four");
    expect(refused).toEqual([
      "This channel's token budget for today is spent (330 of 300 tokens). It resets at 00:00 UTC (in 1h 0m).",
    ]);
    expect(await h.say("c", "bob", "five")).toHaveLength(1);
    expect(main.requests).toHaveLength(3);
    // Refused messages are not remembered, and forgetting the conversation does not refill the budget.
    expect(await h.command("c", "show")).toMatch(/Turns stored: 3\n/);
    expect(await h.command("c", "reset")).toMatch(/forgot 3 turns/);
    expect(await h.say("c", "ann", "after reset")).toEqual([
      expect.stringMatching(/^This channel's token budget for today is spent/),
    ]);
    const stats = await h.command("c", "stats");
    expect(stats).toMatch(
      /Daily budget: 330 of 300 tokens used today \(spent\), resets at 00:00 UTC \(in 1h 0m\)/,
    );

    clock.advance(HOUR_MS + 1);
    expect(await h.say("c", "ann", "new day")).toEqual(["main-model answer"]);
    expect(main.requests).toHaveLength(4);
    expect(await h.command("c", "stats")).toMatch(/Daily budget: 110 of 300 tokens used today \(36%\)/);
    await h.say("c", "ann", "x");
    const again = await h.say("c", "ann", "y");
    expect(again[1]).toMatch(/^This channel has used its daily token budget \(330 of 300 tokens\)/);
  });

  it("switches to the fallback model after the crossing, with one notice a day, and back at the day boundary", async () => {
    const { h, clock, main, cheap } = await setup(true);
    await h.say("c", "ann", "one");
    await h.say("c", "ann", "two");
    const crossing = await h.say("c", "ann", "three");
    expect(crossing).toEqual([
      "main-model answer",
      "This channel has used its daily token budget (330 of 300 tokens). I'll answer with the cheaper model cheap-model until it resets at 00:00 UTC (in 2h 0m).",
    ]);
    expect(await h.say("c", "ann", "four")).toEqual(["cheap-model answer"]);
    expect(await h.say("c", "ann", "five")).toEqual(["cheap-model answer"]);
    expect(main.requests).toHaveLength(3);
    expect(cheap.requests).toHaveLength(2);
    // The fallback's answers are remembered like any other.
    expect(cheap.requests[1]?.messages.map((m) => m.content).join("\n")).toContain("four");

    clock.advance(2 * HOUR_MS);
    expect(await h.say("c", "ann", "six")).toEqual(["main-model answer"]);
    const stats = await h.command("c", "stats");
    expect(stats).toMatch(/ {2}cheap-model: 2 calls, 200 \+ 20 tokens/);
    expect(stats).toMatch(/ {2}main-model: 4 calls, 400 \+ 40 tokens/);
  });

  it("keeps each channel's budget to itself", async () => {
    const { h, main } = await setup(false);
    for (const text of ["a", "b", "c"]) await h.say("spender", "ann", text);
    expect(await h.say("quiet", "bob", "hello")).toEqual(["main-model answer"]);
    expect(main.requests).toHaveLength(4);
    expect(await h.command("quiet", "stats")).toMatch(/Daily budget: 110 of 300 tokens used today/);
  });

  it("has no budget when CHANNEL_DAILY_TOKEN_BUDGET is 0", async () => {
    const clock = fakeClock();
    const main = fixedModel("main-model");
    const h = await createHarness({
      kv: await createKeyvStore({ url: "memory://", namespace: `budget-${Math.random()}` }),
      llm: main,
      now: clock.now,
      settings: { dailyTokenBudget: 0 },
    });
    for (let i = 0; i < 6; i++) expect(await h.say("c", "ann", `m${i}`)).toEqual(["main-model answer"]);
    expect(await h.command("c", "stats")).toMatch(/Daily budget: none/);
  });
});
