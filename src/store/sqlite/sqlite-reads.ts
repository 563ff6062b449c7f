import { deserialize } from "../serialize.js";

type Query = (sql: string, params?: readonly unknown[]) => Promise<Array<Record<string, unknown>>>;

interface Waiting {
  readonly keys: readonly string[];
  resolve(values: unknown[]): void;
  reject(error: unknown): void;
}

/** A stored row's value, or undefined when it expired (maintenance deletes the row later). */
function liveValue(text: unknown, now: number): unknown {
  if (typeof text !== "string") return undefined;
  const stored = deserialize<{ value?: unknown; expires?: number | null }>(text);
  return typeof stored.expires === "number" && stored.expires < now ? undefined : stored.value;
}

/**
 * Reads on SQLite, batched: every read asked for while the event loop runs one turn (the session and
 * the channel facts of an exchange, the reads of every channel in flight) goes out as one `SELECT …
 * IN`. SQLite runs one statement at a time on the connection, in a worker thread, so with many
 * channels in flight the number of statements, not their size, bounds throughput (see
 * bench/RESULTS.md, "Fenced commits").
 */
export function createSqliteReads(query: Query, key: (name: string) => string) {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    const wanted = [...new Set(batch.flatMap((w) => w.keys.map(key)))];
    try {
      const rows = await query("SELECT key, value FROM keyv WHERE key IN (SELECT value FROM json_each(?1))", [
        JSON.stringify(wanted),
      ]);
      const found = new Map(rows.map((r) => [String(r.key), r.value]));
      const now = Date.now();
      for (const w of batch) w.resolve(w.keys.map((k) => liveValue(found.get(key(k)), now)));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };
  const getMany = (keys: readonly string[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(() => void flush());
      waiting.push({ keys, resolve, reject });
    });
  return {
    getMany,
    get: async (name: string) => (await getMany([name]))[0],
  };
}
