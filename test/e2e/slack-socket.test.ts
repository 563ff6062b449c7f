import { afterEach, describe, expect, it, vi } from "vitest";
import { appMention, eventCallback } from "../fakes/slack/payloads.js";
import { type SlackRig, startSlackRig } from "../helpers/slack-rig.js";

const rigs: SlackRig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.stop()));
});

describe("Slack over Socket Mode", () => {
  it("connects with the app token, acknowledges a mention and answers it in its thread", async () => {
    const rig = await startSlackRig({ mode: "socket" });
    rigs.push(rig);
    const { fake } = rig;
    await fake.socket.connected();
    expect(rig.adapter.connected()).toBe(true);
    expect(rig.adapter.port()).toBeUndefined();
    expect(fake.callsOf("apps.connections.open").map((c) => c.token)).toEqual([fake.appToken]);

    const mention = appMention(fake.team, { text: `<@${fake.botUserId}> hello over the socket` });
    const ack = await fake.socket.push("events_api", eventCallback(fake.team, fake.botUserId, mention), {
      envelopeId: "env-1",
    });
    expect(ack.envelope_id).toBe("env-1");
    await vi.waitFor(() => expect(fake.callsOf("chat.postMessage")).toHaveLength(1));
    expect(fake.callsOf("chat.postMessage")[0]?.args).toMatchObject({
      thread_ts: mention.ts,
      text: "reply 1",
    });
    expect(rig.model.requests[0]?.messages.at(-1)?.content).toContain("hello over the socket");

    await rig.adapter.stop();
    expect(rig.adapter.connected()).toBe(false);
  });

  it("answers an envelope Slack sends again (retry_attempt) once", async () => {
    const rig = await startSlackRig({ mode: "socket" });
    rigs.push(rig);
    const { fake } = rig;
    await fake.socket.connected();
    const body = eventCallback(fake.team, fake.botUserId, appMention(fake.team, { text: "<@U0BOT> once" }));
    await fake.socket.push("events_api", body);
    await vi.waitFor(() => expect(rig.outcomes).toEqual(["answered"]));
    await fake.socket.push("events_api", body, { retryAttempt: 1, retryReason: "timeout" });
    await vi.waitFor(() => expect(rig.outcomes).toEqual(["answered", "duplicate"]));
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
  });
});
