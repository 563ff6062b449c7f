import { SEGMENT_TURNS, type Turn } from "../../store/channel-store.js";
import type { MemoryContext } from "../types.js";

/** The turns with the given seqs, in the given order, reading each segment they live in once. */
export async function readTurns(ctx: MemoryContext, seqs: readonly number[]): Promise<Turn[]> {
  const segments = [...new Set(seqs.map((seq) => Math.floor(seq / SEGMENT_TURNS)))];
  const chunks = await Promise.all(
    segments.map((s) => ctx.turns.range(s * SEGMENT_TURNS, (s + 1) * SEGMENT_TURNS)),
  );
  const bySeq = new Map(chunks.flat().map((turn) => [turn.seq, turn]));
  return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
}
