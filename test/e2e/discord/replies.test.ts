import { afterEach, describe, expect, it } from "vitest";
import { type RestCall, replyTarget } from "../../fakes/discord/index.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";
import { promptText } from "../../helpers/harness.js";

const fences = (text: string) => text.split("\n").filter((line) => /^\s*```/.test(line)).length;
const content = (call: RestCall | undefined) => String(call?.body.content ?? "");

/** An answer of exactly `length` characters: a paragraph, then a long code block, then a closing line. */
function longAnswer(length: number): string {
  const head = "Here is the whole module you asked for.\n\n```ts\n";
  const tail = "\n```\nThat is all.";
  const lines: string[] = [];
  for (let i = 0; head.length + lines.join("\n").length + tail.length < length - 40; i++) {
    lines.push(`export const value${String(i).padStart(3, "0")} = ${i};`);
  }
  const body = lines.join("\n");
  return `${head}${body}${"/".repeat(length - head.length - body.length - tail.length)}${tail}`;
}

describe("Discord replies", () => {
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

  it("delivers a 4,500-character answer as 3 messages under 2,000 characters, code fences balanced in each", async () => {
    const answer = longAnswer(4500);
    expect(answer).toHaveLength(4500);
    h = await startDiscordBot({ answer: () => answer });
    const m = ask("write the module");
    expect(await h.handled(m.id)).toBe("answered");
    const posts = h.fake.posts(h.fake.world.channels.general);
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      expect(content(post).length).toBeLessThanOrEqual(2000);
      expect(fences(content(post)) % 2).toBe(0);
    }
    expect(replyTarget(posts[0])).toBe(m.id);
    expect(content(posts[1]).startsWith("```ts\n")).toBe(true);
    // Nothing lost: every line of the answer arrives, in order.
    const received = posts.map(content).join("\n");
    let at = 0;
    for (const line of answer.split("\n").filter((l) => l !== "```" && l !== "```ts")) {
      at = received.indexOf(line, at);
      expect(at).toBeGreaterThanOrEqual(0);
    }
  });

  it("posts an answer containing @everyone, a role and a user with every mention disabled", async () => {
    h = await startDiscordBot({
      answer: () =>
        `Sure! @everyone @here <@&${h.fake.world.roles.mod}> and <@${h.fake.world.users.bob.id}>, meeting at 3.`,
    });
    const m = ask("announce the meeting");
    const reply = await h.fake.replyTo(m.id);
    expect(content(reply)).toContain("@everyone");
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: true });
  });

  it("logs a 500 on the reply with the channel and the reason, then answers the next message", async () => {
    h = await startDiscordBot();
    const { channels } = h.fake.world;
    h.fake.failNext({ method: "POST", path: /^\/channels\/\d+\/messages$/, status: 500 });
    const first = ask("my locker is number 42");
    expect(await h.handled(first.id)).toBe("undelivered");
    const logged = h.logs.find((l) => l.msg === "Discord reply failed");
    expect(logged).toMatchObject({
      level: 40,
      channel: channels.general,
      guild: h.fake.world.guildId,
      status: 500,
    });
    expect(String(logged?.reason)).toMatch(/Internal Server Error|500/);
    const second = ask("what's my locker?");
    expect(content(await h.fake.replyTo(second.id))).toBe("reply 2");
    // The failed exchange kept the user's message, so the model still saw it.
    expect(promptText(h.requests.at(-1)?.messages ?? [])).toContain("my locker is number 42");
  });

  it("logs Discord's error code when the bot may not post in a channel, and never logs the token", async () => {
    h = await startDiscordBot();
    h.fake.failNext({
      method: "POST",
      path: /^\/channels\/\d+\/messages$/,
      status: 403,
      code: 50013,
      message: "Missing Permissions",
    });
    const m = ask("hello?");
    expect(await h.handled(m.id)).toBe("undelivered");
    expect(h.logs.find((l) => l.msg === "Discord reply failed")).toMatchObject({
      status: 403,
      code: 50013,
      reason: "Missing Permissions",
    });
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain(h.fake.token);
    expect(all).not.toContain(h.fake.token.split(".")[2]);
  });

  it("streams: posts a draft early, then edits it into the final answer", async () => {
    h = await startDiscordBot({
      settings: { streamReplies: true },
      editIntervalMs: 0,
      answer: async (request) => {
        request.onText?.("Once upon");
        // The model goes on only once Discord shows the draft: proof the first message was posted early.
        await h.fake.waitForCall(
          "the streamed draft",
          (c) => c.method === "POST" && content(c).startsWith("Once upon"),
        );
        request.onText?.("Once upon a time");
        return "Once upon a time, the end.";
      },
    });
    const m = ask("tell me a story");
    expect(await h.handled(m.id)).toBe("answered");
    const posts = h.fake.posts(h.fake.world.channels.general);
    expect(posts).toHaveLength(1);
    expect(replyTarget(posts[0])).toBe(m.id);
    const edits = h.fake.calls.filter((c) => c.method === "PATCH");
    expect(content(edits.at(-1))).toBe("Once upon a time, the end.");
    expect(edits.every((e) => (e.body.allowed_mentions as { parse: string[] }).parse.length === 0)).toBe(
      true,
    );
    const stored = [...h.fake.messages.values()].find(
      (msg) => msg.id === edits.at(-1)?.path.split("/").at(-1),
    );
    expect(stored?.content).toBe("Once upon a time, the end.");
  });
});
