import { newStemmer } from "snowball-stemmers";
import { LANGUAGE_INFO, type Language } from "./languages.js";

/** Distinct words remembered per language; chat repeats its words, so most stems are a map lookup. */
const STEM_CACHE_MAX_WORDS = 20_000;

type StemFn = (word: string) => string;

const stemmers = new Map<Language, StemFn | null>();

function createStemFn(language: Language): StemFn | null {
  const algorithm = LANGUAGE_INFO[language].stemmer;
  if (algorithm === null) return null;
  const stemmer = newStemmer(algorithm);
  const cache = new Map<string, string>();
  return (word) => {
    const hit = cache.get(word);
    if (hit !== undefined) return hit;
    if (cache.size >= STEM_CACHE_MAX_WORDS) cache.clear();
    const stem = stemmer.stem(word);
    cache.set(word, stem);
    return stem;
  };
}

/**
 * The Snowball stem of a lowercased word (accents still on: the stemmers read them), or the word itself for a
 * language without a stemmer. One stemmer and one bounded cache per language, made on first use.
 */
export function stemWord(word: string, language: Language): string {
  let fn = stemmers.get(language);
  if (fn === undefined) {
    fn = createStemFn(language);
    stemmers.set(language, fn);
  }
  return fn === null ? word : fn(word);
}
