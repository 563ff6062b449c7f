import { describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import type { ChatEvent } from "../../src/core/events.js";
import { SEGMENT_TURNS } from "../../src/store/channel-store.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { mapKv } from "../helpers/map-kv.js";

const as = (id: string, isAdmin = false) =>
  ({ user: { id, name: id, isBot: false }, isAdmin }) as Partial<ChatEvent>;
const KEY = channelKey({ platform: "console", workspace: "w1", channel: "c" });

async function chat(mode: string, turns: number) {
  const kv = mapKv();
  const h = await createHarness({
    kv,
    settings: { defaultMode: mode, maxPromptTokens: 1200 },
    memorySettings: { summaryTriggerTokens: 120, retrievalK: 4 },
  });
  for (let i = 0; i < turns; i++) {
    const who = i % 3 === 0 ? "eve" : "ann";
    const word = who === "eve" ? `EVESECRET${i}` : `annfact${i}`;
    await h.say("c", who, `note ${i}: my word is ${word}`, as(who));
  }
  return { h, kv };
}

describe("/memory forget-me", () => {
  it.each(["window", "summary", "summary-buffer", "retrieval"])(
    "in %s mode, deletes the caller's turns from the store, the summary and the index, and keeps the others'",
    async (mode) => {
      const { h, kv } = await chat(mode, 2 * SEGMENT_TURNS + 5);
      expect(kv.dump()).toContain("EVESECRET");
      const before = await h.store.load(KEY);
      const answer = await h.command("c", "/memory forget-me", as("eve"));
      expect(answer).toMatch(/^Forgot 45 of your messages/);
      expect(kv.dump()).not.toContain("EVESECRET");
      const after = await h.store.load(KEY);
      expect(after.next - after.first).toBe(before.next - before.first - 45);
      expect(after.first).toBeGreaterThanOrEqual(before.next);
      const kept = await h.store.reader(KEY, after).range(after.first, after.next);
      expect(kept.map((t) => t.user.id)).not.toContain("eve");
      expect(kept.at(-1)?.text).toContain("annfact131");
      // The next exchanges work and rebuild from what is left.
      await h.say("c", "ann", "what is my word for note 131?", as("ann"));
      await h.say("c", "ann", "and for note 1?", as("ann"));
      const prompt = promptText(h.model.requests.at(-1)?.messages ?? []);
      expect(prompt).not.toContain("EVESECRET");
      expect(prompt).toContain("annfact131");
      expect(kv.dump()).not.toContain("EVESECRET");
    },
  );

  it("tells a caller with nothing stored so, and changes nothing", async () => {
    const { h } = await chat("window", 4);
    const before = await h.store.load(KEY);
    expect(await h.command("c", "/memory forget-me", as("zed"))).toMatch(/nothing you said/);
    expect(await h.store.load(KEY)).toEqual(before);
  });

  it("forgets only in this channel", async () => {
    const { h, kv } = await chat("window", 3);
    await h.say("other", "eve", "elsewhere EVEOTHER", as("eve"));
    await h.command("c", "/memory forget-me", as("eve"));
    expect(kv.dump()).toContain("EVEOTHER");
  });

  it("empties the channel when the caller said everything", async () => {
    const { h, kv } = await chat("window", 1);
    expect(await h.command("c", "/memory forget-me", as("eve"))).toMatch(/^Forgot 1 of your messages /);
    expect(kv.dump()).not.toContain("EVESECRET");
    expect(await h.command("c", "/memory show")).toContain("Turns stored: 0");
  });
});

describe("/memory export", () => {
  it("gives admins the stored turns as JSON, privately", async () => {
    const { h } = await chat("window", 4);
    const answer = await h.command("c", "/memory export", as("boss", true));
    expect(h.replies.at(-1)?.ephemeral).toBe(true);
    expect(answer).toMatch(/^Memory export of this channel: 4 stored turns, as JSON\./);
    const json = answer.slice(answer.indexOf("```json\n") + 8, answer.lastIndexOf("```"));
    const turns = JSON.parse(json) as Array<{ user: { id: string }; text: string; reply?: string }>;
    expect(turns.map((t) => t.user.id)).toEqual(["eve", "ann", "ann", "eve"]);
    expect(turns[0]?.text).toBe("note 0: my word is EVESECRET0");
    expect(turns[0]?.reply).toBe("reply 1");
  });

  it("refuses non-admins", async () => {
    const { h } = await chat("window", 2);
    const answer = await h.command("c", "/memory export", as("ann"));
    expect(answer).toMatch(/Only channel admins may run \/memory export/);
    expect(answer).not.toContain("EVESECRET");
  });

  it("keeps the code block closed when someone wrote backticks, and caps the size", async () => {
    const kv = mapKv();
    const h = await createHarness({ kv });
    await h.say("c", "ann", "```\nbreak out\n```");
    for (let i = 0; i < 60; i++) await h.say("c", "ann", `long ${i} ${"lorem ipsum dolor ".repeat(30)}`);
    const answer = await h.command("c", "/memory export", as("boss", true));
    expect(answer.length).toBeLessThan(21_000);
    expect(answer).toMatch(/the oldest \d+ left out/);
    expect(answer.match(/```/g)).toHaveLength(2);
    expect(answer).toContain("long 59");
  });
});
