import type { KeyValueStore } from "../core/kv.js";
import type { ProbeResult } from "./driver.js";

/**
 * What `/healthz` says about the store: `ok` only when a write and a read just worked (a read alone
 * passes on a read-only replica, a full Redis or a read-only SQLite file), with warnings about what
 * will go wrong before it does. A backend adds its own facts under its name (Redis: `redis`, its
 * role, eviction policy and memory use).
 */
export interface StoreHealth {
  readonly ok: boolean;
  /** Unset when no probe has answered yet. */
  readonly kind?: KeyValueStore["kind"];
  /** Why not ok: the write probe's error, a replica, no answer in time. */
  readonly reason?: string;
  readonly warnings: readonly string[];
  /** The backend's own facts, under its name. */
  readonly [facts: string]: unknown;
}

/** A probe's result as health. */
export function healthOf(kind: KeyValueStore["kind"], probe: ProbeResult): StoreHealth {
  const warnings = [...(probe.warnings ?? [])];
  const facts = probe.facts ?? {};
  if (probe.writeError !== undefined)
    return { ok: false, kind, reason: `store writes fail: ${probe.writeError}`, warnings, ...facts };
  return { ok: true, kind, warnings, ...facts };
}

/** A probe that failed outright (unreachable, timed out) as health. */
export const unhealthy = (kind: KeyValueStore["kind"], error: unknown): StoreHealth => ({
  ok: false,
  kind,
  reason: error instanceof Error ? error.message : String(error),
  warnings: [],
});
