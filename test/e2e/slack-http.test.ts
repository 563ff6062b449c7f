import { afterEach, describe, expect, it } from "vitest";
import { appMention, eventCallback, message } from "../fakes/slack/payloads.js";
import { promptOf, type RigOptions, type SlackRig, startSlackRig } from "../helpers/slack-rig.js";

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
