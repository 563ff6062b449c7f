import type { ActivityIndex, Coordination } from "../core/coordination.js";
import type { KeyValueStore } from "../core/kv.js";
import { createLocalRateCounter } from "../core/rate-limit.js";
import { createLocalThreadSpend } from "../core/thread-spend.js";
import type { KeyvStore, OpenedStore } from "./backend.js";

const INDEX_KEY = "activity";
/** Activity is re-written at most this often per channel: the sweep works in hours, not seconds. */
const TOUCH_GRANULARITY_MS = 60_000;

/**
 * Activity kept in one store entry. Fine for the embedded stores, which one process owns and which
 * serve a modest number of channels; Redis uses a sorted set instead (redis/redis-coordination.ts).
 */
function createLocalActivity(kv: KeyValueStore): ActivityIndex {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => {});
    return run;
  };
  const read = async () => (await kv.get<Record<string, number>>(INDEX_KEY)) ?? {};
  /** When this process last wrote each channel's activity: a touch within the granularity reads nothing. */
  const written = new Map<string, number>();
  return {
    touch: (channel, at) =>
      serial(async () => {
        if (at - (written.get(channel) ?? Number.NEGATIVE_INFINITY) < TOUCH_GRANULARITY_MS) return;
        const index = await read();
        written.set(channel, index[channel] ?? Number.NEGATIVE_INFINITY);
        if (at - (index[channel] ?? Number.NEGATIVE_INFINITY) < TOUCH_GRANULARITY_MS) return;
        index[channel] = at;
        await kv.set(INDEX_KEY, index);
        written.set(channel, at);
      }),
    idleBefore: async (before, limit) =>
      Object.entries(await read())
        .filter(([, at]) => at < before)
        .sort(([, a], [, b]) => a - b)
        .slice(0, limit)
        .map(([channel]) => channel),
    remove: (channel) =>
      serial(async () => {
        const index = await read();
        written.delete(channel);
        if (!(channel in index)) return;
        delete index[channel];
        await kv.set(INDEX_KEY, index);
      }),
  };
}

/** Single-process coordination: the in-process channel queue already orders exchanges. */
export function createLocalCoordination(kv: KeyValueStore): Coordination {
  return {
    lock: {
      withLock: (_channel, task, onAttempt) => {
        onAttempt?.();
        return task();
      },
    },
    activity: createLocalActivity(kv),
    claim: (slot, ttlMs) => kv.setIfAbsent(`slot:${slot}`, Date.now(), ttlMs),
  };
}

/**
 * What a store one process owns brings besides its key-value side: the in-process lock and activity
 * index, and the rate counter and threads' spend counted in this process.
 */
export function openedInProcess(kv: KeyvStore, now?: () => number): OpenedStore {
  return {
    kv,
    coordination: createLocalCoordination(kv),
    rateCounter: createLocalRateCounter(now),
    threadSpend: createLocalThreadSpend(kv),
  };
}
