import { describe, expect, it } from "vitest";
import { CHANNEL_BUSY_REPLY, type OutgoingReply } from "../../src/core/bot.js";
import type { ChatEvent } from "../../src/core/events.js";
import type { ChatModelPort } from "../../src/core/llm.js";
import { createHarness } from "../helpers/harness.js";
import { STORE_KINDS, storeAvailable, storeFixture, storeShared, storesPerTest } from "../helpers/stores.js";

const event = (id: string, text = "hello"): ChatEvent => ({
  kind: "message",
  id,
  platform: "slack",
  workspace: "T1",
  channel: "C1",
  user: { id: "U1", name: "ann", isBot: false },
  isAdmin: true,
  text,
  addressed: true,
});

const collector = () => {
  const sent: OutgoingReply[] = [];
  return { sent, outbox: { send: async (r: OutgoingReply) => void sent.push(r) } };
};

describe.each(STORE_KINDS)("duplicate deliveries on the %s store", (kind) => {
  const stores = storesPerTest(kind);

  it.skipIf(!storeAvailable(kind))(
    "two bots sharing the store answer one event id once, in parallel",
    async () => {
      const fixture = stores.fixture();
      // Redis: two connections, as two bot processes have. SQLite and memory belong to one process,
      // so the two bots share that process's store.
      const kv = await fixture.open();
      const kvTwo = storeShared(kind) ? await fixture.open() : kv;
      const one = await createHarness({ kv, dedup: true });
      const two = await createHarness({ kv: kvTwo, dedup: true });
      const a = collector();
      const b = collector();
      const outcomes = await Promise.all([
        one.bot.handle(event("Ev1"), a.outbox),
        two.bot.handle(event("Ev1"), b.outbox),
        one.bot.handle(event("Ev1"), a.outbox),
      ]);
      expect(outcomes.filter((o) => o === "answered")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
      expect(a.sent.length + b.sent.length).toBe(1);
      expect(one.model.requests.length + two.model.requests.length).toBe(1);
      // A different id is a different event.
      expect(await two.bot.handle(event("Ev2"), b.outbox)).toBe("answered");
      await Promise.all([kv.close(), kvTwo.close()]);
    },
  );
});

it("handles the event when the duplicate check itself fails (fail open)", async () => {
  const fixture = storeFixture("memory");
  const kv = await fixture.open();
  const broken = {
    ...kv,
    setIfAbsent: () => Promise.reject(new Error("redis down")),
  };
  const h = await createHarness({ kv: broken, dedup: true });
  const c = collector();
  expect(await h.bot.handle(event("Ev9"), c.outbox)).toBe("answered");
  expect(c.sent).toHaveLength(1);
});

describe.skipIf(!storeAvailable("redis"))("a redelivery while another process holds the channel", () => {
  const stores = storesPerTest("redis");

  it("is dropped silently, while a new message gets the busy notice", async () => {
    const fixture = stores.fixture();
    // Two processes: a connection each, and the lock their store brings (a short wait for the channel).
    const timings = { lock: { leaseMs: 2_000, waitMs: 150 } };
    const [processOne, processTwo] = [await fixture.openStore(timings), await fixture.openStore(timings)];
    const [kvOne, kvTwo] = [processOne.kv, processTwo.kv];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: ChatModelPort = {
      model: "slow",
      async invoke() {
        await held;
        return {
          text: "done",
          model: "slow",
          usage: { promptTokens: 1, completionTokens: 1, source: "estimate" },
        };
      },
    };
    const one = await createHarness({
      kv: kvOne,
      dedup: true,
      llm: slow,
      coordination: processOne.coordination,
    });
    const two = await createHarness({ kv: kvTwo, dedup: true, coordination: processTwo.coordination });
    const a = collector();
    const b = collector();
    const first = one.bot.handle(event("Ev1", "a long question"), a.outbox);
    await new Promise((r) => setTimeout(r, 50));
    // Slack delivers Ev1 again to the other process while the first is still answering it.
    expect(await two.bot.handle(event("Ev1", "a long question"), b.outbox)).toBe("duplicate");
    expect(b.sent).toEqual([]);
    expect(await two.bot.handle(event("Ev2", "another question"), b.outbox)).toBe("busy");
    expect(b.sent.map((r) => r.text)).toEqual([CHANNEL_BUSY_REPLY]);
    release();
    expect(await first).toBe("answered");
    await Promise.all([kvOne.close(), kvTwo.close()]);
  });
});
