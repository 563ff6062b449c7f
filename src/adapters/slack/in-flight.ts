/**
 * Tracks work an adapter started on its own (Bolt calls listeners and forgets them), so shutdown
 * and tests can wait until every answer is out.
 */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once everything tracked so far, and anything it started, has settled. */
  idle(): Promise<void>;
}

/** A tracker per adapter; nothing is shared between adapters. */
export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return work;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
