import type { ActivityIndex } from "../../core/coordination.js";
import type { SharedCoordination } from "../backend.js";
import type { RedisAccess } from "./redis-access.js";
import { createRedisLock, type RedisLockOptions } from "./redis-lock.js";

export type { RedisLockOptions } from "./redis-lock.js";

/** Last activity per channel in one sorted set: the sweep reads only the idle range. */
function createRedisActivity(redis: RedisAccess): ActivityIndex {
  const key = redis.key("activity");
  return {
    touch: (channel, at) =>
      redis.run("activity update", async () => {
        await (await redis.client()).zAdd(key, { score: at, value: channel });
      }),
    idleBefore: (before, limit) =>
      redis.run("activity read", async () =>
        (
          await (
            await redis.client()
          ).zRangeByScore(key, "-inf", `(${before}`, { LIMIT: { offset: 0, count: limit } })
        ).map(String),
      ),
    remove: (channel) =>
      redis.run("activity update", async () => {
        await (await redis.client()).zRem(key, channel);
      }),
  };
}

/** Coordination for many bot processes on one Redis; every call has the store's deadline. */
export function createRedisCoordination(redis: RedisAccess, options: RedisLockOptions): SharedCoordination {
  return {
    lock: createRedisLock(redis, options),
    activity: createRedisActivity(redis),
    claim: (slot, ttlMs) =>
      redis.run("slot claim", async () => {
        const reply = await (await redis.client()).set(redis.key(`slot:${slot}`), String(Date.now()), {
          condition: "NX",
          expiration: { type: "PX", value: ttlMs },
        });
        return reply === "OK";
      }),
  };
}
