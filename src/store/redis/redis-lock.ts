import { randomUUID } from "node:crypto";
import type { RedisConnectionClientType } from "@keyv/redis";
import type { HeldLease } from "../../core/coordination.js";
import { LockTimeoutError } from "../../core/errors.js";
import type { LeasedLock, LockTimings } from "../backend.js";
import type { RedisAccess } from "./redis-access.js";
import { createRedisScript } from "./redis-script.js";

/** Lock timings: the lease is short and renewed while held, so a crashed holder frees it quickly. */
export type RedisLockOptions = LockTimings;

/** Takes the lock from a holder found gone, only if it still holds it. */
const STEAL = createRedisScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0",
);
const EXTEND = createRedisScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
);
const RELEASE = createRedisScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether the connection that took a lock is still open: a holder's value starts with its connection's
 * `CLIENT ID`, and a process that died (killed, crashed, restarted) had its connection closed by the
 * operating system, so `CLIENT LIST ID` finds nothing and its lock is taken over at once instead of
 * after the lease. Undefined when it cannot tell (no id in the value, `CLIENT` not allowed).
 */
function createLiveness(redis: RedisAccess) {
  let usable = true;
  return async (client: RedisConnectionClientType, holder: string): Promise<boolean | undefined> => {
    const id = /^(\d+):/.exec(holder)?.[1];
    if (!usable || id === undefined || id === redis.clientId()) return undefined;
    try {
      const listed = String(
        await redis.run("lock holder check", () => client.sendCommand(["CLIENT", "LIST", "ID", id])),
      );
      return listed.trim() !== "";
    } catch {
      usable = false;
      return undefined;
    }
  };
}

/**
 * A per-channel lease: taken with a token (`CLIENT ID:uuid`), renewed every third of the lease while
 * the task runs, released only by its owner. A renewal that fails or finds another holder marks the
 * lease lost, and every commit of the task proves the token in the same atomic step as its writes.
 */
export function createRedisLock(redis: RedisAccess, options: RedisLockOptions): LeasedLock {
  const held = new Map<string, HeldLease>();
  const alive = createLiveness(redis);
  const renewEveryMs = Math.max(50, Math.floor(options.leaseMs / 3));
  const lease = String(options.leaseMs);

  async function acquire(
    channel: string,
    key: string,
    token: string,
    onAttempt?: () => void,
  ): Promise<number> {
    const client = await redis.run("lock", () => redis.client());
    const started = Date.now();
    let checked: string | undefined;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const sentAt = Date.now();
      // The client queues a command as soon as it is called, and sends the queue in one write.
      // A plain `SET NX PX` (no script: the uncontended case is every exchange); the holder is read
      // only when the lock is taken.
      const request = redis.run("lock", () =>
        client.set(key, token, { condition: "NX", expiration: { type: "PX", value: options.leaseMs } }),
      );
      onAttempt?.();
      const reply = await request.catch((error: unknown) => {
        // It may still land once the store answers again: give the lock back right after it.
        void RELEASE.run(client, [key], [token]).catch(() => {});
        throw error;
      });
      if (reply === "OK") return sentAt;
      const holder = String((await redis.run("lock holder", () => client.get(key))) ?? "");
      if (holder !== checked && (await alive(client, holder)) === false) {
        const stolen = await redis.run("lock", () => STEAL.run(client, [key], [holder, token, lease]));
        if (stolen === 1) return Date.now();
      }
      checked = holder;
      if (Date.now() - started >= options.waitMs) throw new LockTimeoutError(channel, options.waitMs);
      await sleep(delay + Math.floor(Math.random() * delay));
    }
  }

  return {
    held: (channel) => held.get(channel),
    async withLock(channel, task, onAttempt) {
      const name = `lock:${channel}`;
      const key = redis.key(name);
      const clientId = redis.clientId();
      const token = `${clientId === undefined ? "" : `${clientId}:`}${randomUUID()}`;
      let confirmedUntil = (await acquire(channel, key, token, onAttempt)) + options.leaseMs;
      let lost: string | undefined;
      const client = await redis.client();
      const renew = setInterval(() => {
        // A lost lease stays lost: the task may finish, but it will not commit.
        if (lost) return clearInterval(renew);
        const sentAt = Date.now();
        const extend = () => EXTEND.run(client, [key], [token, lease]);
        redis
          .run("lock renewal", extend)
          .then((reply) => {
            if (reply === 1) confirmedUntil = sentAt + options.leaseMs;
            else lost ??= "another process took the channel's lock";
          })
          .catch((error: unknown) => {
            lost ??= `the lock could not be renewed: ${error instanceof Error ? error.message : String(error)}`;
          });
      }, renewEveryMs);
      held.set(channel, {
        key: name,
        token,
        lostReason: () =>
          lost ??
          (Date.now() >= confirmedUntil ? "the lock's lease ran out before it was renewed" : undefined),
      });
      try {
        return await task();
      } finally {
        clearInterval(renew);
        held.delete(channel);
        // Not awaited: the connection sends commands in order, so this process's next request for the
        // lock comes after the release, and closing the client waits for it. A lost release only
        // leaves the lease to expire.
        void RELEASE.run(client, [key], [token]).catch(() => {});
      }
    },
  };
}
