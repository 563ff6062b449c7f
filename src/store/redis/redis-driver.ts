import type KeyvRedis from "@keyv/redis";
import type { RedisConnectionClientType } from "@keyv/redis";
import type { Keyv } from "keyv";
import type { Driver } from "../driver.js";
import { createServerClock, redisCommit } from "./redis-commit.js";
import { parseRedisFacts, type RedisFacts, redisWarnings } from "./redis-facts.js";

const PROBE_KEY = "__health__";
const PROBE_TTL_MS = 60_000;

/** The Redis driver, plus the connection's client id (recorded in lock values: see redis-lock.ts). */
export interface RedisDriver extends Driver {
  facts(): Promise<RedisFacts>;
  /** `CLIENT ID` of the current connection, refreshed on every reconnect; undefined until known. */
  clientId(): string | undefined;
}

/**
 * Redis: writes through Keyv (a `MULTI` for several), `SET NX PX` for set-if-absent, a Lua script for
 * the fenced commit, `TIME` to know the server's clock for the commit's deadline.
 */
export async function createRedisDriver(adapter: KeyvRedis<unknown>, keyv: Keyv): Promise<RedisDriver> {
  const client = async () => (await adapter.getClient()) as RedisConnectionClientType;
  const key = (name: string) => adapter.createKeyPrefix(name, adapter.namespace);
  const clock = createServerClock();
  const connection = await client();
  let id: string | undefined;
  const learnId = () =>
    connection.sendCommand(["CLIENT", "ID"]).then(
      (reply) => {
        id = String(reply);
      },
      () => {
        id = undefined;
      },
    );
  connection.on("ready", () => void learnId());
  await Promise.all([learnId(), clock.sync(connection).catch(() => {})]);
  const facts = async () => {
    const c = await client();
    const [replication, memory] = await Promise.all([c.info("replication"), c.info("memory")]);
    return parseRedisFacts(String(replication), String(memory));
  };
  return {
    get: (name) => keyv.get(name),
    getMany: (keys) => keyv.getMany([...keys]),
    async setMany(entries) {
      if (entries.length === 1 && entries[0])
        await keyv.set(entries[0].key, entries[0].value, entries[0].ttlMs);
      // @keyv/redis writes the entries in one MULTI transaction: all of them or none.
      else if (entries.length > 1)
        await keyv.setMany(
          entries.map((e) =>
            e.ttlMs === undefined ? { key: e.key, value: e.value } : { ...e, ttl: e.ttlMs },
          ),
        );
    },
    async delete(keys) {
      if (keys.length > 0) await keyv.deleteMany([...keys]);
    },
    // One `SET key value NX PX ttl` under the key and in the format Keyv itself writes, so `get` reads
    // the entry back and namespace clean-ups find it.
    async setIfAbsent(name, value, ttlMs) {
      const stored = await keyv.serializeData({ value, expires: Date.now() + ttlMs });
      const reply = await (await client()).set(
        key(name),
        typeof stored === "string" ? stored : JSON.stringify(stored),
        { condition: "NX", expiration: { type: "PX", value: ttlMs } },
      );
      return reply === "OK";
    },
    commit: (commit, deadlineAt) => redisCommit({ client, key, clock }, commit, deadlineAt),
    async probe() {
      const c = await client();
      const write = c
        .set(key(PROBE_KEY), String(Date.now()), { expiration: { type: "PX", value: PROBE_TTL_MS } })
        .then(
          () => undefined,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
      const [writeError, found] = await Promise.all([write, facts(), clock.sync(c).catch(() => {})]);
      const replica = found.role !== "master" && found.role !== "unknown";
      return {
        facts: { redis: found },
        warnings: redisWarnings(found),
        writeError:
          writeError ??
          (replica
            ? `Redis at STORE_URL is a replica (role ${found.role}): writes never reach the primary`
            : undefined),
      };
    },
    facts,
    clientId: () => id,
    async close() {},
  };
}
