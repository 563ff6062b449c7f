import type { Platform } from "../core/events.js";

/**
 * A running platform connection. Adapters turn what arrives into `ChatEvent`s for `Bot.handle` and
 * post what the `Outbox` is given; they hold no memory logic.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  /** Stops taking events and closes the connection. */
  stop(): Promise<void>;
  /** For health checks: whether the platform connection is up. */
  connected(): boolean;
}
