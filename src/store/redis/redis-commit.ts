import type { RedisConnectionClientType } from "@keyv/redis";
import { CommitConflictError, StoreUnavailableError } from "../../core/errors.js";
import type { FencedCommit } from "../../core/kv.js";
import { expectation, newRevision, stamped, storedText } from "../revision.js";
import { createRedisScript } from "./redis-script.js";

/**
 * The fenced commit in one script, so nothing runs between its checks and its writes: refused when
 * the server runs it past its deadline (a command queued behind a stall lands after the caller gave
 * up: it must not write then), when the lease token is not this holder's, or when the record's stored
 * text does not start as the revision read. Every check comes before the first write, so a refusal,
 * an OOM or a READONLY error writes nothing.
 * KEYS: record, lease, entries…, drops…   ARGV: mode, prefix, deadline, token, record, ttl, n, (value, ttl)×n
 */
const COMMIT = `
redis.replicate_commands()
if ARGV[3] ~= '' then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[3]) then return 'late' end
end
if ARGV[4] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[4] then return 'lease-lost' end
local cur = redis.call('GET', KEYS[1])
local mode, prefix = ARGV[1], ARGV[2]
if mode == 'absent' then
  if cur then return 'changed' end
elseif not cur then return 'changed'
elseif mode == 'unversioned' then
  if string.sub(cur, 1, #prefix) == prefix then return 'changed' end
elseif string.sub(cur, 1, #prefix) ~= prefix then return 'changed' end
local n = tonumber(ARGV[7])
for i = 1, n do
  local value, ttl = ARGV[6 + 2 * i], ARGV[7 + 2 * i]
  if ttl == '' then redis.call('SET', KEYS[2 + i], value) else redis.call('SET', KEYS[2 + i], value, 'PX', ttl) end
end
if ARGV[6] == '' then redis.call('SET', KEYS[1], ARGV[5]) else redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[6]) end
for i = 3 + n, #KEYS do redis.call('DEL', KEYS[i]) end
return 'ok'`;

const script = createRedisScript(COMMIT);

/**
 * Time a commit needs between the server running it and its answer reaching the caller: a commit the
 * server runs later than this before the caller's deadline is refused, so one that lands is always
 * answered in time (the caller never reports "unavailable" for a commit that in fact landed).
 */
export const COMMIT_ANSWER_MARGIN_MS = 250;

/** How often the server's clock is measured again at least (health probes measure it too). */
export const CLOCK_RESYNC_MS = 60_000;

/** This machine's clock against the server's: `serverMs - localMs`, measured with `TIME`. */
export interface ServerClock {
  offsetMs(): number | undefined;
  /** Measures again (start-up, every health probe, and a commit finding the last one old). */
  sync(client: RedisConnectionClientType): Promise<void>;
  /** Whether the last measure is older than CLOCK_RESYNC_MS. */
  stale(): boolean;
}

export function createServerClock(): ServerClock {
  let offset: number | undefined;
  let syncedAt = Number.NEGATIVE_INFINITY;
  return {
    offsetMs: () => offset,
    async sync(client) {
      const sent = Date.now();
      syncedAt = sent;
      const [seconds = "0", micros = "0"] = (await client.sendCommand(["TIME"])) as string[];
      const received = Date.now();
      offset = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (sent + received) / 2;
    },
    stale: () => Date.now() - syncedAt > CLOCK_RESYNC_MS,
  };
}

export interface RedisCommitDeps {
  client(): Promise<RedisConnectionClientType>;
  key(name: string): string;
  readonly clock: ServerClock;
}

/** Runs a fenced commit on Redis; resolves the new revision. */
export async function redisCommit(deps: RedisCommitDeps, commit: FencedCommit, deadlineAt: number) {
  const client = await deps.client();
  // Sent after this commit on the same connection: it never delays it.
  if (deps.clock.stale()) queueMicrotask(() => void deps.clock.sync(client).catch(() => {}));
  const revision = newRevision();
  const now = Date.now();
  const { mode, prefix } = expectation(commit.expected);
  const offset = deps.clock.offsetMs();
  const serverDeadline =
    offset === undefined ? "" : String(Math.floor(deadlineAt + offset - COMMIT_ANSWER_MARGIN_MS));
  const { record, entries, drop, lease } = commit;
  const ttl = (ms: number | undefined) => (ms === undefined ? "" : String(Math.max(1, Math.floor(ms))));
  const keys = [
    deps.key(record.key),
    deps.key(lease?.key ?? record.key),
    ...entries.map((e) => deps.key(e.key)),
    ...drop.map((name) => deps.key(name)),
  ];
  const args = [
    mode,
    prefix,
    serverDeadline,
    lease?.token ?? "",
    storedText(stamped(record.value, revision), record.ttlMs, now),
    ttl(record.ttlMs),
    String(entries.length),
    ...entries.flatMap((e) => [storedText(e.value, e.ttlMs, now), ttl(e.ttlMs)]),
  ];
  const outcome = String(await script.run(client, keys, args));
  if (outcome === "ok") return revision;
  if (outcome === "late")
    throw new StoreUnavailableError("Store commit reached Redis after its deadline; nothing was written", {
      failure: "timeout",
    });
  if (outcome === "lease-lost")
    throw new CommitConflictError(
      "lease-lost",
      "The channel's lock lapsed before the commit; nothing was written",
    );
  throw new CommitConflictError("changed", "The session changed since it was read; nothing was written");
}
