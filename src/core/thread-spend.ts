import type { Logger } from "pino";
import type { KeyValueStore } from "./kv.js";
import { tokensOnDay, utcDay } from "./ledger.js";
import type { ChannelRoute } from "./route.js";
import type { SessionRecord, UsageTotals } from "./session.js";

/** How long a day's figure is kept: past its UTC day it only has to outlive clocks that disagree. */
export const SPEND_TTL_MS = 2 * 86_400_000;

/**
 * Tokens a channel's threads spent per UTC day where each thread keeps a memory (and a ledger) of its
 * own, so the channel's daily budget covers them: opening threads never gets around the budget. Added
 * to atomically, since threads of one channel run in parallel (on Redis, in several processes).
 */
export interface ThreadSpend {
  add(home: string, day: string, tokens: number): Promise<void>;
  get(home: string, day: string): Promise<number>;
}

/** The store key of a channel's threads' spend on a day. */
export const spendKey = (home: string, day: string) => `spend:${home}:${day}`;

/** Counted in the store, one writer at a time: what the stores one process owns bring, ordered in it. */
export function createLocalThreadSpend(kv: KeyValueStore): ThreadSpend {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => {});
    return run;
  };
  return {
    add: (home, day, tokens) =>
      serial(async () => {
        const key = spendKey(home, day);
        await kv.set(key, ((await kv.get<number>(key)) ?? 0) + tokens, SPEND_TTL_MS);
      }),
    get: async (home, day) => (await kv.get<number>(spendKey(home, day))) ?? 0,
  };
}

/**
 * What a thread that keeps its own memory added to its channel's day: its ledger's tokens for the day
 * now against what they were before the exchange, so replies, summaries and embeddings all count.
 */
export function spentSince(usage: UsageTotals, before: number, at: number): number {
  return Math.max(0, tokensOnDay(usage.ledger, at) - before);
}

/** What `spentElsewhere` reads of an event's locked reads; a `RoutedState` is one (kept apart so no cycle). */
export interface SpendReads {
  readonly session: SessionRecord;
  readonly home: SessionRecord;
  readonly threadSpend: number;
}

/**
 * What the rest of the channel spent today besides this session's ledger (`budgetStatus`'s
 * `elsewhere`): for the channel's own memory, its threads'; for a thread with a memory of its own, the
 * channel's and the other threads' (its own spend is in the threads' figure, so it is taken out).
 */
export function spentElsewhere(route: ChannelRoute, state: SpendReads, at: number): number {
  if (route.memory === route.home) return state.threadSpend;
  const own = tokensOnDay(state.session.usage.ledger, at);
  return tokensOnDay(state.home.usage.ledger, at) + Math.max(0, state.threadSpend - own);
}

/** Adds what a thread with a memory of its own spent in one event to its channel's day; logged on failure. */
export async function addThreadSpend(
  spend: ThreadSpend | undefined,
  route: ChannelRoute,
  session: SessionRecord,
  before: number,
  at: number,
  log: Logger,
): Promise<void> {
  if (route.memory === route.home || !spend) return;
  const spent = spentSince(session.usage, before, at);
  if (spent <= 0) return;
  await spend
    .add(route.home, utcDay(at), spent)
    .catch((error: unknown) => log.warn({ err: error }, "thread spend not added to its channel's budget"));
}
