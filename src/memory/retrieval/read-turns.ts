import { SEGMENT_TURNS, type Turn } from "../../store/channel-store.js";
import type { MemoryContext } from "../types.js";

/** The turn with `seq` in a segment's turns (oldest first; seqs ascending, gaps where turns were removed). */
function find(turns: readonly Turn[], seq: number): Turn | undefined {
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

/** The turns with the given seqs, in the given order, reading each segment they live in once. */
export async function readTurns(ctx: MemoryContext, seqs: readonly number[]): Promise<Turn[]> {
  const segments = [...new Set(seqs.map((seq) => Math.floor(seq / SEGMENT_TURNS)))];
  const chunks = await Promise.all(
    segments.map((s) => ctx.turns.range(s * SEGMENT_TURNS, (s + 1) * SEGMENT_TURNS)),
  );
  const bySegment = new Map(segments.map((s, i) => [s, chunks[i] ?? []]));
  return seqs.flatMap((seq) => find(bySegment.get(Math.floor(seq / SEGMENT_TURNS)) ?? [], seq) ?? []);
}
