import { SPEND_TTL_MS, spendKey, type ThreadSpend } from "../../core/thread-spend.js";
import { storeOp } from "../kv.js";
import type { RedisAccess } from "./redis-access.js";

/** INCRBY and the expiry in one atomic call, so two processes' threads never lose each other's tokens. */
const ADD =
  "local n = redis.call('incrby', KEYS[1], ARGV[1]) redis.call('pexpire', KEYS[1], ARGV[2]) return n";

/** Threads' spend on Redis, shared by every bot process on the same namespace. */
export function createRedisThreadSpend(redis: RedisAccess): ThreadSpend {
  return {
    add: (home, day, tokens) =>
      storeOp("Redis thread spend", async () => {
        const client = await redis.client();
        await client.eval(ADD, {
          keys: [redis.key(spendKey(home, day))],
          arguments: [String(Math.round(tokens)), String(SPEND_TTL_MS)],
        });
      }),
    get: (home, day) =>
      storeOp("Redis thread spend", async () => {
        const client = await redis.client();
        return Number((await client.get(redis.key(spendKey(home, day)))) ?? 0);
      }),
  };
}
