/** What a Redis health probe learns besides "writes work". */
export interface RedisFacts {
  /** `master` or `slave` (a replica: its writes never reach the primary). */
  readonly role: string;
  /** `noeviction` is the only policy under which Redis never drops a key of ours to make room. */
  readonly evictionPolicy: string;
  readonly usedMemoryBytes: number;
  /** 0: no limit. */
  readonly maxMemoryBytes: number;
}

/** Share of `maxmemory` past which `/healthz` warns that writes will soon fail (under `noeviction`). */
export const MEMORY_WARN_SHARE = 0.9;

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();

/** The facts `/healthz` reports, from `INFO replication` and `INFO memory` (allowed where CONFIG is not). */
export function parseRedisFacts(replication: string, memory: string): RedisFacts {
  return {
    role: field(replication, "role") ?? "unknown",
    evictionPolicy: field(memory, "maxmemory_policy") ?? "unknown",
    usedMemoryBytes: Number(field(memory, "used_memory") ?? 0),
    maxMemoryBytes: Number(field(memory, "maxmemory") ?? 0),
  };
}

/** Why an eviction policy is unsafe for the bot's memory; undefined for `noeviction`. */
export function evictionProblem(facts: RedisFacts): string | undefined {
  if (facts.evictionPolicy === "noeviction") return undefined;
  return (
    `Redis at STORE_URL uses maxmemory-policy ${facts.evictionPolicy}: when it runs out of memory it ` +
    "deletes keys to make room, and channels lose their memory silently. Set maxmemory-policy noeviction " +
    "(CONFIG SET maxmemory-policy noeviction, or your provider's parameter group); then a full Redis " +
    'refuses writes and the bot answers "memory unavailable" instead. To run anyway, set STORE_ALLOW_EVICTION=true.'
  );
}

/** What will go wrong before it does: keys evicted, or writes refused once memory is full. */
export function redisWarnings(facts: RedisFacts): string[] {
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
