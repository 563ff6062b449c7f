/**
 * A small least-recently-used map, for caches of data that never changes under its key: sealed
 * retrieval index blocks, complete turn segments, token counts. A cache of store data is never the
 * only copy, so a restart or a second process loses nothing.
 */
export interface LruCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  readonly size: number;
}

export function createLruCache<T>(maxEntries: number): LruCache<T> {
  const entries = new Map<string, T>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
