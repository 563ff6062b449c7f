const segmenters = new Map<string, Intl.Segmenter>();

/** One cached word segmenter per locale: creating one costs far more than using it. */
export function segmenterFor(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (s === undefined) {
    s = new Intl.Segmenter(locale, { granularity: "word" });
    segmenters.set(locale, s);
  }
  return s;
}

/** The word-like segments of a run (ICU's dictionary words for Japanese, Chinese, Thai and the like). */
export function segmentWords(run: string, locale: string): string[] {
  const words: string[] = [];
  for (const s of segmenterFor(locale).segment(run)) if (s.isWordLike) words.push(s.segment);
  return words;
}
