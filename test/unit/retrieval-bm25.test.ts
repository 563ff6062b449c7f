import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { decodeIndex, parseQuery, searchIndex } from "../../src/memory/retrieval/legacy/bm25.js";
import { INDEX_OPTIONS, type IndexDoc } from "../../src/memory/retrieval/legacy/index-options.js";
import { TopMatches } from "../../src/search/top.js";

const WORDS =
  "deploy deployment deployed rollback certificate certbot staging cluster printer lunch coffee weather database migration window thursday kestrel approved service services the a of and is what when who".split(
    " ",
  );

/** A deterministic pseudo-random text generator (no Math.random: failures must reproduce). */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  return (words: number) => Array.from({ length: words }, () => WORDS[next() % WORDS.length]).join(" ");
}

describe("stored full-text index search", () => {
  it("ranks stored indexes as MiniSearch does, including discarded documents and prefix matches", () => {
    const text = generator(7);
    const index = new MiniSearch<IndexDoc>(INDEX_OPTIONS);
    for (let seq = 100; seq < 160; seq++)
      index.add({ id: seq, text: `ann ${text(3 + (seq % 9))}`, reply: seq % 4 ? text(seq % 6) : "" });
    // A filling chunk rewritten in place: a turn replaced, as amend-like rewrites did.
    index.discard(105);
    index.add({ id: 105, text: "ann the staging certificate", reply: "" });
    index.discard(111);
    const stored = JSON.parse(JSON.stringify(index));
    const decoded = decodeIndex(stored);
    for (const query of [
      "when is the deploy?",
      "who approved the database migration window",
      "certbot certificate staging cluster deployment rollback",
      "deploy deploy coffee",
      "nothing matches zzz",
      "",
    ]) {
      // MiniSearch drops a discarded document's postings during its first search of a term, counting
      // documents with the term before it as if it were still there; the second search is exact.
      const loaded = MiniSearch.loadJS(stored, INDEX_OPTIONS);
      loaded.search(query);
      const expected = loaded
        .search(query)
        .map((r) => ({ seq: Number(r.id), score: r.score }))
        .filter((r) => r.seq >= 103 && r.seq < 150)
        .sort((a, b) => b.score - a.score || b.seq - a.seq)
        .slice(0, 12);
      const top = new TopMatches(12);
      searchIndex(decoded, parseQuery(query), 103, 150, top);
      expect(top.seqs).toEqual(expected.map((r) => r.seq));
      top.scores.forEach((score, i) => {
        expect(score).toBeCloseTo(expected[i]?.score ?? Number.NaN, 9);
      });
      if (query.includes("deploy")) expect(top.seqs.length).toBeGreaterThan(0);
    }
  });
});
