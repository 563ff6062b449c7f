import { randomUUID } from "node:crypto";
import type { SessionRecord } from "../core/session.js";
import type { Turn } from "../core/turn.js";

/** A channel's first session record: an empty log, a fresh log id. */
export function newSession(now: number): SessionRecord {
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
  };
}

/** The turns kept in the session record, and the seq from which turns live there, not in keys. */
export function tailOf(session: SessionRecord): { readonly from: number; readonly turns: readonly Turn[] } {
  if (session.tail === undefined || session.tailFrom === undefined) return { from: session.next, turns: [] };
  return { from: session.tailFrom, turns: session.tail };
}

/** Characters of text in turns (words and answers): what the tail may hold is bounded by it. */
export const tailChars = (turns: readonly Turn[]) =>
  turns.reduce((sum, t) => sum + t.text.length + (t.reply?.length ?? 0), 0);
