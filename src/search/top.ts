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
 * The positions of the `limit` highest scores among those `keep` accepts, best first (ties: the
 * higher tie-break value first), in O(n log limit): a min-heap of the best so far.
 */
export function topPositions(
  scores: Float64Array,
  tieBreak: Float64Array,
  limit: number,
  keep: (position: number) => boolean,
): number[] {
  const heap: number[] = [];
  /** Whether position a ranks below position b. */
  const below = (a: number, b: number) =>
    (scores[a] as number) < (scores[b] as number) ||
    ((scores[a] as number) === (scores[b] as number) && (tieBreak[a] as number) < (tieBreak[b] as number));
  const swap = (i: number, j: number) => {
    const t = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = t;
  };
  const down = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && below(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && below(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let p = 0; p < scores.length; p++) {
    if (!keep(p)) continue;
    if (heap.length < limit) {
      heap.push(p);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >>> 1;
        if (!below(heap[i] as number, heap[parent] as number)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (limit > 0 && below(heap[0] as number, p)) {
      heap[0] = p;
      down(0);
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
