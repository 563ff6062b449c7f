import { StoreUnavailableError } from "../core/errors.js";
/** The default deadline of a store call (`STORE_TIMEOUT`). */
export const DEFAULT_STORE_TIMEOUT_MS = 3000;

/**
 * Runs a store operation and turns any failure into a StoreUnavailableError naming what failed, so
 * callers handle one error type; a lock timeout keeps its own meaning ("busy", not "down"). With
 * `timeoutMs`, the call fails once that passed, whatever the store does later (a stalled Redis).
 */
export async function storeOp<T>(what: string, op: () => Promise<T>, timeoutMs?: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    if (timeoutMs === undefined) return await op();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StoreUnavailableError(`${what} did not answer within ${timeoutMs} ms`, {
              failure: "timeout",
            }),
          ),
        timeoutMs,
      );
    });
    return await Promise.race([op(), late]);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    if (error instanceof Error && "code" in error && error.code === "LOCK_TIMEOUT") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`${what} failed: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
