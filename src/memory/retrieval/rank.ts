/** The constant of reciprocal rank fusion: how much the top ranks dominate (60 is the usual choice). */
export const RRF_K = 60;

/**
 * Fuses rankings (best first) by reciprocal rank fusion: a turn ranked high by either the full-text
 * or the vector ranking comes out high, and scores on different scales need no calibration.
 */
export function fuseRankings(rankings: ReadonlyArray<readonly number[]>, limit: number): number[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) {
    for (const [rank, seq] of ranking.entries())
      scores.set(seq, (scores.get(seq) ?? 0) + 1 / (RRF_K + rank + 1));
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, limit)
    .map(([seq]) => seq);
}
