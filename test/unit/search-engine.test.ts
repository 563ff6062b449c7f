import { describe, expect, it } from "vitest";
import { createBm25Ranker, type Ranker } from "../../src/search/ranker.js";
import { buildSegment, decodeSegment, type StoredSegment } from "../../src/search/segment.js";
import { indexTexts, searchTexts } from "../../src/search/text-search.js";

const ranker = createBm25Ranker({ fieldWeights: [1, 0.4] });
const segmentOf = (texts: readonly (readonly [string, string?])[], firstId = 0) =>
  decodeSegment(
    indexTexts(
      texts.map(([text, reply], i) => ({ id: firstId + i, fields: [text, reply ?? ""] })),
      2,
    ),
  );
const search = (segments: ReturnType<typeof segmentOf>[], question: string, r: Ranker = ranker) =>
  searchTexts(segments, question, { ranker: r, fieldCount: 2, limit: 10 });

describe("the full-text engine", () => {
  it("weighs a word by how rare it is in the whole history, whichever block holds it", () => {
    // Block 1: "deploy" everywhere, and one turn with it that also says "failed". Block 2: one turn with a
    // word found nowhere else. Scored block by block, "kestrel" would be common (1 of 1) and lose.
    const busy = segmentOf([
      ...Array.from({ length: 50 }, (_, i) => [`deploy number ${i}`] as const),
      ["deploy failed"],
    ]);
    const quiet = segmentOf([["kestrel failed"]], 100);
    const hits = search([busy, quiet], "deploy kestrel failed");
    expect(hits[0]).toMatchObject({ segment: 1, id: 100 });
    expect(hits[1]).toMatchObject({ segment: 0, id: 50 });
  });

  it("counts a match in the bot's answer less than one in what a person said", () => {
    const segment = segmentOf([
      ["we could try the heron build", "ok"],
      ["ok", "we could try the heron build"],
    ]);
    expect(search([segment], "heron build").map((h) => h.id)).toEqual([0, 1]);
  });

  it("says which share of the question's terms a document holds", () => {
    const segment = segmentOf([["rollback of the payments service"], ["payments are late"]]);
    const hits = search([segment], "how do I rollback the payments service?");
    expect(hits.map((h) => [h.id, h.coverage])).toEqual([
      [0, 1],
      [1, 1 / 3],
    ]);
  });

  it("takes another ranker through the same seam", () => {
    // A ranker that only counts the second field: the answer-only match now comes first.
    const secondFieldOnly: Ranker = {
      name: "reply-only",
      termWeight: () => 1,
      fieldFrequency: (field, tf) => (field === 1 ? tf : 0),
      termScore: (weight, frequency) => weight * frequency,
    };
    const segment = segmentOf([
      ["we could try the heron build", "ok"],
      ["ok", "we could try the heron build"],
    ]);
    expect(search([segment], "heron build", secondFieldOnly).map((h) => h.id)).toEqual([1]);
  });

  it("stores terms that are also object keys, and reads back what it wrote", () => {
    const stored: StoredSegment = JSON.parse(
      JSON.stringify(
        buildSegment(
          [
            { id: 7, fields: [["__proto__", "constructor", "constructor"], []] },
            { id: 9, fields: [["tostring"], ["__proto__"]] },
          ],
          2,
        ),
      ),
    );
    const segment = decodeSegment(stored);
    expect([...segment.ids]).toEqual([7, 9]);
    expect([...(segment.postings.get("__proto__") ?? [])]).toEqual([0, 1, 0, 1, 0, 1]);
    expect([...(segment.postings.get("constructor") ?? [])]).toEqual([0, 2, 0]);
    expect(segment.totalLengths).toEqual([4, 1]);
  });

  it("reads an absent or foreign stored value as an empty segment", () => {
    for (const value of [undefined, null, { v: 1 }, "junk", { v: 2, ids: "x" }])
      expect(decodeSegment(value).ids.length).toBe(0);
    expect(search([decodeSegment(undefined)], "anything")).toEqual([]);
  });
});
