/** Looks a user's display name up on the platform; undefined when it cannot say. */
export type NameLookup = (userId: string) => Promise<string | undefined>;

/** Display names for the prompt ("Ann: ..."), so the model can tell speakers apart by name. */
export interface UserNames {
  /** The user's name, or the id when the lookup fails; never throws. */
  nameOf(userId: string): Promise<string>;
}

/** The lookup is injected so the cache can be tested without Slack. */
export interface UserNamesOptions {
  readonly lookup: NameLookup;
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

const RETRY_FAILED_MS = 60_000;

/** Names rarely change: one `users.info` per user per hour at most, a bounded cache per process. */
export function createUserNames(options: UserNamesOptions): UserNames {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { name: Promise<string>; until: number }>();
  return {
    nameOf(userId) {
      const hit = cache.get(userId);
      if (hit && hit.until > now()) return hit.name;
      const name = options.lookup(userId).then(
        (found) => found?.trim() || userId,
        (error: unknown) => {
          options.onError?.(error);
          // Try again soon rather than showing an id for the next hour.
          cache.set(userId, { name: Promise.resolve(userId), until: now() + RETRY_FAILED_MS });
          return userId;
        },
      );
      cache.delete(userId);
      cache.set(userId, { name, until: now() + ttlMs });
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return name;
    },
  };
}
