import { afterEach, describe, expect, it } from "vitest";
import { appMention, eventCallback, message } from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import {
  promptOf,
  type RigOptions,
  SIGNING_SECRET,
  type SlackRig,
  startSlackRig,
} from "../helpers/slack-rig.js";

const rigs: SlackRig[] = [];
const start = async (options: Omit<RigOptions, "mode"> = {}) => {
  const rig = await startSlackRig({ mode: "http", ...options });
  rigs.push(rig);
  return rig;
};
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.stop()));
});

describe("Slack over HTTP: mentions", () => {
  it("answers a signed mention in its thread, with that channel's earlier turns and no other channel's", async () => {
    const rig = await start();
    const { fake } = rig;
    await rig.mention({ channel: "C0ALPHA", text: `<@${fake.botUserId}> the alpha secret is PELICAN` });
    await rig.mention({
      channel: "C0BETA",
      user: "U0BOB",
      text: `<@${fake.botUserId}> the beta secret is WALRUS`,
    });
    const ask = appMention(fake.team, {
      channel: "C0ALPHA",
      text: `<@${fake.botUserId}> what is the secret?`,
    });
    expect(await rig.postEvent(eventCallback(fake.team, fake.botUserId, ask))).toBe(200);

    const prompt = promptOf(rig.model, 3);
    expect(prompt).toContain("PELICAN");
    expect(prompt).not.toContain("WALRUS");
    expect(prompt).toContain("ann");
    expect(prompt).not.toContain(`<@${fake.botUserId}>`);
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(3);
    expect(posts[2]?.args).toMatchObject({ channel: "C0ALPHA", thread_ts: ask.ts, text: "reply 3" });
    expect(posts[2]?.token).toBe(fake.botToken);
  });
});

describe("Slack over HTTP: what is answered", () => {
  it("refuses a bad signature and a stale timestamp with 401 and answers neither", async () => {
    const rig = await start();
    const { fake } = rig;
    const body = eventCallback(fake.team, fake.botUserId, appMention(fake.team, { text: "<@U0BOT> hi" }));
    expect(await rig.postEvent(body, { signature: `v0=${"0".repeat(64)}` })).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect(await rig.postEvent(body, { timestampSec: sixMinutesAgo })).toBe(401);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(0);
    expect(rig.model.requests).toHaveLength(0);
  });

  it("answers Slack's URL check, rejects a malformed body with 400, and keeps serving", async () => {
    const rig = await start();
    const url = `http://127.0.0.1:${rig.adapter.port()}/slack/events`;
    const signed = { secret: SIGNING_SECRET, contentType: "application/json" } as const;
    const check = await postSigned(
      url,
      JSON.stringify({ type: "url_verification", challenge: "c-123" }),
      signed,
    );
    expect(check).toEqual({ status: 200, body: JSON.stringify({ challenge: "c-123" }) });
    expect((await postSigned(url, "{not json", signed)).status).toBe(400);
    expect(await rig.postEvent({ type: "event_callback", event: { type: "app_mention" } })).toBe(200);
    await rig.mention({ text: "<@U0BOT> still fine?" });
    expect(rig.outcomes).toEqual(["answered"]);
  });

  it("answers a retried event once", async () => {
    const rig = await start();
    const { fake } = rig;
    const body = eventCallback(fake.team, fake.botUserId, appMention(fake.team, { text: "<@U0BOT> once?" }));
    expect(await rig.postEvent(body)).toBe(200);
    expect(await rig.postEvent(body, { retryNum: 1 })).toBe(200);
    expect(await rig.postEvent(body, { retryNum: 2 })).toBe(200);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    expect(rig.outcomes).toEqual(["answered", "duplicate", "duplicate"]);
  });

  it("answers a mention that arrives as both app_mention and message once", async () => {
    const rig = await start();
    const { fake } = rig;
    const mention = appMention(fake.team, { text: "<@U0BOT> twice?" });
    const twin = message(fake.team, { text: mention.text, ts: mention.ts });
    await rig.postEvent(eventCallback(fake.team, fake.botUserId, twin));
    await rig.postEvent(eventCallback(fake.team, fake.botUserId, mention));
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    expect(rig.outcomes).toEqual(["answered", "duplicate"]);
  });

  it("answers DMs in the DM and every message of a free channel; other channel chatter is not addressed", async () => {
    const rig = await start({ settings: { freeChannels: ["C0FREE"] } });
    const { fake } = rig;
    const dm = message(fake.team, { channel: "D0ANN", channel_type: "im", text: "hello in private" });
    const free = message(fake.team, { channel: "C0FREE", text: "no mention needed here" });
    const chatter = message(fake.team, { channel: "C0GENERAL", text: "people talking" });
    for (const event of [dm, free, chatter])
      await rig.postEvent(eventCallback(fake.team, fake.botUserId, event));
    const posts = fake.callsOf("chat.postMessage");
    expect(posts.map((p) => p.args.channel)).toEqual(["D0ANN", "C0FREE"]);
    expect(posts[0]?.args.thread_ts).toBeUndefined();
    expect(posts[1]?.args.thread_ts).toBe(free.ts);
    expect(rig.outcomes).toEqual(["answered", "answered", "ignored"]);
  });

  it("never answers its own posts or other bots", async () => {
    const rig = await start({ settings: { freeChannels: ["C0FREE"] } });
    const { fake } = rig;
    const own = message(fake.team, {
      channel: "C0FREE",
      user: fake.botUserId,
      bot_id: fake.botId,
      text: "reply 1",
    });
    const other = message(fake.team, {
      channel: "C0FREE",
      user: "U0OTHERBOT",
      bot_id: "B0OTHER",
      text: "beep",
    });
    const legacy = message(fake.team, {
      channel: "C0FREE",
      subtype: "bot_message",
      bot_id: "B0OLD",
      text: "hi",
    });
    const edited = message(fake.team, { channel: "C0FREE", subtype: "message_changed", text: "edit" });
    for (const event of [own, other, legacy, edited])
      expect(await rig.postEvent(eventCallback(fake.team, fake.botUserId, event))).toBe(200);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(0);
    expect(rig.outcomes).toEqual([]);
  });

  it("keeps threads apart with MEMORY_SCOPE=thread, and channels together by default", async () => {
    const rig = await start({ bot: { scope: "thread" } });
    const { fake } = rig;
    const first = appMention(fake.team, { text: "<@U0BOT> thread one word is HERON" });
    await rig.postEvent(eventCallback(fake.team, fake.botUserId, first));
    await rig.mention({ text: "<@U0BOT> in thread one: what is the word?", thread_ts: first.ts });
    await rig.mention({ text: "<@U0BOT> new thread: what is the word?" });
    expect(promptOf(rig.model, 2)).toContain("HERON");
    expect(promptOf(rig.model, 3)).not.toContain("HERON");
    expect(fake.callsOf("chat.postMessage")[1]?.args.thread_ts).toBe(first.ts);

    const channelScoped = await start();
    await channelScoped.mention({ text: "<@U0BOT> word is OSPREY" });
    await channelScoped.mention({ text: "<@U0BOT> another thread: the word?" });
    expect(promptOf(channelScoped.model, 2)).toContain("OSPREY");
  });
});

describe("Slack over HTTP: what is posted", () => {
  it("neutralises <!channel>, @here and user mentions from the model", async () => {
    const rig = await start();
    rig.model.answer = () =>
      "<!channel> **look** @here, <!everyone> and <@U0BOB>: see <https://example.com|this>";
    await rig.mention({ text: "<@U0BOT> ping everyone please" });
    const [post] = rig.fake.callsOf("chat.postMessage");
    const text = post?.args.text ?? "";
    expect(text).not.toMatch(/<!|<@/);
    expect(text).not.toMatch(/(^|[^\w])@(here|channel|everyone)\b/);
    expect(text).toContain("*look*");
    expect(text).toContain("this (<https://example.com>)");
  });

  it("splits a long answer into thread messages under Slack's limit", async () => {
    const rig = await start();
    const paragraph = `${"word ".repeat(199)}end.`;
    rig.model.answer = () => Array.from({ length: 9 }, () => paragraph).join("\n\n");
    const ask = appMention(rig.fake.team, { text: "<@U0BOT> write a lot" });
    await rig.postEvent(eventCallback(rig.fake.team, rig.fake.botUserId, ask));
    const posts = rig.fake.callsOf("chat.postMessage");
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) {
      expect(post.args.text?.length).toBeLessThanOrEqual(3_500);
      expect(post.args.thread_ts).toBe(ask.ts);
    }
    expect(
      posts
        .map((p) => p.args.text)
        .join("")
        .replace(/\s/g, ""),
    ).toBe((rig.model.answer(rig.model.requests[0] as never, 1) as string).replace(/\s/g, ""));
  });

  it("streams with chat.update no more than once a second, ending with the whole answer", async () => {
    const rig = await start({ settings: { streamReplies: true } });
    rig.model.stream = { parts: ["The", "The answer", "The answer is", "The answer is forty"], pauseMs: 400 };
    rig.model.answer = () => "The answer is forty-two.";
    await rig.mention({ text: "<@U0BOT> stream it" });
    const posts = rig.fake.callsOf("chat.postMessage");
    const updates = rig.fake.callsOf("chat.update");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.text).toMatch(/^The …$/);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.at(-1)?.args).toMatchObject({
      ts: posts[0]?.result?.ts,
      text: "The answer is forty-two.",
    });
    const streamed = [posts[0], ...updates.slice(0, -1)].map((c) => c?.at ?? 0);
    for (let i = 1; i < streamed.length; i++)
      expect((streamed[i] ?? 0) - (streamed[i - 1] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("retries a 429 after its Retry-After, and survives a 500 with a log line", async () => {
    const rig = await start();
    const { fake } = rig;
    fake.failNext("chat.postMessage", { status: 429, retryAfter: "1" });
    await rig.mention({ text: "<@U0BOT> rate limited?" });
    expect(fake.callsOf("chat.postMessage").map((c) => c.args.text)).toEqual(["reply 1", "reply 1"]);
    expect(rig.outcomes).toEqual(["answered"]);

    fake.failNext("chat.postMessage", { status: 500 }, { status: 500 }, { status: 500 });
    await rig.mention({ text: "<@U0BOT> server error?" });
    expect(rig.outcomes).toEqual(["answered", "undelivered"]);
    expect(rig.logs.some((l) => l.level === 40 && /could not be delivered/.test(String(l.msg)))).toBe(true);

    await rig.mention({ text: "<@U0BOT> still there?" });
    expect(rig.outcomes.at(-1)).toBe("answered");
    expect(fake.callsOf("chat.postMessage").at(-1)?.args.text).toBe("reply 3");
  });
});
