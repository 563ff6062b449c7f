import type { Keyv } from "keyv";
import { CommitConflictError, StoreUnavailableError } from "../../core/errors.js";
import { type Driver, sameRevision } from "../driver.js";
import { newRevision, stamped, unstamped } from "../revision.js";

/** How many keys written by `setIfAbsent` may wait before expired ones are deleted. */
const SWEEP_EVERY_KEYS = 256;

/**
 * `memory://`: one process owns the data, so checks are serialised in process (a read and a write
 * with nothing in between) instead of made atomic in a store.
 */
export function createMemoryDriver(keyv: Keyv): Driver {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => {});
    return run;
  };
  // Keyv only drops an expired entry when it is read again, which a dedup key never is: delete the
  // ones this process wrote once they expire, so the map does not keep an entry per message forever.
  const expiries = new Map<string, number>();
  let sweepAtSize = SWEEP_EVERY_KEYS;
  const sweep = async () => {
    const now = Date.now();
    const expired = [...expiries].filter(([, at]) => at <= now).map(([key]) => key);
    for (const key of expired) expiries.delete(key);
    // Sweep again once the live keys have doubled: amortised O(1) per call under any traffic.
    sweepAtSize = Math.max(SWEEP_EVERY_KEYS, expiries.size * 2);
    if (expired.length > 0) await keyv.deleteMany(expired);
  };
  return {
    get: (key) => keyv.get(key),
    getMany: (keys) => keyv.getMany([...keys]),
    async setMany(entries) {
      for (const e of entries) await keyv.set(e.key, e.value, e.ttlMs);
    },
    async delete(keys) {
      if (keys.length > 0) await keyv.deleteMany([...keys]);
    },
    setIfAbsent: (key, value, ttlMs) =>
      serial(async () => {
        if (expiries.size >= sweepAtSize) await sweep();
        if ((await keyv.get(key)) !== undefined) return false;
        await keyv.set(key, value, ttlMs);
        expiries.set(key, Date.now() + ttlMs);
        return true;
      }),
    commit: (commit, deadlineAt) =>
      serial(async () => {
        if (Date.now() > deadlineAt)
          throw new StoreUnavailableError("Store commit ran after its deadline; nothing was written", {
            failure: "timeout",
          });
        const now = unstamped(await keyv.get<object>(commit.record.key));
        if (!sameRevision(now.revision, commit.expected))
          throw new CommitConflictError(
            "changed",
            "The session changed since it was read; nothing was written",
          );
        const revision = newRevision();
        for (const e of commit.entries) await keyv.set(e.key, e.value, e.ttlMs);
        await keyv.set(commit.record.key, stamped(commit.record.value, revision), commit.record.ttlMs);
        if (commit.drop.length > 0) await keyv.deleteMany([...commit.drop]);
        return revision;
      }),
    async probe() {
      await keyv.set("__health__", Date.now(), 60_000);
      return {};
    },
    async close() {},
  };
}
