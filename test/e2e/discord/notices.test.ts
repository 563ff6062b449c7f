import { afterEach, describe, expect, it } from "vitest";
import { type RestCall, replyTarget } from "../../fakes/discord/index.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";

const content = (call: RestCall | undefined) => String(call?.body.content ?? "");
const mentions = (call: RestCall | undefined) =>
  call?.body.allowed_mentions as { parse: string[]; replied_user?: boolean } | undefined;
/** The answer is 4,500 characters: three messages, so a notice synced into them would delete two. */
const LONG_ANSWER = Array.from(
  { length: 90 },
  (_, i) => `Line ${i} of the answer, long enough to count.`,
).join("\n");

describe("Discord notices are messages of their own", () => {
  let h: DiscordBotHarness;
  afterEach(async () => h.stop());

  const ask = (text: string) => {
    const { users, channels } = h.fake.world;
    return h.fake.say({
      from: users.alice,
      channel: channels.general,
      content: `<@${users.bot.id}> ${text}`,
    });
  };
  const edits = () => h.fake.calls.filter((c) => c.method === "PATCH" || c.method === "DELETE");

  it("posts the daily-budget notice after the answer that crossed the budget, leaving every answer message as it was", async () => {
    h = await startDiscordBot({ answer: () => LONG_ANSWER, bot: { dailyTokenBudget: 50 } });
    const m = ask("tell me everything");
    expect(await h.handled(m.id)).toBe("answered");
    const posts = h.fake.posts(h.fake.world.channels.general);
    expect(posts.length).toBeGreaterThanOrEqual(3);
    const answer = posts.slice(0, -1).map(content).join("\n");
    expect(answer).toContain("Line 0 of the answer");
    expect(answer).toContain("Line 89 of the answer");
    expect(content(posts.at(-1))).toMatch(/^This channel has used its daily token budget/);
    expect(edits()).toEqual([]);
    // The notice is a reply to the same message that pings nobody, not even the asker a second time.
    expect(replyTarget(posts.at(-1))).toBe(m.id);
    expect(mentions(posts.at(-1))).toEqual({ parse: [], replied_user: false });
  });

  it("posts the note about a cut message apart from the answer", async () => {
    h = await startDiscordBot({ answer: () => "short answer", bot: { maxInputChars: 100 } });
    const m = ask("x".repeat(300));
    expect(await h.handled(m.id)).toBe("answered");
    const posts = h.fake.posts(h.fake.world.channels.general);
    expect(posts.map(content)).toEqual([
      "short answer",
      "(Your message was longer than 100 characters; I only read the first 100.)",
    ]);
    expect(edits()).toEqual([]);
  });

  it("with streaming, a notice after the answer leaves the streamed answer's final text in place", async () => {
    h = await startDiscordBot({
      settings: { streamReplies: true },
      editIntervalMs: 0,
      bot: { dailyTokenBudget: 10 },
      answer: async (request) => {
        request.onText?.("Partial");
        await h.fake.waitForCall("the draft", (c) => c.method === "POST" && content(c).startsWith("Partial"));
        return "The whole streamed answer.";
      },
    });
    const m = ask("stream it");
    expect(await h.handled(m.id)).toBe("answered");
    const posts = h.fake.posts(h.fake.world.channels.general);
    expect(posts).toHaveLength(2);
    const patches = h.fake.calls.filter((c) => c.method === "PATCH");
    expect(content(patches.at(-1))).toBe("The whole streamed answer.");
    expect(patches.every((p) => !content(p).includes("budget"))).toBe(true);
    expect(content(posts[1])).toMatch(/daily token budget/);
  });
});
