import type { ChatEvent } from "./events.js";

/** The fixed window the per-minute limits count in. */
export const RATE_WINDOW_MS = 60_000;

/**
 * Counts hits on a key in a fixed window that starts at the key's first hit. Resolves the count after
 * this hit. Each store backend brings its own: on a shared store (Redis) one count serves every bot
 * process; on a store one process owns, it lives in the process.
 */
export interface RateCounter {
  hit(key: string, windowMs: number): Promise<number>;
}

/** Messages per minute (`RATE_LIMIT_USER_PER_MIN`, `RATE_LIMIT_CHANNEL_PER_MIN`); 0 turns a limit off. */
export interface RateLimits {
  readonly userPerMinute: number;
  readonly channelPerMinute: number;
}

/** Go ahead; tell the sender once that they are over; or say nothing until the window passes. */
export type RateDecision = "ok" | "notify" | "silent";

/** Decides one addressed message against both limits. */
export interface RateLimiter {
  check(event: Pick<ChatEvent, "platform" | "workspace" | "user">, channel: string): Promise<RateDecision>;
}

export const RATE_LIMITED_REPLY =
  "You're sending messages faster than I can answer here. I'll answer again in about a minute.";

/**
 * Over a limit, the first extra message in a window gets one short notice and the rest get silence,
 * so a spammer cannot make the bot spam back. The channel key is the memory key, so a limit on a
 * channel is shared by everyone in it; the user key spans the user's whole workspace.
 */
export function createRateLimiter(
  counter: RateCounter,
  limits: RateLimits,
  windowMs = RATE_WINDOW_MS,
): RateLimiter {
  const decide = (count: number, limit: number): RateDecision =>
    limit <= 0 || count <= limit ? "ok" : count === limit + 1 ? "notify" : "silent";
  return {
    async check(event, channel) {
      const user = `u:${encodeURIComponent(event.platform)}:${encodeURIComponent(event.workspace)}:${encodeURIComponent(event.user.id)}`;
      const [byUser, byChannel] = await Promise.all([
        limits.userPerMinute > 0 ? counter.hit(user, windowMs) : Promise.resolve(0),
        limits.channelPerMinute > 0 ? counter.hit(`c:${channel}`, windowMs) : Promise.resolve(0),
      ]);
      const decisions = [decide(byUser, limits.userPerMinute), decide(byChannel, limits.channelPerMinute)];
      if (decisions.every((d) => d === "ok")) return "ok";
      return decisions.includes("notify") ? "notify" : "silent";
    },
  };
}

/** How often the in-process counter drops windows that have passed. */
const PRUNE_EVERY_HITS = 1024;

/** Counts in process: what the stores one process owns (SQLite, memory) bring as their counter. */
export function createLocalRateCounter(now: () => number = Date.now): RateCounter {
  const windows = new Map<string, { until: number; count: number }>();
  let hits = 0;
  return {
    async hit(key, windowMs) {
      const at = now();
      if (++hits % PRUNE_EVERY_HITS === 0) {
        for (const [k, w] of windows) if (w.until <= at) windows.delete(k);
      }
      const current = windows.get(key);
      if (!current || current.until <= at) {
        windows.set(key, { until: at + windowMs, count: 1 });
        return 1;
      }
      current.count += 1;
      return current.count;
    },
  };
}
