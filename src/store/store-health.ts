import type { KeyValueStore } from "../core/kv.js";
import type { ProbeResult, RedisFacts } from "./backend.js";
import { evictionProblem } from "./redis-backend.js";

/** Share of `maxmemory` past which `/healthz` warns that writes will soon fail (under `noeviction`). */
export const MEMORY_WARN_SHARE = 0.9;

/**
 * What `/healthz` says about the store: `ok` only when a write and a read just worked (a read alone
 * passes on a read-only replica, a full Redis or a read-only SQLite file). On Redis, also its role,
 * eviction policy and memory use, with warnings about what will go wrong before it does.
 */
export interface StoreHealth {
  readonly ok: boolean;
  /** Unset when no probe has answered yet. */
  readonly kind?: KeyValueStore["kind"];
  /** Why not ok: the write probe's error, a replica, no answer in time. */
  readonly reason?: string;
  readonly warnings: readonly string[];
  readonly redis?: RedisFacts;
}

function warningsOf(facts: RedisFacts | undefined): string[] {
  if (!facts) return [];
  const warnings: string[] = [];
  const eviction = evictionProblem(facts);
  if (eviction) warnings.push(eviction);
  if (facts.maxMemoryBytes > 0 && facts.usedMemoryBytes >= facts.maxMemoryBytes * MEMORY_WARN_SHARE) {
    const share = Math.round((facts.usedMemoryBytes / facts.maxMemoryBytes) * 100);
    warnings.push(
      `Redis uses ${share}% of its maxmemory: once full, writes fail and nothing new is remembered`,
    );
  }
  return warnings;
}

/** A probe's result as health. */
export function healthOf(kind: KeyValueStore["kind"], probe: ProbeResult): StoreHealth {
  const warnings = warningsOf(probe.redis);
  const facts = probe.redis ? { redis: probe.redis } : {};
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
