import { foldAccents, normalizeText } from "./fold.js";
import { LANGUAGE_INFO, type Language } from "./languages.js";
import { countScripts, DETECT_MAX_CHARS } from "./script.js";
import { LATIN_FOLDED_STOP_WEIGHTS, LATIN_STOP_WEIGHTS, RU_ONLY_STOPS, UK_ONLY_STOPS } from "./stopwords.js";

/** A CJK character says about as much as this many Latin letters, when weighing a mixed text's scripts. */
const CJK_LETTER_WEIGHT = 3;
/** Stop-word evidence below this (one word shared by three languages, say) is too little: the hint decides. */
const MIN_SCORE = 0.5;
/** What the hinted language gets on top of its evidence: it wins ties and near-ties, not a clear other language. */
const HINT_BONUS = 0.5;

/** Letters that only some languages write, with the weight each gives them (once per text, not per letter). */
const LETTER_CUES: ReadonlyArray<readonly [RegExp, Partial<Record<Language, number>>]> = [
  [/[ñ¿¡]/, { es: 1 }],
  [/[ãõ]/, { pt: 1 }],
  [/ß/, { de: 1 }],
  [/[ışğ]/, { tr: 1 }],
  [/[æø]/, { da: 0.5, no: 0.5 }],
  [/å/, { sv: 0.34, da: 0.33, no: 0.33 }],
  [/ä/, { de: 0.34, sv: 0.33, fi: 0.33 }],
  [/ö/, { de: 0.25, sv: 0.25, fi: 0.25, tr: 0.25 }],
  [/ü/, { de: 0.5, tr: 0.5 }],
  [/ç/, { fr: 0.34, pt: 0.33, tr: 0.33 }],
  [/[èëîïûùœ]/, { fr: 0.5 }],
  [/[êôâ]/, { fr: 0.25, pt: 0.25 }],
  [/nh|lh/, { pt: 0.5 }],
  [/ää|öö|yy/, { fi: 1 }],
  [/[òì]/, { it: 0.5 }],
];

const WORD_RE = /[a-z\u00df-\u00f6\u00f8-\u024f\u1e00-\u1eff']+/g;
/** English letter patterns, for "en only if the text looks English" when no stop word told. */
const ENGLISH_LOOK_RE = /th|wh|sh|ck|ght|ing\b|tion\b|ee|oo|\bw|y\b/;

function scoreLatin(text: string): Map<Language, number> {
  const scores = new Map<Language, number>();
  const add = (l: Language, w: number) => scores.set(l, (scores.get(l) ?? 0) + w);
  const words = text.slice(0, DETECT_MAX_CHARS).match(WORD_RE) ?? [];
  for (const raw of words) {
    const word = raw.replace(/^'+|'+$/g, "");
    const hits = LATIN_STOP_WEIGHTS.get(word) ?? LATIN_FOLDED_STOP_WEIGHTS.get(foldAccents(word));
    if (hits !== undefined) for (const [l, w] of hits) add(l, w);
    else if (word.includes("'")) {
      for (const part of word.split("'")) for (const [l, w] of LATIN_STOP_WEIGHTS.get(part) ?? []) add(l, w);
    }
  }
  for (const [re, cues] of LETTER_CUES) {
    if (re.test(text)) for (const [l, w] of Object.entries(cues) as [Language, number][]) add(l, w);
  }
  return scores;
}

/** The Latin-script language the stop words and letters point to, or undefined when they say too little. */
function detectLatin(text: string, hint: Language | undefined): Language | undefined {
  const scores = scoreLatin(text);
  let best: Language | undefined;
  let bestRaw = 0;
  let bestScore = 0;
  for (const [l, raw] of scores) {
    const score = raw + (l === hint ? HINT_BONUS : 0);
    if (score > bestScore) [best, bestScore, bestRaw] = [l, score, raw];
  }
  return bestRaw >= MIN_SCORE ? best : undefined;
}

function detectCyrillic(text: string, hint: Language | undefined): Language {
  const ukLetters = /[іїєґ]/.test(text);
  const ruLetters = /[ыэъё]/.test(text);
  if (ukLetters !== ruLetters) return ukLetters ? "uk" : "ru";
  let uk = 0;
  let ru = 0;
  for (const word of text.slice(0, DETECT_MAX_CHARS).split(/[^а-яґєії']+/)) {
    if (UK_ONLY_STOPS.has(word)) uk++;
    if (RU_ONLY_STOPS.has(word)) ru++;
  }
  if (uk !== ru) return uk > ru ? "uk" : "ru";
  return hint === "uk" ? "uk" : "ru";
}

/** detectLanguage on text already through normalizeText (analyze normalizes once and calls this). */
export function detectNormalized(text: string, hint?: Language): Language | "und" {
  const c = countScripts(text);
  const cjk = c.han + c.kana + c.hangul;
  const letters = c.latin + c.cyrillic;
  if (cjk > 0 && cjk * CJK_LETTER_WEIGHT >= letters) {
    if (c.kana > 0) return "ja";
    if (c.hangul >= c.han) return "ko";
    return hint === "ja" || hint === "ko" ? hint : "zh";
  }
  if (c.cyrillic > 0 && c.cyrillic >= c.latin) return detectCyrillic(text, hint);
  if (c.latin > 0) {
    const latinHint = hint !== undefined && LANGUAGE_INFO[hint].script === "latin" ? hint : undefined;
    const found = detectLatin(text, latinHint) ?? hint;
    if (found !== undefined) return found;
    return /^\p{ASCII}*$/u.test(text) && ENGLISH_LOOK_RE.test(text) ? "en" : "und";
  }
  return hint ?? "und";
}

/**
 * The language of a text, from its scripts, then for Latin script from stop-word hits and telltale letters.
 * Kana means Japanese; Han alone means Chinese unless the hint says ja (or ko); Hangul means Korean; a CJK text
 * with some Latin words stays CJK. Cyrillic is Russian unless Ukrainian letters (і ї є ґ) or Ukrainian function
 * words say otherwise. Latin script: each stop word found adds 1/(languages sharing it), letters such as ñ or ß
 * add a little, the hint gets a small bonus; too little evidence (a short query with no stop word) gives the
 * hint, then "en" if the text is ASCII with English letter patterns (th, wh, -ing, -tion), else "und".
 * Reads at most the first DETECT_MAX_CHARS characters; a 20-word line costs a few microseconds.
 */
export function detectLanguage(text: string, hint?: Language): Language | "und" {
  return detectNormalized(normalizeText(text), hint);
}
