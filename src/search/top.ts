/** The best matches kept so far, best first: score descending, then newer (higher seq) first. */
export class TopMatches {
  readonly seqs: number[] = [];
  readonly scores: number[] = [];
  constructor(readonly limit: number) {}

  offer(seq: number, score: number): void {
    const { seqs, scores, limit } = this;
    let i = scores.length;
    if (i >= limit) {
      const worst = i - 1;
      const s = scores[worst] as number;
      if (score < s || (score === s && seq <= (seqs[worst] as number))) return;
    }
    while (i > 0) {
      const s = scores[i - 1] as number;
      if (s > score || (s === score && (seqs[i - 1] as number) > seq)) break;
      i--;
    }
    seqs.splice(i, 0, seq);
    scores.splice(i, 0, score);
    if (seqs.length > limit) {
      seqs.pop();
      scores.pop();
    }
  }
}

/**
 * The positions of the `limit` highest scores with `from <= key < to` and a positive score, best
 * first (ties: the higher key first). The cut-off score comes from a native sort of the candidates'
 * scores, so only the positions at or above it are compared one by one.
 */
export function topPositions(
  scores: Float64Array,
  keys: Float64Array,
  limit: number,
  from: number,
  to: number,
): number[] {
  if (limit <= 0) return [];
  const n = scores.length;
  const values = new Float64Array(n);
  let kept = 0;
  for (let p = 0; p < n; p++) {
    const s = scores[p] as number;
    const k = keys[p] as number;
    if (s > 0 && k >= from && k < to) values[kept++] = s;
  }
  let cut = 0;
  if (kept > limit) {
    const sorted = values.subarray(0, kept).sort();
    cut = sorted[kept - limit] as number;
  }
  const above: number[] = [];
  for (let p = 0; p < n; p++) {
    const s = scores[p] as number;
    const k = keys[p] as number;
    if (s > 0 && s >= cut && k >= from && k < to) above.push(p);
  }
  above.sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || (keys[b] as number) - (keys[a] as number),
  );
  return above.length > limit ? above.slice(0, limit) : above;
}
