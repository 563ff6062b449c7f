/** The scripts the analysis tells apart, per character. */
export type CharScript = "latin" | "cyrillic" | "han" | "kana" | "hangul" | "digit" | "other";

/** The script of one code point, by Unicode block (no regex: the detector runs it on every character). */
export function charScript(cp: number): CharScript {
  if (cp < 0x80) {
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return "latin";
    return cp >= 0x30 && cp <= 0x39 ? "digit" : "other";
  }
  if (cp >= 0xc0 && cp <= 0x24f) return cp === 0xd7 || cp === 0xf7 ? "other" : "latin";
  if (cp >= 0x1e00 && cp <= 0x1eff) return "latin";
  if (cp >= 0x400 && cp <= 0x52f) return "cyrillic";
  if ((cp >= 0x3040 && cp <= 0x30ff && cp !== 0x30fb) || (cp >= 0x31f0 && cp <= 0x31ff)) return "kana";
  if (cp >= 0xff66 && cp <= 0xff9f) return "kana";
  if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f)) {
    return "hangul";
  }
  if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff)) {
    return "han";
  }
  if ((cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x20000 && cp <= 0x3134f)) return "han";
  return "other";
}

/** How many letters of each script a text has, as counted by countScripts. */
export interface ScriptCounts {
  latin: number;
  cyrillic: number;
  han: number;
  kana: number;
  hangul: number;
}

/** Characters the detector reads at most: the script mix of a long document shows in its first part. */
export const DETECT_MAX_CHARS = 2_000;

/** Counts the letters of each script in (the start of) a text. */
export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { latin: 0, cyrillic: 0, han: 0, kana: 0, hangul: 0 };
  const end = Math.min(text.length, DETECT_MAX_CHARS);
  for (let i = 0; i < end; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      cp = text.codePointAt(i) ?? cp;
      i++;
    }
    const s = charScript(cp);
    if (s !== "digit" && s !== "other") counts[s]++;
  }
  return counts;
}

/** Whether a string has a character outside ASCII (a loop: much faster than a Unicode regex on short strings). */
export function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}
