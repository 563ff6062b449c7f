import { hasNonAscii } from "./script.js";

/** Latin letters that carry no combining mark to strip but still have a plain spelling users type instead. */
const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};
const LATIN_SPECIAL_RE = /[ßæœøłđðþı]/g;
/** A combining mark on a Latin base letter; marks on other scripts (Cyrillic й, Japanese dakuten) are kept. */
const LATIN_MARK_RE = /([A-Za-z\u00c0-\u024f\u1e00-\u1eff])[\u0300-\u036f]+/g;

/**
 * Folds accents so that a word typed without them finds the accented one (reunión → reunion, Ärger → arger,
 * straße → strasse, ё → е). Run AFTER stemming: the Snowball stemmers of Spanish, French, German and Russian read
 * the accents. German umlauts fold to the bare vowel (ä → a), as the German Snowball stemmer's own last step does.
 * Only Latin letters lose their marks: Cyrillic й and Japanese が keep theirs, Hangul is left composed.
 */
export function foldAccents(term: string): string {
  if (!hasNonAscii(term)) return term;
  let t = term.replace(LATIN_SPECIAL_RE, (c) => LATIN_SPECIAL[c] ?? c);
  t = t.replace(/ё/g, "е");
  if (!/[\u00c0-\u024f\u1e00-\u1eff]/.test(t)) return t;
  return t.normalize("NFD").replace(LATIN_MARK_RE, "$1").normalize("NFC");
}

/** Folds ё to е before a Russian word is looked up or stemmed, since writers use the two interchangeably. */
export function foldYo(word: string): string {
  return word.includes("ё") ? word.replace(/ё/g, "е") : word;
}

/**
 * The text as analysis reads it: NFKC (full-width Latin and digits become ASCII, half-width kana full-width,
 * ligatures split), typographic apostrophes made plain, lowercased. Index and query both go through it.
 */
export function normalizeText(text: string): string {
  const t = hasNonAscii(text) ? text.normalize("NFKC").replace(/[\u2019\u02bc]/g, "'") : text;
  return t.toLowerCase();
}
