import { pushCjkRun } from "./cjk.js";
import { detectTokens } from "./detect.js";
import { foldAccents, normalizeText } from "./fold.js";
import type { Language } from "./languages.js";
import { segmentWords } from "./segmenter.js";
import { type Token, tokenize } from "./tokenize.js";
import { MAX_TERM_LENGTH, pushWordTerms } from "./words.js";

export { detectLanguage } from "./detect.js";
export { isStopTerm } from "./stopwords.js";

/** How the caller can steer the analysis. */
export interface AnalyzeOptions {
  /** The language to assume when the text is too short to tell (the channel's usual language, say). */
  readonly hint?: Language | undefined;
  /** Analyze as this language, not detected ("und": no stemming, no stop words); for query expansion. */
  readonly as?: Language | "und" | undefined;
}

/** What analysis makes of a text. */
export interface Analysis {
  /** Index terms in text order, repeats kept (term frequency counts them). */
  readonly terms: string[];
  /** The language the words were stemmed as ("und" when none could be told: no stemming, no stop words). */
  readonly language: Language | "und";
}

/** Gaps that join two words into one more term: apt-get, /etc/fstab, 10:30, 2024-06-08, a@b.org, std::vector. */
const CHAIN_GAP_RE = /^(?:[-/\\@]{1,2}|:{1,2}|:\/\/)$/;
const ALNUM_RE = /[\p{L}\p{N}]/u;
const DIGITS_RE = /^\d+$/;

/**
 * Analyzes a text the same way for indexing and for querying. Pure, deterministic, no I/O.
 * NFKC and lowercase; the language from detectLanguage (with the hint); words by UAX #29 rules (see tokenize).
 * Latin/Cyrillic words: stop words dropped, Snowball-stemmed, then accents folded (see pushWordTerms).
 * Han/Kana/Hangul runs: ICU's dictionary words plus overlapping bigrams (see pushCjkRun). Thai-like runs: ICU's
 * words. Words joined by -, /, :, @ also give the joined form as a term (apt-get gives apt, get, apt-get); a
 * number right before a CJK character gives both (5月); c++ and c# stay. Terms are in text order, except that a
 * joined form follows its parts and a CJK run's bigrams follow its words.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const normalized = normalizeText(text);
  const tokens = tokenize(normalized);
  const language = options.as ?? detectTokens(normalized, tokens, options.hint);
  const terms: string[] = [];
  let chain = "";
  let chainWords = 0;
  const flushChain = () => {
    if (chainWords >= 2 && chain.length <= MAX_TERM_LENGTH) terms.push(foldAccents(chain));
    chain = "";
    chainWords = 0;
  };
  let prev: Token | undefined;
  for (const token of tokens) {
    const gap = prev === undefined ? " " : normalized.slice(prev.end, token.start);
    if (token.kind === "word") {
      if (chain !== "" && CHAIN_GAP_RE.test(gap)) {
        chain += gap + token.text;
        chainWords++;
      } else {
        flushChain();
        chain = token.text;
        chainWords = 1;
      }
      pushSuffixed(normalized, token, terms);
      pushWordTerms(token.text, language, terms);
    } else {
      flushChain();
      if (token.kind === "cjk") {
        if (gap === "" && prev !== undefined && DIGITS_RE.test(prev.text)) {
          terms.push(`${prev.text}${String.fromCodePoint(token.text.codePointAt(0) ?? 0)}`);
        }
        pushCjkRun(token.text, language, terms);
      } else {
        for (const word of segmentWords(token.text, language === "und" ? "th" : language)) {
          if (word.length >= 2 && word.length <= MAX_TERM_LENGTH) terms.push(word);
        }
      }
    }
    prev = token;
  }
  flushChain();
  return { terms, language };
}

/** Keeps c++, g++, c#, f#: the tokenizer drops the symbols and one letter alone is not a term. */
function pushSuffixed(text: string, token: Token, terms: string[]): void {
  if (text.startsWith("++", token.end)) terms.push(`${token.text}++`);
  else if (text[token.end] === "#" && !ALNUM_RE.test(text[token.end + 1] ?? "")) terms.push(`${token.text}#`);
}
