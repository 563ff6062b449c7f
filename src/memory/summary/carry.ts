import type { RenumberedRewrite } from "../../core/channel-store.js";
import { summaryIn, summaryOnly } from "./state.js";

/** What became of a channel's running summary when stored turns were edited or removed. */
export const SUMMARY_FATES = ["none", "kept", "rebuilt", "dropped"] as const;
export type SummaryFate = (typeof SUMMARY_FATES)[number];

/** What the summary's fate depends on besides the turns touched. */
export interface CarryFacts {
  /** A turn no longer stored but folded into derived state matched the removal (see `archivedTurns`). */
  readonly archiveHit: boolean;
  /** The channel's archive has entries: the summary also holds turns no longer stored. */
  readonly archived: boolean;
  /** The oldest stored seq before the rewrite. */
  readonly first: number;
}

/**
 * Decides whether the running summary survives a rewrite of stored turns. One that holds none of the
 * touched turns is kept, its cursor moved to the renumbered log. One that holds them is dropped: it is
 * rebuilt from the stored turns by the next summary call ("rebuilt"), unless it also holds turns no
 * longer stored, which nothing can bring back ("dropped": the channel should be told).
 */
export function carrySummary(
  before: Readonly<Record<string, unknown>>,
  rewrite: RenumberedRewrite,
  facts: CarryFacts,
): { readonly state: Record<string, unknown>; readonly fate: SummaryFate } {
  const summary = summaryIn(before);
  if (!summary.text) return { state: {}, fate: "none" };
  const touched = [...rewrite.removed, ...rewrite.changed];
  const holds = facts.archiveHit || touched.some((t) => t.seq < summary.through);
  if (!holds)
    return { state: summaryOnly({ ...summary, through: rewrite.seqAfter(summary.through) }), fate: "kept" };
  // A summary reaching no further than the oldest stored turn is the idle sweep's: its turns are gone.
  const coversGone = facts.archived || summary.through <= facts.first;
  return { state: {}, fate: coversGone ? "dropped" : "rebuilt" };
}
