import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../src/adapters/slack/index.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { appMention, eventCallback } from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import { createHarness } from "../helpers/harness.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";
import { SIGNING_SECRET, type SlackRig, startSlackRig } from "../helpers/slack-rig.js";

const rigs: SlackRig[] = [];
const fakes: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.stop()));
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

describe("Slack adapter under load and failure", () => {
  it("acknowledges a slash command at once while the channel is busy, and answers it after", async () => {
    const rig = await startSlackRig({ mode: "http" });
    rigs.push(rig);
    let release: () => void = () => {};
    rig.model.gate = new Promise((resolve) => {
      release = resolve;
    });
    const { fake } = rig;
    const mention = appMention(fake.team, { text: "<@U0BOT> think slowly" });
    const url = `http://127.0.0.1:${rig.adapter.port()}/slack/events`;
    const eventPost = postSigned(url, JSON.stringify(eventCallback(fake.team, fake.botUserId, mention)), {
      secret: SIGNING_SECRET,
      contentType: "application/json",
    });
    expect((await eventPost).status).toBe(200);
    const form = new URLSearchParams({
      command: "/memory",
      text: "stats",
      team_id: fake.team,
      channel_id: "C0GENERAL",
      user_id: "U0ANN",
      user_name: "ann",
      trigger_id: "trigger-busy",
      response_url: fake.responseUrl("busy"),
      api_app_id: "A0FAKE",
    });
    const ack = await postSigned(url, form.toString(), {
      secret: SIGNING_SECRET,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(ack.status).toBe(200);
    // Acknowledged while the model still holds the channel: nothing answered yet.
    expect(fake.responses).toHaveLength(0);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(0);
    release();
    await rig.adapter.idle();
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    expect(fake.responses[0]?.body.text).toMatch(/Model calls: 1/);
  });

  it.skipIf(!TEST_REDIS_URL)(
    "answers an event delivered to two bot processes sharing Redis once",
    async () => {
      const url = TEST_REDIS_URL as string;
      const namespace = testNamespace("slack2");
      const fake = await new FakeSlack().start();
      fakes.push(fake);
      try {
        const [kvA, kvB] = await Promise.all([
          createKeyvStore({ url, namespace }),
          createKeyvStore({ url, namespace }),
        ]);
        const a = await startSlackRig({ mode: "http", fake, kv: kvA });
        const b = await startSlackRig({ mode: "http", fake, kv: kvB });
        rigs.push(a, b);
        const body = eventCallback(
          fake.team,
          fake.botUserId,
          appMention(fake.team, { text: "<@U0BOT> who answers?" }),
        );
        const statuses = await Promise.all([a.postEvent(body), b.postEvent(body, { retryNum: 1 })]);
        expect(statuses).toEqual([200, 200]);
        expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
        expect([...a.outcomes, ...b.outcomes].sort()).toEqual(["answered", "duplicate"]);
        await Promise.all([kvA.close(), kvB.close()]);
      } finally {
        await dropNamespace(url, namespace);
      }
    },
  );

  it("refuses to start with a token Slack rejects, naming the check and not the token", async () => {
    const fake = await new FakeSlack().start();
    fakes.push(fake);
    const kv = await createKeyvStore({ url: "memory://", namespace: "t" });
    const h = await createHarness({ kv });
    const adapter = createSlackAdapter({
      bot: h.bot,
      logger: pino({ level: "silent" }),
      retryConfig: { retries: 0 },
      settings: {
        botToken: "xoxb-wrong-token",
        signingSecret: SIGNING_SECRET,
        apiUrl: fake.apiUrl,
        port: 0,
        freeChannels: [],
        streamReplies: false,
      },
    });
    const error = await adapter.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/SLACK_BOT_TOKEN.*auth\.test.*invalid_auth/);
    expect(error?.message).not.toContain("xoxb-wrong-token");
    expect(adapter.connected()).toBe(false);
  });

  it("refuses to start Socket Mode with an app token Slack rejects, naming the setting", async () => {
    const fake = await new FakeSlack().start();
    fakes.push(fake);
    const kv = await createKeyvStore({ url: "memory://", namespace: "t" });
    const h = await createHarness({ kv });
    const adapter = createSlackAdapter({
      bot: h.bot,
      logger: pino({ level: "silent" }),
      settings: {
        botToken: fake.botToken,
        appToken: "xapp-wrong-token",
        apiUrl: fake.apiUrl,
        port: 0,
        freeChannels: [],
        streamReplies: false,
      },
    });
    const error = await adapter.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/Socket Mode did not connect.*SLACK_APP_TOKEN.*invalid_auth/);
    expect(error?.message).not.toContain("xapp-wrong-token");
    expect(adapter.connected()).toBe(false);
    await adapter.stop();
  });
});
