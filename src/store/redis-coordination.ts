import { randomUUID } from "node:crypto";
import { type ActivityIndex, type ChannelLock, type Coordination, LockTimeoutError } from "./coordination.js";
import type { RedisAccess } from "./keyv-store.js";
import { storeOp } from "./kv.js";

/** Lock timings: the lease is short and renewed while held, so a crashed holder frees it quickly. */
export interface RedisLockOptions {
  readonly leaseMs: number;
  /** How long an exchange waits for the channel before answering that it is busy. */
  readonly waitMs: number;
}

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redisOp = <T>(what: string, op: () => Promise<T>) => storeOp(`Redis ${what}`, op);

/**
 * A per-channel lease: `SET NX PX` with a random token, renewed at a third of the lease while the task
 * runs (a slow LLM call keeps it), released only by its owner (compare-and-delete in Lua).
 */
function createRedisLock(redis: RedisAccess, options: RedisLockOptions): ChannelLock {
  return {
    async withLock(channel, task, onAttempt) {
      const key = redis.key(`lock:${channel}`);
      const token = randomUUID();
      const client = await redisOp("lock", () => redis.client());
      const started = Date.now();
      for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
        // The client queues a command as soon as it is called, and sends the queue in one write.
        const request = redisOp("lock", () =>
          client.set(key, token, { condition: "NX", expiration: { type: "PX", value: options.leaseMs } }),
        );
        onAttempt?.();
        const taken = await request;
        if (taken === "OK") break;
        if (Date.now() - started >= options.waitMs) throw new LockTimeoutError(channel, options.waitMs);
        await sleep(delay + Math.floor(Math.random() * delay));
      }
      const renew = setInterval(
        () => {
          client.eval(EXTEND, { keys: [key], arguments: [token, String(options.leaseMs)] }).catch(() => {});
        },
        Math.max(50, Math.floor(options.leaseMs / 3)),
      );
      try {
        return await task();
      } finally {
        clearInterval(renew);
        // Not awaited: the connection sends commands in order, so this process's next request for the
        // lock comes after the release, and closing the client waits for it. A lost release only
        // leaves the lease to expire.
        client.eval(RELEASE, { keys: [key], arguments: [token] }).catch(() => {});
      }
    },
  };
}

/** Last activity per channel in one sorted set: the sweep reads only the idle range. */
function createRedisActivity(redis: RedisAccess): ActivityIndex {
  const key = redis.key("activity");
  return {
    touch: (channel, at) =>
      redisOp("activity update", async () => {
        await (await redis.client()).zAdd(key, { score: at, value: channel });
      }),
    idleBefore: (before, limit) =>
      redisOp("activity read", async () =>
        (
          await (
            await redis.client()
          ).zRangeByScore(key, "-inf", `(${before}`, { LIMIT: { offset: 0, count: limit } })
        ).map(String),
      ),
    remove: (channel) =>
      redisOp("activity update", async () => {
        await (await redis.client()).zRem(key, channel);
      }),
  };
}

/** Coordination for many bot processes on one Redis. */
export function createRedisCoordination(redis: RedisAccess, options: RedisLockOptions): Coordination {
  return {
    lock: createRedisLock(redis, options),
    activity: createRedisActivity(redis),
    claim: (slot, ttlMs) =>
      redisOp("slot claim", async () => {
        const reply = await (await redis.client()).set(redis.key(`slot:${slot}`), String(Date.now()), {
          condition: "NX",
          expiration: { type: "PX", value: ttlMs },
        });
        return reply === "OK";
      }),
  };
}
