import { StoreUnavailableError } from "../core/errors.js";
import { type KeyvStore, type OpenedStore, type StoreOptions, StoreRefusedError } from "./backend.js";
import { backendFor } from "./backends.js";

export {
  type KeyvStore,
  type LockTimings,
  type OpenedStore,
  type StoreOptions,
  StoreRefusedError,
} from "./backend.js";
export type { StoreHealth } from "./store-health.js";

/** Strips user and password from a store URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/**
 * Opens the store STORE_URL names, with the coordination and counters its backend brings (see
 * `backends.ts`), errors surfaced: an outage must read as "memory unavailable", never as an empty
 * memory. Every call has the deadline `opTimeoutMs`. Resolves once a write and a read worked (and the
 * backend found nothing that forbids using it, such as a Redis that evicts keys).
 */
export async function openStore(options: StoreOptions): Promise<OpenedStore> {
  const backend = backendFor(options.url);
  if (!backend) throw new StoreUnavailableError(`Unsupported STORE_URL ${redactUrl(options.url)}`);
  const opened = await backend.open(options);
  try {
    const health = await opened.kv.health();
    if (!health.ok) throw new StoreUnavailableError(health.reason ?? "store check failed");
    backend.check?.(health, options);
  } catch (error) {
    await opened.kv.close();
    throw error;
  }
  return opened;
}

/** Opens only the key-value side of a store (tools, tests); closing it closes the store. */
export async function createKeyvStore(options: StoreOptions): Promise<KeyvStore> {
  return (await openStore(options)).kv;
}

export interface ConnectOptions extends StoreOptions {
  /** Give up after this long (STORE_CONNECT_TIMEOUT). */
  readonly timeoutMs: number;
  /** Told about each failed attempt, to log it. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the store at start-up, retrying with backoff while it is unreachable or refuses writes (Redis
 * starting after the bot in a compose file, a replica about to be promoted), and fails with a clear
 * error once `timeoutMs` has passed. A refusal (an evicting Redis) fails at once.
 */
export async function connectStore(options: ConnectOptions): Promise<OpenedStore> {
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const remaining = Math.max(250, deadline - Date.now());
      return await openStore({
        ...options,
        connectTimeoutMs: Math.min(options.connectTimeoutMs ?? 5000, remaining),
      });
    } catch (error) {
      if (error instanceof StoreRefusedError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const delayMs = Math.min(2 ** attempt * 250, 5000);
      if (Date.now() + delayMs >= deadline) {
        throw new StoreUnavailableError(
          `Could not reach the store at ${redactUrl(options.url)} within ${options.timeoutMs} ms: ${reason}`,
          { cause: error },
        );
      }
      options.onRetry?.({ attempt, delayMs, reason });
      await sleep(delayMs);
    }
  }
}
