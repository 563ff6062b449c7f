import { describe, expect, it } from "vitest";
import { formatStats } from "../../src/core/stats.js";
import { recordUsage } from "../../src/core/usage.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { newSession } from "../../src/store/session-record.js";
import { createHarness } from "../helpers/harness.js";

const open = () => createKeyvStore({ url: "memory://", namespace: `stats-${Math.random()}` });

describe("/memory stats", () => {
  it("estimates the window and buffer modes from the stored log, matching what window mode really sent", async () => {
    const h = await createHarness({ kv: await open(), settings: { defaultMode: "window", windowTurns: 2 } });
    for (let i = 0; i < 12; i++) await h.say("c", "ann", `message number ${i} with a few more words in it`);
    const sent = h.model.requests.length;
    const average = Math.round(
      h.model.requests.reduce(
        (n, r) => n + r.messages.reduce((m, x) => m + h.countTokens(x.content) + 4, 3),
        0,
      ) / sent,
    );
    const stats = await h.command("c", "stats");
    expect(stats).toContain(`Average reply prompt: ${average} tokens`);
    const match = stats.match(
      /Other modes, estimated from the 12 answered turns still stored \(reply prompts only, no summaries\): buffer about (\d+) tokens a reply, window \(k=2\) about (\d+); this channel averaged (\d+)\./,
    );
    expect(match?.[2]).toBe(String(average));
    expect(match?.[3]).toBe(String(average));
    // Buffer mode carries every earlier turn: more than a window of two.
    expect(Number(match?.[1])).toBeGreaterThan(average);
    // The harness model is unpriced, so no dollars are claimed for it.
    expect(stats).not.toMatch(/Prompt cost per 1,000 replies/);
    expect(stats).toMatch(/recording: 12 calls, \d+ \+ \d+ tokens, cost unknown \(no price for recording\)/);
    expect(stats).toMatch(/Figures: estimated with the local tokenizer/);
  });

  it("prices the estimate at the reply model's list price when it has one", async () => {
    const h = await createHarness({
      kv: await open(),
      settings: { prices: { recording: { input: 1000, output: 0 } } },
    });
    for (let i = 0; i < 3; i++) await h.say("c", "ann", `hello ${i}`);
    expect(await h.command("c", "stats")).toMatch(
      /Prompt cost per 1,000 replies at recording prices: buffer \$\d+\.\d\d, window \$\d+\.\d\d, this channel \$\d+\.\d\d\./,
    );
  });

  it("shows nothing estimated for a channel without answers", async () => {
    const h = await createHarness({ kv: await open() });
    const stats = await h.command("quiet", "stats");
    expect(stats).toMatch(/^Model calls: 0\n/);
    expect(stats).not.toMatch(/Other modes/);
    expect(stats).toMatch(/Figures: no model calls recorded yet\./);
    expect(stats).toMatch(/All time: 0 tokens \(0 prompt \+ 0 completion\) in 0 calls/);
  });

  it("never shows $0.00 for a model with no price that was used for several purposes", () => {
    const at = Date.UTC(2026, 0, 1, 12);
    const session = newSession(at);
    const call = { promptTokens: 100, completionTokens: 20, source: "provider" as const };
    recordUsage(session.usage, "reply", call, { model: "llama3.1:8b", at });
    recordUsage(session.usage, "summary", call, { model: "llama3.1:8b", at });
    const stats = formatStats(session, { now: at, prices: { "gpt-4o-mini": { input: 0.15, output: 0.6 } } });
    expect(stats).toContain("llama3.1:8b: 2 calls, 200 + 40 tokens, cost unknown (no price for llama3.1:8b)");
    expect(stats).toMatch(/All time: 240 tokens .* in 2 calls, cost unknown \(no price for llama3\.1:8b\)/);
    expect(stats).not.toContain("$0.00");
    // Once a priced model is used too, its dollars show and the unpriced one is named.
    recordUsage(session.usage, "reply", call, { model: "gpt-4o-mini", at });
    expect(
      formatStats(session, { now: at, prices: { "gpt-4o-mini": { input: 0.15, output: 0.6 } } }),
    ).toMatch(/All time: .*, about \$0\.000027 \(no price for llama3\.1:8b\)/);
  });
});
