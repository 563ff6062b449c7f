import type { KeyValueStore, KvEntry } from "../core/kv.js";
import { archiveKey, derivedKey, SEGMENT_TURNS, segmentKey, segmentOf } from "./keys.js";
import type { CurrentRecord } from "./upgrade-record.js";

/**
 * Share of the time to live after which an active channel's keys are renewed: a channel then expires
 * between 90% and 100% of `ttlMs` after its last activity, all its keys together.
 */
export const TTL_RENEW_SHARE = 0.1;
/** Keys read at once when renewing. */
const RENEW_BATCH = 32;

/**
 * Every stored key of the channel with a fresh time to live, once `TTL_RENEW_SHARE` of it has passed
 * (none before), so the turns and indexes of a channel in daily use never expire under it. They are
 * written in the exchange's fenced commit, never on their own: a process that lost the channel must not
 * write back what it read. Sets `ttlRenewedAt`, committed with them.
 */
export async function renewalEntries(
  kv: KeyValueStore,
  channel: string,
  session: CurrentRecord,
  ttlMs: number | undefined,
  tailFrom: number,
  now: number,
): Promise<KvEntry[]> {
  if (ttlMs === undefined) return [];
  // A record from before renewals (no `ttlRenewedAt`) has keys whose expiries are unknown: renew now.
  if (session.ttlRenewedAt !== undefined && now - session.ttlRenewedAt < ttlMs * TTL_RENEW_SHARE) return [];
  const keys: string[] = [];
  const keyedUpTo = Math.min(tailFrom, session.next);
  for (let s = segmentOf(session.first); s * SEGMENT_TURNS < keyedUpTo; s++)
    keys.push(segmentKey(channel, s));
  keys.push(...session.derivedKeys.map((name) => derivedKey(channel, name)));
  if (session.archived > 0) keys.push(archiveKey(channel));
  const entries: KvEntry[] = [];
  for (let i = 0; i < keys.length; i += RENEW_BATCH) {
    const batch = keys.slice(i, i + RENEW_BATCH);
    const values = await kv.getMany<unknown>(batch);
    batch.forEach((key, j) => {
      if (values[j] !== undefined) entries.push({ key, value: values[j], ttlMs });
    });
  }
  session.ttlRenewedAt = now;
  return entries;
}
