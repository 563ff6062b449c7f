type Query = (sql: string, params?: readonly unknown[]) => Promise<Array<Record<string, unknown>>>;

/** `PRAGMA auto_vacuum` value of INCREMENTAL: freed pages can be given back a few at a time. */
const AUTO_VACUUM_INCREMENTAL = 2;

const ignoreDuplicateColumn = (error: unknown) => {
  // Another process opening the same file added it first.
  if (!(error instanceof Error && /duplicate column/i.test(error.message))) throw error;
};

/**
 * Brings a SQLite file (new, or written by an earlier version) to the layout the store needs, once:
 * - write-ahead log, synced at checkpoints: a commit survives the process crashing, and writes stop
 *   waiting on an fsync each;
 * - an `expires` column beside Keyv's `key` and `value`, filled from the expiry Keyv keeps inside each
 *   value, and indexed, so expired rows are deleted by one statement (Keyv only drops an expired row
 *   when it is read again, which a duplicate check never is);
 * - incremental auto-vacuum (switching an existing file costs one VACUUM, at this start-up only), so
 *   the file shrinks as rows go instead of keeping its largest size for ever.
 */
export async function prepareSqlite(query: Query): Promise<void> {
  await query("PRAGMA journal_mode = WAL");
  await query("PRAGMA synchronous = NORMAL");
  const columns = await query("PRAGMA table_info(keyv)");
  if (!columns.some((c) => c.name === "expires")) {
    await query("ALTER TABLE keyv ADD COLUMN expires INTEGER").catch(ignoreDuplicateColumn);
    await query(
      `UPDATE keyv SET expires = CAST(json_extract(value, '$.expires') AS INTEGER)
       WHERE expires IS NULL AND json_valid(value) AND json_type(value, '$.expires') IN ('integer', 'real')`,
    );
  }
  await query("CREATE INDEX IF NOT EXISTS keyv_expires ON keyv(expires) WHERE expires IS NOT NULL");
  const [mode] = await query("PRAGMA auto_vacuum");
  if (Number(mode?.auto_vacuum) !== AUTO_VACUUM_INCREMENTAL) {
    await query(`PRAGMA auto_vacuum = ${AUTO_VACUUM_INCREMENTAL}`);
    await query("VACUUM");
  }
}
