import type { Turn } from "../core/turn.js";

/** The turn with `seq` in a segment's turns (oldest first; seqs ascending, gaps where turns were removed). */
export function findSeq(turns: readonly Turn[], seq: number): Turn | undefined {
  const first = turns[0];
  if (!first) return undefined;
  const guess = turns[seq - first.seq];
  if (guess?.seq === seq) return guess;
  let lo = 0;
  let hi = turns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = (turns[mid] as Turn).seq;
    if (at === seq) return turns[mid];
    if (at < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
