import { randomUUID } from "node:crypto";
import type { Turn } from "../core/turn.js";
import { SEGMENT_TURNS } from "./keys.js";
import type { CurrentRecord } from "./upgrade-record.js";

/** A channel's first session record: an empty log, a fresh log id. */
export function newSession(now: number): CurrentRecord {
  return {
    v: 1,
    first: 0,
    next: 0,
    createdAt: now,
    lastActivity: now,
    usage: { promptTokens: 0, completionTokens: 0, calls: 0 },
    derived: {},
    derivedKeys: [],
    tail: [],
    tailFrom: 0,
    logId: randomUUID(),
    segmentsVersion: 0,
    ttlRenewedAt: now,
    archived: 0,
  };
}

/** The turns kept in the session record, and the seq from which turns live there, not in keys. */
export function tailOf(session: CurrentRecord): { readonly from: number; readonly turns: readonly Turn[] } {
  return { from: session.tailFrom, turns: session.tail };
}

/** Whether the record says segment `s`'s key holds turns (so a missing key means they were lost). */
export function holdsKeyedTurns(session: CurrentRecord, s: number): boolean {
  const from = Math.max(session.first, s * SEGMENT_TURNS);
  return from < Math.min(session.tailFrom, session.next, (s + 1) * SEGMENT_TURNS);
}

/** Characters of text in turns (words and answers): what the tail may hold is bounded by it. */
export const tailChars = (turns: readonly Turn[]) =>
  turns.reduce((sum, t) => sum + t.text.length + (t.reply?.length ?? 0), 0);
