import { foldAccents, normalizeText } from "./fold.js";
import { LANGUAGE_INFO, type Language } from "./languages.js";
import { countScripts, DETECT_MAX_CHARS, hasNonAscii, type ScriptCounts } from "./script.js";
import { LATIN_FOLDED_STOP_WEIGHTS, LATIN_STOP_WEIGHTS, RU_ONLY_STOPS, UK_ONLY_STOPS } from "./stopwords.js";
import { type Token, tokenize } from "./tokenize.js";

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

/** Words the detector reads at most. */
const DETECT_MAX_WORDS = 300;
/** English letter patterns, for "en only if the text looks English" when no stop word told. */
const ENGLISH_LOOK_RE = /th|wh|sh|ck|ght|ing\b|tion\b|ee|oo|\bw|y\b/;

function scoreLatin(text: string, tokens: readonly Token[]): Map<Language, number> {
  const scores = new Map<Language, number>();
  const add = (hits: ReadonlyArray<readonly [Language, number]>) => {
    for (const [l, w] of hits) scores.set(l, (scores.get(l) ?? 0) + w);
  };
  const end = Math.min(tokens.length, DETECT_MAX_WORDS);
  for (let i = 0; i < end; i++) {
    const t = tokens[i];
    if (t === undefined || t.kind !== "word") continue;
    const word = t.text;
    const hits = LATIN_STOP_WEIGHTS.get(word) ?? LATIN_FOLDED_STOP_WEIGHTS.get(foldAccents(word));
    if (hits !== undefined) add(hits);
    else if (word.includes("'")) for (const part of word.split("'")) add(LATIN_STOP_WEIGHTS.get(part) ?? []);
  }
  if (hasNonAscii(text)) {
    for (const [re, cues] of LETTER_CUES)
      if (re.test(text)) add(Object.entries(cues) as [Language, number][]);
  }
  return scores;
}

/** The Latin-script language the stop words and letters point to, or undefined when they say too little. */
function detectLatin(
  text: string,
  tokens: readonly Token[],
  hint: Language | undefined,
): Language | undefined {
  const scores = scoreLatin(text, tokens);
  let best: Language | undefined;
  let bestRaw = 0;
  let bestScore = 0;
  for (const [l, raw] of scores) {
    const score = raw + (l === hint ? HINT_BONUS : 0);
    if (score > bestScore) [best, bestScore, bestRaw] = [l, score, raw];
  }
  return bestRaw >= MIN_SCORE ? best : undefined;
}

function detectCyrillic(text: string, tokens: readonly Token[], hint: Language | undefined): Language {
  const ukLetters = /[іїєґ]/.test(text);
  const ruLetters = /[ыэъё]/.test(text);
  if (ukLetters !== ruLetters) return ukLetters ? "uk" : "ru";
  let uk = 0;
  let ru = 0;
  for (const { text: word } of tokens.slice(0, DETECT_MAX_WORDS)) {
    if (UK_ONLY_STOPS.has(word)) uk++;
    if (RU_ONLY_STOPS.has(word)) ru++;
  }
  if (uk !== ru) return uk > ru ? "uk" : "ru";
  return hint === "uk" ? "uk" : "ru";
}

/** detectLanguage on a text already normalized and tokenized (analyze does both once and calls this). */
export function detectTokens(fullText: string, tokens: readonly Token[], hint?: Language): Language | "und" {
  const text = fullText.length > DETECT_MAX_CHARS ? fullText.slice(0, DETECT_MAX_CHARS) : fullText;
  if (!hasNonAscii(text)) return detectAscii(text, tokens, hint);
  const c = countScripts(text);
  const cjk = c.han + c.kana + c.hangul;
  const letters = c.latin + c.cyrillic;
  if (cjk > 0 && cjk * CJK_LETTER_WEIGHT >= letters) return cjkLanguage(c, hint);
  if (c.cyrillic > 0 && c.cyrillic >= c.latin) return detectCyrillic(text, tokens, hint);
  if (c.latin === 0) return hint ?? "und";
  const latinHint = hint !== undefined && LANGUAGE_INFO[hint].script === "latin" ? hint : undefined;
  const found = detectLatin(text, tokens, latinHint);
  if (found !== undefined) return found;
  // Latin words without a Latin stop word among CJK or Cyrillic ones are commands and names in that language.
  if (cjk > 0) return cjkLanguage(c, hint);
  if (c.cyrillic > 0) return detectCyrillic(text, tokens, hint);
  return hint ?? looksEnglish(text);
}

function cjkLanguage(c: ScriptCounts, hint: Language | undefined): Language {
  if (c.kana > 0) return "ja";
  if (c.hangul >= c.han) return "ko";
  return hint === "ja" || hint === "ko" ? hint : "zh";
}

/** "en" for a text with no accented Latin letter and English letter patterns (th, wh, -ing, -tion), else "und". */
function looksEnglish(text: string): "en" | "und" {
  return !/[\u00c0-\u024f\u1e00-\u1eff]/.test(text) && ENGLISH_LOOK_RE.test(text) ? "en" : "und";
}

/** detectTokens for an ASCII-only text: Latin script or no letters at all, no script count needed. */
function detectAscii(text: string, tokens: readonly Token[], hint: Language | undefined): Language | "und" {
  if (!/[a-z]/.test(text)) return hint ?? "und";
  const latinHint = hint !== undefined && LANGUAGE_INFO[hint].script === "latin" ? hint : undefined;
  return detectLatin(text, tokens, latinHint) ?? hint ?? looksEnglish(text);
}

/**
 * The language of a text, from its scripts, then for Latin script from stop-word hits and telltale letters.
 * Kana means Japanese; Han alone means Chinese unless the hint says ja (or ko); Hangul means Korean. A CJK text
 * with some Latin words stays CJK, and so does a Latin-majority text whose Latin words hold no stop word; the
 * same for Cyrillic ("попробуй sudo systemctl restart NetworkManager" is Russian). Cyrillic is Russian unless
 * Ukrainian letters (і ї є ґ) or Ukrainian function words say otherwise. Latin script: each stop word found adds
 * 1/(languages sharing it), letters such as ñ or ß add a little, the hint gets a small bonus; too little evidence
 * (a short query with no stop word) gives the hint, then "en" if the text has no accented letter and English
 * letter patterns (th, wh, -ing, -tion), else "und". Reads at most the first 2,000 characters and 300 words; a
 * 20-word line costs a few microseconds.
 */
export function detectLanguage(text: string, hint?: Language): Language | "und" {
  const normalized = normalizeText(text);
  return detectTokens(normalized, tokenize(normalized), hint);
}
