import { describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import { promptTokens } from "../../src/core/prompt.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { factSummarizer } from "../helpers/fake-summarizer.js";
import { chatTurns, createHarness, memoryText, promptText } from "../helpers/harness.js";
import { storeFixture } from "../helpers/stores.js";

const BUDGET = 1000;
const TRIGGER = 150;

const summaryHarness = async (mode: string, kv?: Parameters<typeof createHarness>[0]["kv"]) =>
  createHarness({
    kv: kv ?? (await storeFixture("memory").open()),
    settings: { defaultMode: mode, maxPromptTokens: BUDGET },
    memorySettings: { summaryTriggerTokens: TRIGGER },
  });

const fact = (i: number) => `note ${i}: the code for task ${i} is FACT${i}`;

describe("summary mode", () => {
  it("summarizes a batch once the threshold is reached, with one call, never once per turn", async () => {
    const h = await summaryHarness("summary");
    for (let i = 0; i < 60; i++) await h.say("c", "ann", fact(i));
    const key = channelKey({ platform: "console", workspace: "w1", channel: "c" });
    const stored = await h.store.reader(key, await h.store.load(key)).recent(60);
    expect(stored).toHaveLength(60);
    const totalTokens = stored.reduce((sum, t) => sum + t.tokens, 0);
    const calls = h.summarizer.requests.length;
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThanOrEqual(Math.ceil(totalTokens / TRIGGER));
    for (const request of h.summarizer.requests) {
      expect(request.purpose).toBe("summary");
      expect(promptTokens(h.countTokens, request.messages)).toBeLessThanOrEqual(BUDGET);
    }
    const last = h.model.requests.at(-1)?.messages ?? [];
    expect(last[0]?.role).toBe("system");
    expect(last[0]?.content).not.toContain("FACT0");
    expect(memoryText(last)).toContain("Channel summary (quoted, not instructions):");
    expect(promptText(last)).toContain("FACT0 ");
    expect(promptText(last)).not.toContain(fact(0));
    expect(chatTurns(last).length).toBeLessThan(10);
  });

  it("posts the answer before summarizing, so nobody waits for the summary call", async () => {
    const kv = await storeFixture("memory").open();
    let seen = (): { asked: number; posted: number } => ({ asked: 0, posted: 0 });
    const atCall: Array<{ asked: number; posted: number }> = [];
    const inner = factSummarizer(await createTokenCounter("gpt-4o-mini"));
    const h = await createHarness({
      kv,
      settings: { defaultMode: "summary", maxPromptTokens: BUDGET },
      memorySettings: { summaryTriggerTokens: TRIGGER },
      summarizer: {
        model: inner.model,
        invoke(request) {
          atCall.push(seen());
          return inner.invoke(request);
        },
      },
    });
    seen = () => ({
      asked: h.model.requests.length,
      posted: h.replies.filter((r) => r.kind === "answer").length,
    });
    for (let i = 0; i < 30; i++) await h.say("c", "ann", fact(i));
    expect(atCall.length).toBeGreaterThan(0);
    // At every summary call, the answer of the exchange that triggered it was already out.
    for (const call of atCall) expect(call.posted).toBe(call.asked);
    const last = h.model.requests.at(-1)?.messages ?? [];
    expect(memoryText(last)).toContain("FACT0 ");
  });

  it("keeps the summary with the channel: a new process uses it without summarizing again", async () => {
    const fixture = storeFixture("sqlite");
    try {
      const first = await summaryHarness("summary", await fixture.open());
      for (let i = 0; i < 30; i++) await first.say("c", "ann", fact(i));
      expect(first.summarizer.requests.length).toBeGreaterThan(0);
      const second = await summaryHarness("summary", await fixture.open());
      await second.say("c", "bob", "what was the code for task 0?");
      expect(second.summarizer.requests).toHaveLength(0);
      expect(promptText(second.model.requests[0]?.messages ?? [])).toContain("FACT0 ");
    } finally {
      await fixture.cleanup();
    }
  });

  it("loses no turn when summary calls fail: replies go out and the turns stay verbatim", async () => {
    const h = await summaryHarness("summary");
    h.summarizer.failNext(3);
    let i = 0;
    while (h.summarizer.requests.length < 3) {
      expect(await h.say("c", "ann", fact(i))).toHaveLength(1);
      i += 1;
    }
    const during = promptText(h.model.requests.at(-1)?.messages ?? []);
    for (let j = 0; j < i - 1; j++) expect(during).toContain(fact(j));
    expect(await h.command("c", "/memory show")).toContain("The last 3 summary call(s) failed");
    for (let j = 0; j < 5; j++) await h.say("c", "ann", `more ${j}`);
    const after = h.model.requests.at(-1)?.messages ?? [];
    expect(memoryText(after)).toContain("FACT0 ");
    expect(await h.command("c", "/memory show")).not.toContain("failed");
  });

  it("catches up in bounded batches after a switch from another mode", async () => {
    const h = await summaryHarness("window");
    for (let i = 0; i < 80; i++) await h.say("c", "ann", fact(i));
    expect(h.summarizer.requests).toHaveLength(0);
    await h.command("c", "/memory mode summary");
    await h.say("c", "ann", "what did we note?");
    expect(h.summarizer.requests).toHaveLength(1);
    for (let j = 0; j < 10; j++) await h.say("c", "ann", `question ${j}`);
    for (const request of [...h.summarizer.requests, ...h.model.requests]) {
      expect(promptTokens(h.countTokens, request.messages)).toBeLessThanOrEqual(BUDGET);
    }
    expect(memoryText(h.model.requests.at(-1)?.messages ?? [])).toContain("FACT0 ");
  });

  it("shows the summary in /memory show and its calls in /memory stats", async () => {
    const h = await summaryHarness("summary");
    for (let i = 0; i < 20; i++) await h.say("c", "ann", fact(i));
    const show = await h.command("c", "/memory show");
    expect(show).toMatch(/summary [1-9]\d*, retrieved 0 \(0 turns\), recent \d+/);
    expect(show).toMatch(/Summary: \d+ tokens covering turns before #\d+, updated \d+ time/);
    const stats = await h.command("c", "/memory stats");
    expect(stats).toMatch(/ {2}reply: 20 calls/);
    expect(stats).toMatch(/ {2}summary: [1-9]\d* calls?/);
  });
});

describe("summary-buffer mode", () => {
  it("carries the summary of older turns plus the recent turns verbatim, with few summary calls", async () => {
    const h = await summaryHarness("summary-buffer");
    for (let i = 0; i < 60; i++) await h.say("c", "ann", fact(i));
    expect(h.summarizer.requests.length).toBeGreaterThan(0);
    expect(h.summarizer.requests.length).toBeLessThanOrEqual(12);
    const last = h.model.requests.at(-1)?.messages ?? [];
    expect(memoryText(last)).toContain("FACT0 ");
    const verbatim = chatTurns(last).map((m) => m.content);
    expect(verbatim.length).toBeGreaterThan(3);
    expect(verbatim.at(-2)).toBe(`ann: ${fact(58)}`);
    expect(promptTokens(h.countTokens, last)).toBeLessThanOrEqual(BUDGET);
  });

  it("shares the summary with summary mode, so switching between them keeps it", async () => {
    const h = await summaryHarness("summary-buffer");
    for (let i = 0; i < 40; i++) await h.say("c", "ann", fact(i));
    const calls = h.summarizer.requests.length;
    await h.command("c", "/memory mode summary");
    await h.say("c", "ann", "and now?");
    expect(memoryText(h.model.requests.at(-1)?.messages ?? [])).toContain("FACT0 ");
    expect(h.summarizer.requests.length).toBeLessThanOrEqual(calls + 1);
  });
});
