import { analyze } from "./analyze.js";
import type { Language } from "./languages.js";
import { parseQuery } from "./query.js";
import type { Ranker } from "./ranker.js";
import { scoreSegments } from "./score.js";
import { type AnalyzedDoc, buildSegment, type SearchSegment, type StoredSegment } from "./segment.js";
import { TopMatches } from "./top.js";

/** A document to index: an id and its text per field. */
export interface TextDoc {
  readonly id: number;
  readonly fields: readonly string[];
}

/** A document found, with its score and the share of the question's terms it holds (0 to 1). */
export interface TextHit {
  /** The segment the document is in (its position in the list searched) and its id there. */
  readonly segment: number;
  readonly id: number;
  readonly score: number;
  readonly coverage: number;
}

/** Analyzes documents into a stored segment (every field with the same analysis as a query). */
export function indexTexts(docs: readonly TextDoc[], fieldCount: number, hint?: Language): StoredSegment {
  const analyzed: AnalyzedDoc[] = docs.map((doc) => {
    const first = analyze(doc.fields[0] ?? "", { hint });
    const language = first.language === "und" ? hint : first.language;
    return {
      id: doc.id,
      fields: doc.fields.map((text, f) => (f === 0 ? first.terms : analyze(text, { hint: language }).terms)),
    };
  });
  return buildSegment(analyzed, fieldCount);
}

export interface SearchTextOptions {
  readonly ranker: Ranker;
  readonly fieldCount: number;
  readonly limit: number;
  readonly hint?: Language | undefined;
}

/**
 * The best documents of several segments for a question, scored together. `coverage` counts the
 * question's analyzed terms (stop words gone, CJK as bigrams), so "half the question's content words"
 * means the same in every language.
 */
export function searchTexts(
  segments: readonly SearchSegment[],
  question: string,
  options: SearchTextOptions,
): TextHit[] {
  const query = parseQuery(question, options.hint);
  if (query.slots === 0 || options.limit <= 0) return [];
  const scored = scoreSegments(segments, query.terms, options.ranker, options.fieldCount);
  const top = new TopMatches(options.limit);
  for (let d = 0; d < scored.scores.length; d++)
    if ((scored.scores[d] as number) > 0) top.offer(d, scored.scores[d] as number);
  return top.seqs.map((d, i) => {
    let segment = scored.offsets.length - 1;
    while (segment > 0 && (scored.offsets[segment] as number) > d) segment--;
    const local = d - (scored.offsets[segment] as number);
    return {
      segment,
      id: (segments[segment] as SearchSegment).ids[local] as number,
      score: top.scores[i] as number,
      coverage: Math.min(1, (scored.matched[d] as number) / query.slots),
    };
  });
}
