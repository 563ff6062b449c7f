import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@keyv/redis";
import { afterEach, describe, expect, it } from "vitest";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

describe.each(STORE_KINDS)("setIfAbsent on the %s store", (kind) => {
  const fixtures: StoreFixture[] = [];
  const fresh = () => {
    const fixture = storeFixture(kind);
    fixtures.push(fixture);
    return fixture;
  };
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
  });

  describe.skipIf(!storeAvailable(kind))("", () => {
    it("stores the first value only, and get reads it back", async () => {
      const kv = await fresh().open();
      expect(await kv.setIfAbsent("e:slack:Ev1", 1, 60_000)).toBe(true);
      expect(await kv.setIfAbsent("e:slack:Ev1", 2, 60_000)).toBe(false);
      expect(await kv.setIfAbsent("e:slack:Ev2", 3, 60_000)).toBe(true);
      expect(await kv.get("e:slack:Ev1")).toBe(1);
      await kv.close();
    });

    it("lets exactly one of many simultaneous callers win", async () => {
      const kv = await fresh().open();
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => kv.setIfAbsent("e:slack:race", i, 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await kv.close();
    });

    it("lets exactly one of two connections to the same data win", async () => {
      const fixture = fresh();
      const [a, b] = [await fixture.open(), await fixture.open()];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).setIfAbsent("e:slack:two", i, 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await Promise.all([a.close(), b.close()]);
    });

    it("frees the key once its TTL has passed", async () => {
      const kv = await fresh().open();
      expect(await kv.setIfAbsent("e:slack:short", 1, 80)).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
      expect(await kv.setIfAbsent("e:slack:short", 2, 60_000)).toBe(true);
      expect(await kv.get("e:slack:short")).toBe(2);
      await kv.close();
    });
  });
});

describe.skipIf(!TEST_REDIS_URL)("setIfAbsent across two Redis connections", () => {
  const url = TEST_REDIS_URL as string;
  const namespaces: string[] = [];
  afterEach(async () => {
    await Promise.all(namespaces.splice(0).map((n) => dropNamespace(url, n)));
  });

  it("is atomic between processes, under Keyv's own key prefix, with a Redis expiry", async () => {
    const namespace = testNamespace("nx");
    namespaces.push(namespace);
    const [a, b] = await Promise.all([
      createKeyvStore({ url, namespace }),
      createKeyvStore({ url, namespace }),
    ]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).setIfAbsent("e:slack:shared", i, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const client = createClient({ url });
    await client.connect();
    const ttl = await client.pTTL(`${namespace}::e:slack:shared`);
    await client.quit();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await Promise.all([a.close(), b.close()]);
  });
});

describe("setIfAbsent on SQLite", () => {
  it("deletes the rows of expired keys it wrote, so a row per message does not pile up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cmb-nx-"));
    const file = join(dir, "memory.sqlite");
    try {
      const kv = await createKeyvStore({ url: `sqlite://${file}`, namespace: "cmb" });
      for (let i = 0; i < 300; i++) await kv.setIfAbsent(`e:slack:old-${i}`, i, 1);
      await kv.setIfAbsent("e:slack:new", 1, 60_000);
      // Without clean-up all 300 rows would stay; with it, at most one sweep interval's worth.
      expect(await countRows(file, "%e:slack:old-%")).toBeLessThan(256);
      expect(await countRows(file, "%e:slack:new%")).toBe(1);
      await kv.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function countRows(file: string, pattern: string): Promise<number> {
  const { default: sqlite3 } = await import("sqlite3");
  const db = new sqlite3.Database(file);
  const count = await new Promise<number>((resolve, reject) =>
    db.get("SELECT count(*) AS n FROM keyv WHERE key LIKE ?", [pattern], (error, row: { n: number }) =>
      error ? reject(error) : resolve(row.n),
    ),
  );
  await new Promise((resolve) => db.close(resolve));
  return count;
}
