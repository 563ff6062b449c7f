import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../src/core/events.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { storeFixture } from "../helpers/stores.js";

const listening = async (listen: "all" | "mentions") =>
  createHarness({ kv: await storeFixture("memory").open(), settings: { defaultMode: "buffer", listen } });

describe("MEMORY_LISTEN", () => {
  it("all: records what the channel says with its speaker, without replying or calling the model", async () => {
    const h = await listening("all");
    await h.overhear("ops", "carol", "the deploy moved to Friday 16:00");
    await h.overhear("ops", "dave", "ok, I'll tell the testers");
    expect(h.replies).toHaveLength(0);
    expect(h.model.requests).toHaveLength(0);
    await h.say("ops", "erin", "what was said about the deploy?");
    const messages = h.model.requests[0]?.messages ?? [];
    expect(messages.slice(1).map((m) => `${m.role} ${m.content}`)).toEqual([
      "user carol: the deploy moved to Friday 16:00",
      "user dave: ok, I'll tell the testers",
      "user erin: what was said about the deploy?",
    ]);
    expect(await h.command("ops", "/memory show")).toContain("Turns stored: 3");
  });

  it("mentions (the default): ignores messages not addressed to the bot", async () => {
    const h = await listening("mentions");
    await h.overhear("ops", "carol", "the deploy moved to Friday");
    await h.say("ops", "erin", "what was said about the deploy?");
    expect(promptText(h.model.requests[0]?.messages ?? [])).not.toContain("Friday");
    expect(await h.command("ops", "/memory show")).toContain("Turns stored: 1");
  });

  it("never records bots, empty messages or another channel's talk", async () => {
    const h = await listening("all");
    const bot = { id: "B1", name: "otherbot", isBot: true };
    const base = { id: "x1", platform: "console", workspace: "w1", channel: "ops", isAdmin: false } as const;
    const outcome = await h.bot.handle(
      { ...base, kind: "message", user: bot, text: "I am a bot", addressed: false } as ChatEvent,
      { send: async () => {} },
    );
    expect(outcome).toBe("ignored");
    await h.overhear("ops", "carol", "   ");
    await h.overhear("elsewhere", "zed", "secret plan ORCA");
    await h.say("ops", "erin", "anything?");
    expect(promptText(h.model.requests[0]?.messages ?? [])).not.toMatch(/I am a bot|ORCA/);
    expect(await h.command("ops", "/memory show")).toContain("Turns stored: 1");
  });

  it("answers a probe without remembering it", async () => {
    const h = await listening("all");
    await h.say("ops", "erin", "first");
    await h.say("ops", "erin", "a probe QUOKKA", { remember: false } as Partial<ChatEvent>);
    await h.say("ops", "erin", "second");
    expect(promptText(h.model.requests[2]?.messages ?? [])).not.toContain("QUOKKA");
    expect(await h.command("ops", "/memory show")).toContain("Turns stored: 2");
  });
});
