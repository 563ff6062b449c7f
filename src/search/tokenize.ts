import { hasNonAscii } from "./script.js";
/** What a token is: a word of a script written with spaces, or a run of a script that needs a dictionary. */
export type TokenKind = "word" | "cjk" | "complex";

/** One token of a normalized text, with its place so that the analysis can see what joins two tokens. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const CJK = "\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u30fc\\u3005-\\u3007";
/** Scripts written without spaces that ICU's dictionaries cut into words (Thai, Lao, Khmer, Burmese). */
const COMPLEX = "\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}";
const WORD_CHAR = `[[\\p{L}\\p{M}\\p{N}_]--[${CJK}${COMPLEX}]]`;
/**
 * Word boundaries as Unicode's UAX #29 (what Intl.Segmenter applies to these scripts) draws them: letters,
 * digits and underscores, kept together across one apostrophe or dot (bob's, xorg.conf, v1.2.3) and across a
 * comma between digits (1,000). The v flag is Node 20's set subtraction.
 */
const TOKEN_RE = new RegExp(
  `(?<cjk>[${CJK}]+)|(?<complex>[${COMPLEX}][${COMPLEX}\\p{M}]*)|${WORD_CHAR}+(?:(?:['.·]|(?<=\\p{N}),(?=\\p{N}))${WORD_CHAR}+)*`,
  "gv",
);

/** The same rules for a text of ASCII only, which chat mostly is: a simpler expression, three times faster. */
const ASCII_TOKEN_RE = /[a-z0-9_]+(?:(?:['.]|(?<=\d),(?=\d))[a-z0-9_]+)*/g;

/**
 * Cuts a normalized text into tokens. Intl.Segmenter walks a line at about 4 µs a word on this machine (60 µs for
 * an 11-word IRC line, before any other work), so words of space-delimited scripts come from one regular
 * expression with the same UAX #29 rules, and only Han/Kana/Hangul and Thai-like runs go to the segmenter.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  if (!hasNonAscii(text)) {
    for (const m of text.matchAll(ASCII_TOKEN_RE)) {
      tokens.push({ kind: "word", text: m[0], start: m.index, end: m.index + m[0].length });
    }
    return tokens;
  }
  for (const m of text.matchAll(TOKEN_RE)) {
    const kind: TokenKind =
      m.groups?.cjk !== undefined ? "cjk" : m.groups?.complex !== undefined ? "complex" : "word";
    tokens.push({ kind, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}
