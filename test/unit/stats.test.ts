import { describe, expect, it } from "vitest";
import { createKeyvStore } from "../../src/store/keyv-store.js";
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
});
