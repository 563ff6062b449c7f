/**
 * Coalesces frequent updates (a streaming answer) into at most one call per `intervalMs`, always
 * delivering the latest value; `flush` waits for the last one. Errors are passed to `onError`.
 */
export interface Throttled<T> {
  push(value: T): void;
  flush(): Promise<void>;
}

export function createThrottle<T>(
  intervalMs: number,
  deliver: (value: T) => Promise<void>,
  onError: (error: unknown) => void,
  now: () => number = Date.now,
): Throttled<T> {
  let pending: { value: T } | undefined;
  let last = Number.NEGATIVE_INFINITY;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const send = () => {
    timer = undefined;
    const next = pending;
    if (!next) return;
    pending = undefined;
    last = now();
    running = running.then(() => deliver(next.value)).catch(onError);
  };

  return {
    push(value) {
      pending = { value };
      if (timer) return;
      const wait = Math.max(0, last + intervalMs - now());
      timer = setTimeout(send, wait);
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      pending = undefined;
      await running;
    },
  };
}
