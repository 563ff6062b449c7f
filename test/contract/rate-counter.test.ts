import { describe, expect, it } from "vitest";
import type { RateCounter } from "../../src/core/rate-limit.js";
import { createRateLimiter } from "../../src/core/rate-limit.js";
import {
  STORE_KINDS,
  type StoreFixture,
  storeAvailable,
  storeShared,
  storesPerTest,
} from "../helpers/stores.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(STORE_KINDS)("the rate counter of the %s store", (kind) => {
  const stores = storesPerTest(kind);
  const fixture = () => stores.fixture();
  /** A process's counter: its own connection to the fixture's data. */
  const counterOn = async (f: StoreFixture): Promise<RateCounter> => {
    return (await stores.open(f)).rateCounter;
  };

  describe.skipIf(!storeAvailable(kind))("", () => {
    it("counts each hit on a key, apart from other keys", async () => {
      const counter = await counterOn(fixture());
      expect([await counter.hit("k", 60_000), await counter.hit("k", 60_000)]).toEqual([1, 2]);
      expect(await counter.hit("j", 60_000)).toBe(1);
      expect(await counter.hit("k", 60_000)).toBe(3);
    });

    it("counts simultaneous hits one each", async () => {
      const counter = await counterOn(fixture());
      const counts = await Promise.all(Array.from({ length: 20 }, () => counter.hit("k", 60_000)));
      expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it("starts a new window once the window from the first hit has passed", async () => {
      const counter = await counterOn(fixture());
      await counter.hit("k", 200);
      expect(await counter.hit("k", 200)).toBe(2);
      await sleep(300);
      expect(await counter.hit("k", 200)).toBe(1);
    });
  });

  // Only a shared store has other processes to agree with (a skipped test would fail CI).
  if (storeShared(kind))
    describe.skipIf(!storeAvailable(kind))("between processes", () => {
      it("shares one count between two processes' connections, and the window expires", async () => {
        const shared = fixture();
        const [a, b] = await Promise.all([counterOn(shared), counterOn(shared)]);
        const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit("k", 300)));
        expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        const limiter = createRateLimiter(a, { userPerMinute: 3, channelPerMinute: 0 }, 300);
        const event = {
          platform: "slack",
          workspace: "T1",
          user: { id: "U1", name: "u", isBot: false },
        } as const;
        const other = createRateLimiter(b, { userPerMinute: 3, channelPerMinute: 0 }, 300);
        const seen = [];
        for (let i = 0; i < 6; i++) seen.push(await (i % 2 ? other : limiter).check(event, "ch"));
        expect(seen).toEqual(["ok", "ok", "ok", "notify", "silent", "silent"]);
        await new Promise((resolve) => setTimeout(resolve, 350));
        expect(await limiter.check(event, "ch")).toBe("ok");
      });
    });
});
