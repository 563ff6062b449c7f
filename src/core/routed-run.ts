import type { Logger } from "pino";
import type { ChannelStore } from "./channel-store.js";
import type { ChatEvent } from "./events.js";
import type { Guard } from "./guard.js";
import type { KeyedQueue } from "./keyed-queue.js";
import type { KnowledgeSnippet, KnowledgeSource } from "./knowledge-section.js";
import { utcDay } from "./ledger.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import type { ChannelRoute } from "./route.js";
import type { Routed, Router } from "./router.js";
import type { SessionRecord } from "./session.js";
import type { ThreadSpend } from "./thread-spend.js";

/** What an event's work starts from, read under the lock of the record it changes. */
export interface RoutedState {
  /** The record under the lock: the memory session, or the channel's record for a set-up command. */
  readonly session: SessionRecord;
  /** The channel's record: `session` itself when the event's memory is the channel's. */
  readonly home: SessionRecord;
  readonly found: KnowledgeSnippet[];
  /** What the channel's threads that keep their own memory spent today (0 without a daily budget). */
  readonly threadSpend: number;
}

/** One event's run: which record it locks, what else it reads, and its work on the settled route. */
export interface RoutedRun {
  readonly event: ChatEvent;
  readonly outbox: Outbox;
  readonly log: Logger;
  /** The key of the record the work changes (the memory session's, or the channel's for set-up). */
  readonly lockKey: (route: ChannelRoute) => string;
  /** Knowledge is looked up for this text, with the reads. */
  readonly query?: string | undefined;
  /** Decides whether the event may go on (rate limits), after the duplicate check; gets the channel's key. */
  readonly admit?: ((home: string) => Promise<HandleOutcome | undefined>) | undefined;
  readonly work: (routed: Routed, state: RoutedState) => Promise<HandleOutcome>;
}

/** The store, router, queue and guard the runner combines; the threads' spend is read with the locked reads. */
export interface RoutedRunDeps {
  readonly store: ChannelStore;
  readonly router: Router;
  readonly queue: KeyedQueue;
  readonly guard: Guard;
  readonly knowledge?: KnowledgeSource | undefined;
  readonly threadSpend?: ThreadSpend | undefined;
  /** Whether a daily budget is set, so the threads' spend is worth reading. */
  readonly budgeted: boolean;
  readonly now: () => number;
}

/**
 * Runs events on their channel's route at no extra round trip: the route is guessed from what this
 * process last read of the channel, the channel's record is read with the locked reads, and in the
 * rare case it routes the event elsewhere (another process changed the set-up) the event is run once
 * more on that route, after the first lock is released (so no two locks are ever held at once).
 */
export function createRoutedRunner(deps: RoutedRunDeps) {
  const { store, router, queue, guard } = deps;

  const reads = (route: ChannelRoute, key: string, query: string | undefined): Promise<RoutedState> =>
    Promise.all([
      store.load(key),
      key === route.home ? undefined : store.load(route.home),
      query === undefined ? [] : (deps.knowledge?.retrieve(route.memory, query) ?? []),
      deps.budgeted && deps.threadSpend ? deps.threadSpend.get(route.home, utcDay(deps.now())) : 0,
    ]).then(([session, home, found, threadSpend]) => ({
      session,
      home: home ?? session,
      found,
      threadSpend,
    }));

  async function attempt(run: RoutedRun, route: ChannelRoute, checked: boolean) {
    const key = run.lockKey(route);
    run.outbox.place?.(route.placement);
    let corrected: ChannelRoute | undefined;
    const outcome = await queue.run(key, () => {
      let started: Promise<RoutedState> | undefined;
      return guard.run(run.event, key, run.outbox, run.log, {
        checked,
        admit:
          checked || !run.admit ? undefined : () => run.admit?.(route.home) ?? Promise.resolve(undefined),
        onLockAttempt: () => {
          started = reads(route, key, run.query);
          // An attempt that does not get the lock drops its reads; their failure is not an error.
          started.catch(() => {});
        },
        work: async () => {
          const state = await (started ?? reads(route, key, run.query));
          const settled = router.settle(
            run.event,
            state.home,
            key === route.memory ? state.session : undefined,
          );
          if (!checked && run.lockKey(settled.route) !== key) {
            corrected = settled.route;
            return "ignored";
          }
          // Redone once at most: a record that changed again meanwhile is taken as locked.
          return run.work(checked ? { ...settled, route } : settled, state);
        },
      });
    });
    return { outcome, corrected };
  }

  return async function runRouted(run: RoutedRun): Promise<HandleOutcome> {
    const first = await attempt(run, router.guess(run.event).route, false);
    if (!first.corrected) return first.outcome;
    run.log.debug({ memory: first.corrected.memory }, "channel set-up changed elsewhere; event rerouted");
    return (await attempt(run, first.corrected, true)).outcome;
  };
}

/** Runs an event on its channel's route; see `createRoutedRunner`. */
export type RunRouted = ReturnType<typeof createRoutedRunner>;
