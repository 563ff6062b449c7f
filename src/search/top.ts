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
