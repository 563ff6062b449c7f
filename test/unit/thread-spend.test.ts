import { afterAll, describe, expect, it } from "vitest";
import { createLocalThreadSpend, type ThreadSpend } from "../../src/core/thread-spend.js";
import { createKeyvStore, type KeyvStore } from "../../src/store/keyv-store.js";
import { createRedisThreadSpend } from "../../src/store/redis-thread-spend.js";
import { createHarness } from "../helpers/harness.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";

/** Adds 40 amounts from two writers at once: none may be lost. */
async function raced(a: ThreadSpend, b: ThreadSpend): Promise<number> {
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).add("slack:T1:C1", "2026-01-02", i + 1)),
  );
  return a.get("slack:T1:C1", "2026-01-02");
}

describe("threads' spend per channel and day", () => {
  it("adds up every write in one process and keeps days and channels apart", async () => {
    const kv = await createKeyvStore({ url: "memory://", namespace: testNamespace("spend") });
    const spend = createLocalThreadSpend(kv);
    expect(await raced(spend, spend)).toBe(820);
    expect(await spend.get("slack:T1:C1", "2026-01-03")).toBe(0);
    expect(await spend.get("slack:T1:C2", "2026-01-02")).toBe(0);
  });
});

describe.runIf(TEST_REDIS_URL)("threads' spend on Redis", () => {
  const namespace = testNamespace("spend");
  const stores: KeyvStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    if (TEST_REDIS_URL) await dropNamespace(TEST_REDIS_URL, namespace);
  });
  /** A store connection of its own, as a second bot process has, and the threads' spend on it. */
  const open = async () => {
    const kv = await createKeyvStore({ url: TEST_REDIS_URL as string, namespace });
    stores.push(kv);
    if (!kv.redis) throw new Error("not Redis");
    return { kv, spend: createRedisThreadSpend(kv.redis) };
  };

  it("loses no tokens when two processes' threads add at once", async () => {
    const [a, b] = await Promise.all([open(), open()]);
    expect(await raced(a.spend, b.spend)).toBe(820);
  });

  it("holds a channel's budget across two processes whose threads keep their own memory", async () => {
    const [one, two] = await Promise.all([open(), open()]);
    const settings = { dailyTokenBudget: 150, scope: "thread" as const };
    const a = await createHarness({
      kv: one.kv,
      platform: "slack",
      settings,
      deps: { threadSpend: one.spend },
    });
    const b = await createHarness({
      kv: two.kv,
      platform: "slack",
      settings,
      deps: { threadSpend: two.spend },
    });
    const question = (t: number) =>
      `question ${t}: ${"please describe the deploy plan in detail, ".repeat(3)}`;
    let answered = 0;
    for (let t = 0; t < 6; t++) {
      const [answer] = await (t % 2 ? a : b).say("C9", "ann", question(t), { threadRoot: `9.${t}` });
      if (answer?.startsWith("reply")) answered++;
    }
    expect(answered).toBe(3);
  });
});
