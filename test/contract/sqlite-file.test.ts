import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createKeyvStore } from "../../src/store/keyv-store.js";

/** Runs one statement on the file with a connection of its own, as an operator's `sqlite3` would. */
function sql<T = Record<string, unknown>>(
  file: string,
  statement: string,
  params: unknown[] = [],
): Promise<T[]> {
  const db = new sqlite3.Database(file);
  return new Promise<T[]>((resolve, reject) =>
    db.all(statement, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
  ).finally(() => new Promise((done) => db.close(done)));
}
const count = async (file: string, pattern: string) =>
  Number(
    (await sql<{ n: number }>(file, "SELECT count(*) AS n FROM keyv WHERE key LIKE ?", [pattern]))[0]?.n,
  );
const pages = async (file: string) =>
  Number((await sql<{ page_count: number }>(file, "PRAGMA page_count"))[0]?.page_count);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the SQLite file over time", () => {
  let dir = "";
  const file = () => join(dir, "memory.sqlite");
  const open = () => createKeyvStore({ url: `sqlite://${file()}`, namespace: "cmb" });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("deletes the duplicate-check rows a stopped process left behind once they expire", async () => {
    dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-file-"));
    const before = await open();
    for (let i = 0; i < 200; i++) await before.setIfAbsent(`e:slack:Ev${i}`, i, 50);
    await before.setIfAbsent("e:slack:recent", 1, 60_000);
    await before.close();
    expect(await count(file(), "%e:slack:Ev%")).toBe(200);
    await sleep(100);
    // The restarted process never saw those keys; the rows go all the same.
    const after = await open();
    expect(await count(file(), "%e:slack:Ev%")).toBe(0);
    expect(await count(file(), "%e:slack:recent%")).toBe(1);
    expect(await after.setIfAbsent("e:slack:recent", 2, 60_000)).toBe(false);
    await after.close();
  });

  it("gives the space of deleted rows back to the file system instead of keeping its largest size", async () => {
    dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-file-"));
    const kv = await open();
    const big = "x".repeat(2000);
    // Long enough that none expires (and is purged) while they are written, even on a loaded machine.
    const ttlMs = 3000;
    for (let i = 0; i < 20; i++)
      await kv.setMany(Array.from({ length: 50 }, (_, j) => ({ key: `e:big:${i}:${j}`, value: big, ttlMs })));
    await kv.close();
    const full = await pages(file());
    await sleep(ttlMs + 100);
    await (await open()).close();
    expect(await count(file(), "%e:big:%")).toBe(0);
    // 1,000 rows of 2 KB are about 500 pages of 4 KB: the file shrinks by most of them.
    expect(await pages(file())).toBeLessThan(full - 400);
  });

  it("brings a file written by an earlier version up to date: expired rows go, vacuum becomes incremental", async () => {
    dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-file-"));
    await sql(file(), "CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)");
    const past = Date.now() - 60_000;
    for (let i = 0; i < 50; i++)
      await sql(file(), "INSERT INTO keyv VALUES (?, ?)", [
        `cmb:e:slack:old${i}`,
        JSON.stringify({ value: i, expires: past }),
      ]);
    await sql(file(), "INSERT INTO keyv VALUES (?, ?)", ["cmb:s:ch", JSON.stringify({ value: { v: 1 } })]);
    const kv = await open();
    expect(await count(file(), "%e:slack:old%")).toBe(0);
    expect(await kv.get("s:ch")).toEqual({ v: 1 });
    expect((await sql<{ auto_vacuum: number }>(file(), "PRAGMA auto_vacuum"))[0]?.auto_vacuum).toBe(2);
    await kv.close();
  });

  it("lets exactly one of two processes on the same file take an event id", async () => {
    dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-file-"));
    const [a, b] = [await open(), await open()];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setIfAbsent("e:slack:shared", i, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it("reports unhealthy while another program holds the file's write lock, though reads still work", async () => {
    dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-file-"));
    const kv = await createKeyvStore({ url: `sqlite://${file()}`, namespace: "cmb", opTimeoutMs: 500 });
    await kv.set("k", "v");
    // A second process (a stuck bot, the sqlite3 shell) in the middle of a write transaction.
    const other = new sqlite3.Database(file());
    await new Promise((done) =>
      other.exec("BEGIN IMMEDIATE; INSERT INTO keyv VALUES ('x', 'y', NULL);", done),
    );
    try {
      expect(await kv.get("k")).toBe("v");
      const health = await kv.health();
      expect(health.ok).toBe(false);
      expect(health.reason).toMatch(/did not answer within 500 ms/);
      await expect(kv.set("k", "w")).rejects.toMatchObject({ failure: "timeout" });
    } finally {
      await new Promise((done) => other.exec("ROLLBACK", done));
      await new Promise((done) => other.close(done));
    }
    expect(await kv.health()).toMatchObject({ ok: true });
    await kv.close();
  });

  it("reports writes failing on a file that stopped being a database", async () => {
    dir = mkdtempSync(join(tmpdir(), "cmb-sqlite-file-"));
    const kv = await open();
    expect(await kv.health()).toMatchObject({ ok: true, kind: "sqlite" });
    // Another program overwrites the file (a bad restore, a disk fault) while the bot runs.
    await sql(file(), "PRAGMA wal_checkpoint(TRUNCATE)");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file(), Buffer.alloc(64 * 1024, 0x5a));
    const health = await kv.health();
    expect(health.ok).toBe(false);
    expect(health.reason).toMatch(/store writes fail|not a database|corrupt|malformed/i);
    await kv.close();
  });
});
