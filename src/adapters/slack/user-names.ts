/** Looks a user's display name up on the platform; undefined when it cannot say. */
export type NameLookup = (userId: string) => Promise<string | undefined>;

/** Display names for the prompt ("Ann: ..."), so the model can tell speakers apart by name. */
export interface UserNames {
  /** The user's name, or the id when the lookup fails; never throws. */
  nameOf(userId: string): Promise<string>;
}

/** How long entries live and how many are kept; the lookup is injected so the cache is testable. */
export interface CachedLookupOptions<T> {
  readonly lookup: (id: string) => Promise<T | undefined>;
  /** What an id stands for when the platform cannot say (the id itself as a name, no admin rights). */
  readonly fallback: (id: string) => T;
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

const RETRY_FAILED_MS = 60_000;

/**
 * One platform lookup per id per hour at most, in a bounded cache per process; a failed lookup gives
 * the fallback and is tried again after a minute. Never throws.
 */
export function createCachedLookup<T>(options: CachedLookupOptions<T>): (id: string) => Promise<T> {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: Promise<T>; until: number }>();
  return (id) => {
    const hit = cache.get(id);
    if (hit && hit.until > now()) return hit.value;
    const value = options.lookup(id).then(
      (found) => found ?? options.fallback(id),
      (error: unknown) => {
        options.onError?.(error);
        // Try again soon rather than using the fallback for the next hour.
        cache.set(id, { value: Promise.resolve(options.fallback(id)), until: now() + RETRY_FAILED_MS });
        return options.fallback(id);
      },
    );
    cache.delete(id);
    cache.set(id, { value, until: now() + ttlMs });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return value;
  };
}

/** The lookup is injected so the cache can be tested without Slack. */
export type UserNamesOptions = Omit<CachedLookupOptions<string>, "lookup" | "fallback"> & {
  readonly lookup: NameLookup;
};

/** Names rarely change: one lookup per user per hour at most (see `createCachedLookup`). */
export function createUserNames(options: UserNamesOptions): UserNames {
  const nameOf = createCachedLookup<string>({
    ...options,
    lookup: async (id) => (await options.lookup(id))?.trim() || undefined,
    fallback: (id) => id,
  });
  return { nameOf };
}
