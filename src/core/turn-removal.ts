import { carrySummary, type SummaryFate } from "../memory/summary/carry.js";
import type { ArchivedTurn, ChannelStore, TurnChange } from "./channel-store.js";
import type { SessionRecord } from "./session.js";
import type { Turn } from "./turn.js";

/** Posted in the channel, once, when removed words took a summary that nothing can rebuild with them. */
export const SUMMARY_LOST_NOTICE =
  "Note: I dropped my summary of this channel's earlier conversation. It included words that were just removed, and the messages it was made from are no longer stored, so it cannot be rebuilt without them.";

/** What a rewrite of the channel's memory did. */
export interface MemoryRewrite {
  /** Stored turns deleted and turns replaced, as they were. */
  readonly removed: readonly Turn[];
  readonly changed: readonly Turn[];
  /** A turn no longer stored, but folded into the summary, matched. */
  readonly archiveHit: boolean;
  readonly summary: SummaryFate;
}

/**
 * Edits or removes stored turns everywhere they live: the turns themselves, every derived entry (the
 * index, embeddings), and the running summary when it holds them. `archived` picks the archived turns
 * (gone, but folded into the summary) the removal also concerns, such as the same message or user.
 */
export async function rewriteMemory(
  store: ChannelStore,
  channel: string,
  session: SessionRecord,
  change: TurnChange,
  archived?: (turn: ArchivedTurn) => boolean,
): Promise<MemoryRewrite> {
  const facts = { archived: (session.archived ?? 0) > 0, first: session.first };
  const archiveHit =
    archived !== undefined && facts.archived && (await store.archivedTurns(channel, session)).some(archived);
  let summary: SummaryFate = "none";
  const rewrite = await store.rewriteTurns(channel, session, change, {
    dropDerived: archiveHit,
    keepState(before, renumbered) {
      const carried = carrySummary(before, renumbered, { ...facts, archiveHit });
      summary = carried.fate;
      return carried.state;
    },
  });
  return { ...rewrite, archiveHit, summary };
}

/** Whether a rewrite changed anything at all. */
export const rewrote = (r: MemoryRewrite) => r.removed.length + r.changed.length > 0 || r.archiveHit;
