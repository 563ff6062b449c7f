import { afterEach, describe, expect, it } from "vitest";
import { eventCallback, message } from "../fakes/slack/payloads.js";
import { type RigOptions, type SlackRig, startSlackRig } from "../helpers/slack-rig.js";

const rigs: SlackRig[] = [];
const start = async (options: Omit<RigOptions, "mode">) => {
  const rig = await startSlackRig({ mode: "http", ...options });
  rigs.push(rig);
  return rig;
};
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.stop()));
});

describe("Slack notices are messages of their own", () => {
  it("streams the answer, then posts the budget notice as a new thread message without touching the answer", async () => {
    const rig = await start({ settings: { streamReplies: true }, bot: { dailyTokenBudget: 10 } });
    rig.model.stream = { parts: ["The", "The answer"], pauseMs: 300 };
    rig.model.answer = () => "The answer is forty-two.";
    await rig.mention({ text: "<@U0BOT> stream it" });
    const posts = rig.fake.callsOf("chat.postMessage");
    const updates = rig.fake.callsOf("chat.update");
    expect(posts).toHaveLength(2);
    expect(updates.at(-1)?.args).toMatchObject({
      ts: posts[0]?.result?.ts,
      text: "The answer is forty-two.",
    });
    expect(updates.every((u) => !String(u.args.text).includes("budget"))).toBe(true);
    expect(posts[1]?.args.text).toMatch(/^This channel has used its daily token budget/);
    expect(posts[1]?.args.thread_ts).toBe(posts[0]?.args.thread_ts);
  });

  it("posts the note about a cut message after the answer", async () => {
    const rig = await start({ bot: { maxInputChars: 100 } });
    rig.model.answer = () => "short answer";
    await rig.mention({ text: `<@U0BOT> ${"y".repeat(300)}` });
    expect(rig.fake.callsOf("chat.postMessage").map((p) => p.args.text)).toEqual([
      "short answer",
      "(Your message was longer than 100 characters; I only read the first 100.)",
    ]);
  });
});

describe("Slack group DMs (message.mpim, subscribed in slack-manifest.yml)", () => {
  it("answers a mention in a group DM in its thread and leaves the group's other chatter alone", async () => {
    const rig = await start({});
    const { fake } = rig;
    const chatter = message(fake.team, { channel: "G0GROUP", channel_type: "mpim", text: "lunch at noon?" });
    const asked = message(fake.team, {
      channel: "G0GROUP",
      channel_type: "mpim",
      text: `<@${fake.botUserId}> when is lunch?`,
    });
    for (const event of [chatter, asked])
      await rig.postEvent(eventCallback(fake.team, fake.botUserId, event));
    const posts = fake.callsOf("chat.postMessage");
    expect(posts.map((p) => [p.args.channel, p.args.thread_ts])).toEqual([["G0GROUP", asked.ts]]);
    expect(rig.outcomes).toEqual(["ignored", "answered"]);
  });
});
