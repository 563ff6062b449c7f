import { randomUUID } from "node:crypto";
import type { SessionRecord } from "../core/session.js";
import type { Turn } from "../core/turn.js";

/**
 * A session record in the shape this code writes: every field an earlier version's record may lack is
 * set. One field stays optional on purpose, because its absence means something: `ttlRenewedAt`
 * unset is a record from before TTL renewals (see `upgradeRecord`).
 */
export type CurrentRecord = SessionRecord & {
  tail: Turn[];
  tailFrom: number;
  logId: string;
  segmentsVersion: number;
  archived: number;
};

/**
 * Brings a record to the current shape, once, as the store loads it, so the rest of the store reads
 * one shape. Each older shape keeps exactly the meaning it had:
 * - no `tail` or no `tailFrom` (written before the session tail): its filling segment is all in its
 *   key, so the tail is empty and starts at `next`;
 * - no `logId` (written before logs were named): the log gets its name now, saved with its next commit;
 * - no `segmentsVersion`: no complete segment was rewritten, version 0;
 * - no `archived`: nothing archived, 0;
 * - no `ttlRenewedAt` stays so: the keys' expiries are unknown, so the record keeps its whole time to
 *   live and the next exchange renews every key (`ttl-renewal.ts`).
 * Changes the record in place and returns it (the revision it was read at stays attached to it); a
 * record in the current shape is left as it is, so a session the store did not load (made by hand)
 * can go through it too.
 */
export function upgradeRecord(record: SessionRecord): CurrentRecord {
  if (record.tail === undefined || record.tailFrom === undefined) {
    record.tail = [];
    record.tailFrom = record.next;
  }
  record.logId ??= randomUUID();
  record.segmentsVersion ??= 0;
  record.archived ??= 0;
  return record as CurrentRecord;
}
