/**
 * A small least-recently-used map. Retrieval keeps decoded copies of sealed (never again written)
 * index chunks and vector blocks here so a message does not re-read the whole history; it is a
 * cache of store data, never the only copy, so a restart or a second process loses nothing.
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
