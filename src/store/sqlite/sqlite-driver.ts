import type KeyvSqlite from "@keyv/sqlite";
import { CommitConflictError, StoreUnavailableError } from "../../core/errors.js";
import type { KvEntry } from "../../core/kv.js";
import type { Driver } from "../driver.js";
import { expectation, newRevision, revisionPrefix, stamped, storedText } from "../revision.js";
import { createSqliteReads } from "./sqlite-reads.js";
import { prepareSqlite } from "./sqlite-setup.js";

type Row = Record<string, unknown>;
type Query = (sql: string, params?: readonly unknown[]) => Promise<Row[]>;

const PROBE_KEY = "__health__";

/** How often expired rows are deleted and free pages given back to the file system. */
export const SQLITE_MAINTENANCE_EVERY_MS = 60_000;
/** Expiring rows written between two clean-ups at most, whatever the clock says. */
export const MAINTAIN_EVERY_WRITES = 256;
/** Free pages given back per maintenance pass at most (4 MB at SQLite's default 4 KB pages). */
export const VACUUM_PAGES_PER_PASS = 1024;

/** This machine's clock in SQL, so a commit that waited on a busy file past its deadline writes nothing. */
const SQL_NOW_MS = "(julianday('now') - 2440587.5) * 86400000.0";

const ON_CONFLICT = "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires";

/**
 * What the record must look like, as SQL over the parameters ?2 (its key) and ?3 (the prefix its
 * stored text must, or must not, start with); ?1 is the deadline.
 */
const RECORD_HOLDS = {
  absent: "NOT EXISTS (SELECT 1 FROM keyv WHERE key = ?2) AND ?3 IS NOT NULL",
  unversioned: "EXISTS (SELECT 1 FROM keyv WHERE key = ?2 AND substr(value, 1, length(?3)) <> ?3)",
  revision: "EXISTS (SELECT 1 FROM keyv WHERE key = ?2 AND substr(value, 1, length(?3)) = ?3)",
} as const;

/**
 * Rows as a `VALUES` list of numbered parameters from `?first`, bound as they are: a JSON parameter
 * instead (`json_each`) cost SQLite as much again as the write itself on a 6 KB record.
 */
function valueRows(count: number, first: number): string {
  return Array.from({ length: count }, (_, i) => {
    const at = first + 3 * i;
    return `(?${at}, ?${at + 1}, ?${at + 2})`;
  }).join(", ");
}

/** What SQLite does beyond Keyv's adapter: atomic multi-row writes, fenced commits, expiring rows. */
export interface SqliteDriver extends Driver {
  /** Deletes expired rows and gives up to VACUUM_PAGES_PER_PASS free pages back; runs every minute. */
  maintain(now?: number): Promise<{ expired: number; freedPages: number }>;
}

/**
 * Every row written here records its expiry in a column of its own (`prepareSqlite`), so expired rows
 * (a duplicate check per message) are deleted by one indexed statement, across restarts and processes.
 */
export async function createSqliteDriver(adapter: KeyvSqlite, namespace: string): Promise<SqliteDriver> {
  const query: Query = (sql, params = []) => adapter.query(sql, ...params) as Promise<Row[]>;
  await prepareSqlite(query);
  const key = (name: string) => `${namespace}:${name}`;
  const rows = (entries: readonly KvEntry[], now: number) =>
    entries.flatMap((e) => [
      key(e.key),
      storedText(e.value, e.ttlMs, now),
      e.ttlMs === undefined ? null : now + e.ttlMs,
    ]);
  /** Upserts rows in one statement: every row or none. */
  const upsert = (entries: readonly KvEntry[]) =>
    query(`INSERT INTO keyv(key, value, expires) VALUES ${valueRows(entries.length, 1)} ${ON_CONFLICT}`, [
      ...rows(entries, Date.now()),
    ]);
  const maintain = async (now = Date.now()) => {
    const expired = await query(
      "DELETE FROM keyv WHERE expires IS NOT NULL AND expires <= ?1 RETURNING key",
      [now],
    );
    const [free] = await query("PRAGMA freelist_count");
    const freePages = Number(free?.freelist_count ?? 0);
    if (freePages > 0) await query(`PRAGMA incremental_vacuum(${VACUUM_PAGES_PER_PASS})`);
    return { expired: expired.length, freedPages: Math.min(freePages, VACUUM_PAGES_PER_PASS) };
  };
  // Rows a process before this one left (a restart), then every minute, and after every
  // MAINTAIN_EVERY_WRITES expiring writes (a burst of messages between two ticks).
  await maintain();
  const timer = setInterval(() => void maintain().catch(() => {}), SQLITE_MAINTENANCE_EVERY_MS);
  timer.unref();
  let expiringWrites = 0;
  const counted = async (expiring: number) => {
    expiringWrites += expiring;
    if (expiringWrites < MAINTAIN_EVERY_WRITES) return;
    expiringWrites = 0;
    await maintain();
  };

  return {
    ...createSqliteReads(query, key),
    async setMany(entries) {
      if (entries.length === 0) return;
      await upsert(entries);
      await counted(entries.filter((e) => e.ttlMs !== undefined).length);
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await query("DELETE FROM keyv WHERE key IN (SELECT value FROM json_each(?1))", [
        JSON.stringify(keys.map(key)),
      ]);
    },
    async setIfAbsent(name, value, ttlMs) {
      const now = Date.now();
      const won = await query(
        `INSERT INTO keyv(key, value, expires) VALUES (?1, ?2, ?3) ${ON_CONFLICT}
         WHERE keyv.expires IS NOT NULL AND keyv.expires <= ?4 RETURNING key`,
        [key(name), storedText(value, ttlMs, now), now + ttlMs, now],
      );
      await counted(1);
      return won.length > 0;
    },
    async commit(commit, deadlineAt) {
      const revision = newRevision();
      const now = Date.now();
      const { mode, prefix } = expectation(commit.expected);
      const record = { ...commit.record, value: stamped(commit.record.value, revision) };
      // One statement whose SELECT reads the table it writes: SQLite computes every row (and the
      // checks) before it writes any, so the rows land all together or not at all.
      const entries = [...commit.entries, record];
      const written = await query(
        `INSERT INTO keyv(key, value, expires)
         SELECT column1, column2, column3 FROM (VALUES ${valueRows(entries.length, 4)})
         WHERE ${SQL_NOW_MS} <= ?1 AND ${RECORD_HOLDS[mode]} ${ON_CONFLICT} RETURNING key`,
        [deadlineAt, key(record.key), prefix, ...rows(entries, now)],
      );
      if (written.length === 0) {
        if (Date.now() > deadlineAt)
          throw new StoreUnavailableError("Store commit ran after its deadline; nothing was written", {
            failure: "timeout",
          });
        throw new CommitConflictError(
          "changed",
          "The session changed since it was read; nothing was written",
        );
      }
      if (commit.drop.length > 0) {
        await query(
          `DELETE FROM keyv WHERE key IN (SELECT value FROM json_each(?1))
           AND EXISTS (SELECT 1 FROM keyv WHERE key = ?2 AND substr(value, 1, length(?3)) = ?3)`,
          [JSON.stringify(commit.drop.map(key)), key(record.key), revisionPrefix(revision)],
        );
      }
      return revision;
    },
    maintain,
    // A write and a read of a probe row: fails when the file is read-only, full or corrupted.
    async probe() {
      const now = Date.now();
      try {
        await upsert([{ key: PROBE_KEY, value: now, ttlMs: 60_000 }]);
      } catch (error) {
        return { writeError: error instanceof Error ? error.message : String(error) };
      }
      const [row] = await query("SELECT value FROM keyv WHERE key = ?1", [key(PROBE_KEY)]);
      return row ? {} : { writeError: "the probe row written was not read back" };
    },
    async close() {
      clearInterval(timer);
    },
  };
}
