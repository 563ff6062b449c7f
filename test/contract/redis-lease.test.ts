import { createClient } from "@keyv/redis";
import { afterEach, describe, expect, it } from "vitest";
import { CommitConflictError, LockTimeoutError } from "../../src/core/errors.js";
import type { NewTurn } from "../../src/core/turn.js";
import { createChannelStore } from "../../src/store/channel-store.js";
import { type KeyvStore, openStore } from "../../src/store/keyv-store.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const said = (who: string): NewTurn => ({
  ts: Date.now(),
  user: { id: who, name: who },
  text: `${who} asks`,
  reply: `answer to ${who}`,
  tokens: 10,
});

describe.skipIf(!TEST_REDIS_URL)("a channel's Redis lease and the commits it fences", () => {
  const url = TEST_REDIS_URL ?? "";
  const opened: KeyvStore[] = [];
  let namespace = "";
  /** A bot process as far as the store goes: its connection, its lock, its channel store. */
  const botProcess = async (leaseMs: number, waitMs = 5000) => {
    const { kv, coordination } = await openStore({ url, namespace, lock: { leaseMs, waitMs } });
    opened.push(kv);
    const store = createChannelStore(kv, {
      maxStoredTurns: 1000,
      lease: (channel) => coordination.lock.held?.(channel),
    });
    return { kv, lock: coordination.lock, store };
  };
  const raw = async () => {
    const client = createClient({ url });
    await client.connect();
    return client;
  };
  const texts = async (p: Awaited<ReturnType<typeof botProcess>>) => {
    const session = await p.store.load("ch");
    return (await p.store.reader("ch", session).recent(100)).map((t) => t.text);
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await dropNamespace(url, namespace);
  });

  it("refuses the commit of a holder whose lease lapsed and was taken, and keeps the new holder's turn", async () => {
    namespace = testNamespace("lease");
    const [a, b] = [await botProcess(60_000), await botProcess(60_000)];
    const admin = await raw();
    const outcome = a.lock.withLock("ch", async () => {
      const session = await a.store.load("ch");
      // A stall longer than the lease: the lock expires while A's model is still answering...
      await admin.del(`${namespace}::lock:ch`);
      // ...B takes the channel, answers and commits...
      await b.lock.withLock("ch", async () => {
        await b.store.append("ch", await b.store.load("ch"), said("bob"));
      });
      // ...and A's commit, when its answer finally comes, must not overwrite B's turn.
      return a.store.append("ch", session, said("ann"));
    });
    await expect(outcome).rejects.toBeInstanceOf(CommitConflictError);
    await expect(outcome).rejects.toMatchObject({ reason: "lease-lost" });
    expect(await texts(a)).toEqual(["bob asks"]);
    await admin.quit();
  });

  it("stops a holder from committing once a renewal fails, even when nobody else wrote", async () => {
    namespace = testNamespace("renew");
    const a = await botProcess(600);
    const admin = await raw();
    const outcome = a.lock.withLock("ch", async () => {
      const session = await a.store.load("ch");
      await admin.del(`${namespace}::lock:ch`);
      // The next renewal (every 200 ms) finds the lock gone.
      await sleep(450);
      expect(a.lock.held?.("ch")?.lostReason()).toMatch(/another process took/);
      return a.store.append("ch", session, said("ann"));
    });
    await expect(outcome).rejects.toMatchObject({ reason: "lease-lost" });
    expect(await texts(a)).toEqual([]);
    await admin.quit();
  });

  it("takes over at once the lock of a holder whose connection closed (a killed process)", async () => {
    namespace = testNamespace("dead");
    // The lease would last a minute; waiting a second for it would fail with "busy".
    const a = await botProcess(6000, 1000);
    const dead = await raw();
    const id = String(await dead.sendCommand(["CLIENT", "ID"]));
    await dead.set(`${namespace}::lock:ch`, `${id}:crashed-holder`, { PX: 60_000 });
    await dead.disconnect();
    const ran = await a.lock.withLock("ch", async () =>
      a.store.append("ch", await a.store.load("ch"), said("ann")),
    );
    expect(ran.text).toBe("ann asks");
  });

  it("waits for a live holder, whose connection is open, instead of taking its lock", async () => {
    namespace = testNamespace("live");
    const a = await botProcess(6000, 600);
    const live = await raw();
    const id = String(await live.sendCommand(["CLIENT", "ID"]));
    await live.set(`${namespace}::lock:ch`, `${id}:working-holder`, { PX: 60_000 });
    await expect(a.lock.withLock("ch", async () => "ran")).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await live.get(`${namespace}::lock:ch`)).toBe(`${id}:working-holder`);
    await live.quit();
  });
});
