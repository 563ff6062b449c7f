import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../src/core/events.js";
import { createLocalRateCounter, createRateLimiter, RATE_LIMITED_REPLY } from "../../src/core/rate-limit.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { createHarness } from "../helpers/harness.js";

const memoryKv = () => createKeyvStore({ url: "memory://", namespace: "rate" });
const user = (id: string) => ({ user: { id, name: id, isBot: false } }) as Partial<ChatEvent>;

describe("rate limits", () => {
  it("over the user limit: one notice, then silence until the window passes", async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(
      createLocalRateCounter(() => now),
      {
        userPerMinute: 2,
        channelPerMinute: 0,
      },
    );
    const h = await createHarness({ kv: await memoryKv(), deps: { rateLimiter: limiter } });
    const said: string[][] = [];
    for (let i = 0; i < 5; i++) said.push(await h.say("c", "ann", `m${i}`));
    expect(said).toEqual([["reply 1"], ["reply 2"], [RATE_LIMITED_REPLY], [], []]);
    // Another user in the same channel is not limited by ann's count.
    expect(await h.say("c", "bob", "hi", user("bob"))).toEqual(["reply 3"]);
    now += 60_000;
    expect(await h.say("c", "ann", "later")).toEqual(["reply 4"]);
    expect(h.model.requests).toHaveLength(4);
    expect(await h.command("c", "/memory show")).toContain("Turns stored: 4");
  });

  it("limits a channel across its users, and leaves other channels alone", async () => {
    const limiter = createRateLimiter(createLocalRateCounter(), { userPerMinute: 0, channelPerMinute: 2 });
    const h = await createHarness({ kv: await memoryKv(), deps: { rateLimiter: limiter } });
    expect(await h.say("c", "a", "1", user("a"))).toEqual(["reply 1"]);
    expect(await h.say("c", "b", "2", user("b"))).toEqual(["reply 2"]);
    expect(await h.say("c", "d", "3", user("d"))).toEqual([RATE_LIMITED_REPLY]);
    expect(await h.say("c", "e", "4", user("e"))).toEqual([]);
    expect(await h.say("other", "e", "5", user("e"))).toEqual(["reply 3"]);
  });

  it("counts a redelivered event once", async () => {
    const limiter = createRateLimiter(createLocalRateCounter(), { userPerMinute: 1, channelPerMinute: 0 });
    const h = await createHarness({ kv: await memoryKv(), dedup: true, deps: { rateLimiter: limiter } });
    expect(await h.say("c", "ann", "once", { id: "same" })).toEqual(["reply 1"]);
    expect(await h.say("c", "ann", "once", { id: "same" })).toEqual([]);
    expect(await h.say("c", "ann", "twice")).toEqual([RATE_LIMITED_REPLY]);
  });

  it("answers anyway when the limiter's store is down", async () => {
    const limiter = createRateLimiter(
      { hit: () => Promise.reject(new Error("redis down")) },
      { userPerMinute: 1, channelPerMinute: 1 },
    );
    const h = await createHarness({ kv: await memoryKv(), deps: { rateLimiter: limiter } });
    expect(await h.say("c", "ann", "1")).toEqual(["reply 1"]);
    expect(await h.say("c", "ann", "2")).toEqual(["reply 2"]);
  });
});
