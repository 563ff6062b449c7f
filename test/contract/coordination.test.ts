import { describe, expect, it } from "vitest";
import type { Coordination } from "../../src/core/coordination.js";
import { LockTimeoutError } from "../../src/core/errors.js";
import type { KeyvStore } from "../../src/store/keyv-store.js";
import { STORE_KINDS, storeAvailable, storeShared, storesPerTest } from "../helpers/stores.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(STORE_KINDS)("coordination on the %s store", (kind) => {
  const stores = storesPerTest(kind);
  /** The connections of the last two processes opened (one, twice, where the store is not shared). */
  let opened: KeyvStore[] = [];
  /**
   * Two bot processes on one store, as their coordination sees it. On a store one process owns
   * (not shared), that one process twice: what it coordinates, it coordinates in itself.
   */
  const twoProcesses = async (leaseMs = 300, waitMs = 5000) => {
    const fixture = stores.fixture();
    const a = await stores.open(fixture, { lock: { leaseMs, waitMs } });
    const b = fixture.shared ? await stores.open(fixture, { lock: { leaseMs, waitMs } }) : a;
    opened = [a.kv, b.kv];
    return [a.coordination, b.coordination] as const;
  };

  describe.skipIf(!storeAvailable(kind))("", () => {
    it("runs a channel's task after sending its reads, and gives back what it returned", async () => {
      const [a] = await twoProcesses();
      const order: string[] = [];
      const result = await a.lock.withLock(
        "chan",
        async () => {
          order.push("task");
          return "done";
        },
        () => order.push("reads sent"),
      );
      expect(result).toBe("done");
      expect(order).toEqual(["reads sent", "task"]);
    });

    it("grants a claimed slot to exactly one process", async () => {
      const [a, b] = await twoProcesses();
      const results = await Promise.all([
        a.claim("sweep:t1", 10_000),
        b.claim("sweep:t1", 10_000),
        a.claim("sweep:t1", 10_000),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await b.claim("sweep:t2", 10_000)).toBe(true);
    });

    it("lists only channels idle before the cut-off, oldest first", async () => {
      const [a, b] = await twoProcesses();
      await a.activity.touch("old", 1000);
      await b.activity.touch("older", 500);
      await a.activity.touch("new", 5000);
      expect(await b.activity.idleBefore(2000, 10)).toEqual(["older", "old"]);
      await a.activity.remove("older");
      expect(await b.activity.idleBefore(2000, 10)).toEqual(["old"]);
    });
  });

  // Only a shared store has other processes to agree with (a skipped test would fail CI).
  if (storeShared(kind))
    describe.skipIf(!storeAvailable(kind))("between processes", () => {
      it("holds a lease inside the task that a commit can prove, and none outside it", async () => {
        const [a] = await twoProcesses();
        const inside = await a.lock.withLock("chan", async () => a.lock.held?.("chan"));
        expect(inside?.token).toBeTruthy();
        expect(inside?.lostReason()).toBeUndefined();
        expect(a.lock.held?.("chan")).toBeUndefined();
      });

      it("lets one holder at a time run a channel's task, across connections", async () => {
        const [a, b] = await twoProcesses();
        let inside = 0;
        let maxInside = 0;
        const task = async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await sleep(5);
          inside--;
        };
        await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).lock.withLock("chan", task)));
        expect(maxInside).toBe(1);
      });

      it("keeps the lock while a task outlives the lease, so a slow model call is not overlapped", async () => {
        const [a, b] = await twoProcesses(150);
        const order: string[] = [];
        const slow = a.lock.withLock("chan", async () => {
          order.push("a start");
          await sleep(600);
          order.push("a end");
        });
        await sleep(30);
        await b.lock.withLock("chan", async () => {
          order.push("b");
        });
        await slow;
        expect(order).toEqual(["a start", "a end", "b"]);
      });

      it("gives a task the reads sent with its winning lock request, and they see the previous holder's writes", async () => {
        const [a, b] = await twoProcesses();
        const [storeA, storeB] = opened as [KeyvStore, KeyvStore];
        await storeA.set("counter", 0);
        const increment = (lock: Coordination["lock"], store: KeyvStore) => {
          let read: Promise<number | undefined> | undefined;
          return lock.withLock(
            "chan",
            async () => {
              const value = (await read) ?? -1;
              await sleep(2);
              await store.set("counter", value + 1);
            },
            () => {
              read = store.get<number>("counter");
              read.catch(() => {});
            },
          );
        };
        // 30 read-modify-write tasks from two connections, each using only what came with its lock.
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            i % 2 ? increment(a.lock, storeA) : increment(b.lock, storeB),
          ),
        );
        expect(await storeA.get("counter")).toBe(30);
      });

      it("gives up waiting after its bound with a busy error, and other channels are not blocked", async () => {
        const [a, b] = await twoProcesses(300, 200);
        const held = a.lock.withLock("chan", () => sleep(800));
        await sleep(20);
        await expect(b.lock.withLock("chan", async () => "never")).rejects.toBeInstanceOf(LockTimeoutError);
        await expect(b.lock.withLock("other", async () => "ran")).resolves.toBe("ran");
        await held;
      });

      it("frees a channel whose holder died, once the lease runs out", async () => {
        const [a, b] = await twoProcesses(200);
        // A holder that never releases: the connection closes mid-task, as when a process is killed.
        void a.lock.withLock("chan", () => new Promise(() => {}));
        await sleep(30);
        await opened[0]?.close();
        const started = Date.now();
        await b.lock.withLock("chan", async () => {});
        expect(Date.now() - started).toBeLessThan(3000);
      });
    });
});
