import type { RateCounter } from "../../core/rate-limit.js";
import type { RedisAccess } from "./redis-access.js";

/**
 * INCR and the window's expiry in one atomic call: a key can never be left without an expiry (which
 * would silence a user for ever), and two processes never both see the first hit.
 */
const HIT =
  "local n = redis.call('incr', KEYS[1]) if n == 1 or redis.call('pttl', KEYS[1]) < 0 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n";

/** A fixed-window counter on Redis, shared by every bot process on the same namespace. */
export function createRedisRateCounter(redis: RedisAccess): RateCounter {
  return {
    hit: (key, windowMs) =>
      redis.run("rate limit", async () => {
        const client = await redis.client();
        const reply = await client.eval(HIT, {
          keys: [redis.key(`rate:${key}`)],
          arguments: [String(windowMs)],
        });
        return Number(reply);
      }),
  };
}
