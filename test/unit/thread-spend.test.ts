import { afterAll, describe, expect, it } from "vitest";
import { type KeyvStore, openStore } from "../../src/store/keyv-store.js";
import { createHarness } from "../helpers/harness.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";

describe.runIf(TEST_REDIS_URL)("threads' spend on Redis", () => {
  const namespace = testNamespace("spend");
  const stores: KeyvStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    if (TEST_REDIS_URL) await dropNamespace(TEST_REDIS_URL, namespace);
  });
  /** A store connection of its own, as a second bot process has, and the threads' spend on it. */
  const open = async () => {
    const { kv, threadSpend } = await openStore({ url: TEST_REDIS_URL as string, namespace });
    stores.push(kv);
    return { kv, spend: threadSpend };
  };

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
