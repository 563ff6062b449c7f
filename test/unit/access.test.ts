import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createAccessCheck } from "../../src/core/access.js";
import type { ChatEvent } from "../../src/core/events.js";
import type { BotObserver } from "../../src/core/observer.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { createHarness } from "../helpers/harness.js";

const memoryKv = () => createKeyvStore({ url: "memory://", namespace: "access" });

function rulesFrom(env: Record<string, string>) {
  const config = loadConfig(env);
  return createAccessCheck({
    allowedChannels: config.ALLOWED_CHANNELS,
    blockedUsers: config.BLOCKED_USERS,
    allowDms: config.ALLOW_DMS,
  });
}

async function rig(env: Record<string, string>) {
  const metrics = createMetrics();
  const h = await createHarness({
    kv: await memoryKv(),
    platform: "discord",
    deps: { access: rulesFrom(env), observer: metrics.observer as BotObserver },
  });
  const ignored = async (reason: string) =>
    (await metrics.registry.getSingleMetric("cmb_events_ignored_total")?.get())?.values.find(
      (v) => v.labels.reason === reason,
    )?.value ?? 0;
  return { h, ignored };
}

const user = (id: string) => ({ user: { id, name: id, isBot: false } }) as Partial<ChatEvent>;

describe("access rules", () => {
  it("answers only in ALLOWED_CHANNELS, and counts what it ignores", async () => {
    const { h, ignored } = await rig({ ALLOWED_CHANNELS: "discord:111, slack:C0123" });
    expect(await h.say("111", "ann", "hi")).toEqual(["reply 1"]);
    expect(await h.say("222", "ann", "hi")).toEqual([]);
    expect(await h.command("222", "/memory show")).toBe("");
    expect(h.model.requests).toHaveLength(1);
    expect(await ignored("channel-not-allowed")).toBe(2);
  });

  it("never answers or records a blocked user, in messages or commands", async () => {
    const { h, ignored } = await rig({ BLOCKED_USERS: "discord:666", MEMORY_LISTEN: "all" });
    expect(await h.say("c", "666", "hi", user("666"))).toEqual([]);
    await h.overhear("c", "666", "listen to me");
    expect(await h.command("c", "/memory reset", user("666"))).toBe("");
    expect(h.model.requests).toHaveLength(0);
    expect(await h.command("c", "/memory show")).toContain("Turns stored: 0");
    expect(await ignored("blocked-user")).toBe(3);
  });

  it("does not mix platforms: a Slack block does not touch the same id on Discord", async () => {
    const { h } = await rig({ BLOCKED_USERS: "slack:666" });
    expect(await h.say("c", "666", "hi", user("666"))).toEqual(["reply 1"]);
  });

  it("serves DMs by default, outside ALLOWED_CHANNELS, and drops them with ALLOW_DMS=false", async () => {
    const open = await rig({ ALLOWED_CHANNELS: "discord:111" });
    expect(await open.h.say("dm1", "ann", "hi", { isDirect: true })).toEqual(["reply 1"]);
    const closed = await rig({ ALLOW_DMS: "false" });
    expect(await closed.h.say("dm1", "ann", "hi", { isDirect: true })).toEqual([]);
    expect(await closed.h.say("c", "ann", "hi")).toEqual(["reply 1"]);
    expect(await closed.ignored("dms-off")).toBe(1);
  });

  it("lets a guild or team id allow all of its channels", () => {
    const check = rulesFrom({ ALLOWED_CHANNELS: "discord:900" });
    const event = {
      platform: "discord",
      workspace: "900",
      channel: "5",
      user: { id: "u", name: "u", isBot: false },
    } as const;
    expect(check(event)).toBeUndefined();
    expect(check({ ...event, workspace: "901" })).toBe("channel-not-allowed");
  });

  it("refuses ids without their platform, naming the variable", () => {
    expect(() => loadConfig({ ALLOWED_CHANNELS: "123456789012345678" })).toThrow(
      /ALLOWED_CHANNELS.*platform:id/,
    );
    expect(() => loadConfig({ BLOCKED_USERS: "discord:1,teams:2" })).toThrow(/BLOCKED_USERS/);
    expect(() => loadConfig({ ALLOW_DMS: "maybe" })).toThrow(/ALLOW_DMS/);
    expect(loadConfig({}).ALLOW_DMS).toBe(true);
  });
});
