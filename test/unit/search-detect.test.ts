import { describe, expect, it } from "vitest";
import { analyze, detectLanguage } from "../../src/search/analyze.js";
import { LANGUAGES, type Language } from "../../src/search/languages.js";
import { HELD_OUT_LINES, LABELLED_LINES } from "../helpers/language-lines.js";

function correct(lines: Readonly<Record<Language, readonly string[]>>, language: Language): number {
  return (lines[language] ?? []).filter((line) => detectLanguage(line) === language).length;
}

describe("language detection without a hint", () => {
  for (const language of LANGUAGES) {
    it(`tells ${language} on at least 8 of its 10 labelled chat lines and 4 of its 5 held-out ones`, () => {
      expect(correct(LABELLED_LINES, language)).toBeGreaterThanOrEqual(8);
      expect(correct(HELD_OUT_LINES, language)).toBeGreaterThanOrEqual(4);
    });
  }

  it("is right on at least 95% of all labelled lines and 90% of the held-out ones", () => {
    const total = (lines: typeof LABELLED_LINES) => LANGUAGES.reduce((n, l) => n + correct(lines, l), 0);
    expect(total(LABELLED_LINES)).toBeGreaterThanOrEqual(Math.ceil(0.95 * LANGUAGES.length * 10));
    expect(total(HELD_OUT_LINES)).toBeGreaterThanOrEqual(Math.ceil(0.9 * LANGUAGES.length * 5));
  });
});

describe("language detection from the script", () => {
  it("reads kana as Japanese, Hangul as Korean, Han alone as Chinese", () => {
    expect(detectLanguage("ビルドが失敗した")).toBe("ja");
    expect(detectLanguage("빌드가 실패했어요")).toBe("ko");
    expect(detectLanguage("构建失败了")).toBe("zh");
  });

  it("keeps Han-only text Japanese when the hint says Japanese", () => {
    expect(detectLanguage("会議室", "ja")).toBe("ja");
    expect(detectLanguage("会議室")).toBe("zh");
    expect(detectLanguage("会議室", "en")).toBe("zh");
  });

  it("reads Cyrillic as Russian unless Ukrainian letters or words say otherwise", () => {
    expect(detectLanguage("встреча завтра")).toBe("ru");
    expect(detectLanguage("зустріч завтра")).toBe("uk");
    expect(detectLanguage("привіт")).toBe("uk");
    expect(detectLanguage("сервер працює", "uk")).toBe("uk");
    expect(detectLanguage("сервер")).toBe("ru");
  });
});

describe("misdetection cases", () => {
  it("uses the hint for a short query with no stop word", () => {
    expect(detectLanguage("reuniones")).toBe("und");
    expect(detectLanguage("reuniones", "es")).toBe("es");
    expect(detectLanguage("Besprechungen", "de")).toBe("de");
    expect(analyze("reuniones", { hint: "es" }).terms).toEqual(analyze("la reunión", { hint: "es" }).terms);
  });

  it("falls back to English only when the text looks English", () => {
    expect(detectLanguage("meetings tomorrow")).toBe("en");
    expect(detectLanguage("kernel panic")).toBe("und");
  });

  it("lets clear evidence beat the hint", () => {
    expect(detectLanguage("the meeting is at noon", "de")).toBe("en");
    expect(detectLanguage("die Besprechung ist um zwölf", "en")).toBe("de");
  });

  it("lets the hint win when the evidence is a tie", () => {
    expect(detectLanguage("vi har møte", "no")).toBe("no");
    expect(detectLanguage("vi har møde", "da")).toBe("da");
  });

  it("reads a mixed text by its main script and still indexes the other", () => {
    const jaWithCommand = analyze("apt-getでインストールしてください");
    expect(jaWithCommand.language).toBe("ja");
    expect(jaWithCommand.terms).toContain("apt-get");
    expect(jaWithCommand.terms).toContain("インストール");
    const ruWithCommand = analyze("попробуй sudo systemctl restart NetworkManager");
    expect(ruWithCommand.language).toBe("ru");
    expect(ruWithCommand.terms).toContain("networkmanager");
    expect(detectLanguage("I love the 寿司 here")).toBe("en");
  });

  it("tells a mostly English line with one foreign word as English", () => {
    expect(detectLanguage("we had a great reunión with the team")).toBe("en");
  });

  it("gives the hint, or nothing, for text without letters", () => {
    expect(detectLanguage("2024-06-08 10:30")).toBe("und");
    expect(detectLanguage("2024-06-08 10:30", "fr")).toBe("fr");
    expect(detectLanguage("")).toBe("und");
  });
});
