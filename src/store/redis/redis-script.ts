import { createHash } from "node:crypto";
import type { RedisConnectionClientType } from "@keyv/redis";

/** A Lua script sent by its SHA1 (`EVALSHA`), and in full only the first time a server lacks it. */
export interface RedisScript {
  run(client: RedisConnectionClientType, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

/** Wraps `source` so every call costs one round trip with a 40-byte name instead of the whole text. */
export function createRedisScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(client, keys, args) {
      const tail = [String(keys.length), ...keys, ...args];
      try {
        return await client.sendCommand(["EVALSHA", sha, ...tail]);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return client.sendCommand(["EVAL", source, ...tail]);
      }
    },
  };
}
