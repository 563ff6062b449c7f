import { describe, expect, it } from "vitest";
import { type AnalyzeOptions, analyze } from "../../src/search/analyze.js";
import type { Language } from "../../src/search/languages.js";

const terms = (text: string, hint?: Language): string[] =>
  analyze(text, hint === undefined ? {} : { hint }).terms;

/** The terms a query and a document have in common: what a BM25 index would match them on. */
function shared(query: string, doc: string, options: AnalyzeOptions = {}): string[] {
  const docTerms = new Set(analyze(doc, options).terms);
  return [...new Set(analyze(query, options).terms)].filter((t) => docTerms.has(t));
}

describe("a query finds the other forms of its words", () => {
  const cases: Array<[Language | undefined, string, string]> = [
    ["en", "meeting", "the meetings ran late"],
    [undefined, "Bob's", "ask bob about it"],
    ["de", "Besprechungen", "die Besprechung ist morgen"],
    ["fr", "réunions", "la reunion de lundi"],
    ["es", "reunión", "las reuniones de la semana"],
    ["pt", "atualizações", "a atualização de ontem"],
    ["it", "riunioni", "la riunione di ieri"],
    ["nl", "vergaderingen", "de vergadering van maandag"],
    ["ru", "встречу", "встреча в понедельник"],
    ["sv", "möten", "vi har ett möte i morgon"],
    ["da", "møder", "vi har et møde i morgen"],
    ["no", "møter", "vi har et møte i morgen"],
    ["fi", "palaverista", "palaveri on huomenna"],
    ["tr", "sunucuyu", "sunucudan cevap yok"],
    ["ko", "워크숍은", "내일 워크숍 준비"],
    ["zh", "会议室", "我们在会议室开会"],
    ["ja", "会議", "会議室で話しましょう"],
  ];
  for (const [hint, query, doc] of cases) {
    it(`${hint ?? "no hint"}: "${query}" finds "${doc}"`, () => {
      expect(shared(query, doc, hint === undefined ? {} : { hint })).not.toEqual([]);
    });
  }

  it("shares the stems themselves, not just any term", () => {
    expect(shared("meetings", "meeting", { hint: "en" })).toEqual(["meet"]);
    expect(shared("Besprechungen", "Besprechung", { hint: "de" })).toEqual(["besprech"]);
    expect(shared("встречу", "встреча")).toEqual(["встреч"]);
    expect(shared("워크숍은", "워크숍")).toEqual(["워크", "크숍"]);
  });
});

describe("different words do not match", () => {
  const cases: Array<[Language, string, string]> = [
    ["en", "meeting", "we ate meat"],
    ["de", "Besprechung", "die Bestellung ist da"],
    ["fr", "réunion", "la région nord"],
    ["es", "reunión", "tienes razón"],
    ["pt", "atualização", "a aplicação nova"],
    ["it", "riunione", "hai ragione"],
    ["nl", "vergadering", "de verandering"],
    ["ru", "встреча", "нужно встать рано"],
    ["ko", "회의", "서버가 다운됐어요"],
    ["zh", "会议", "服务器坏了"],
    ["ja", "会議", "東京へ行きます"],
  ];
  for (const [hint, query, doc] of cases) {
    it(`${hint}: "${query}" does not match "${doc}"`, () => {
      expect(shared(query, doc, { hint })).toEqual([]);
    });
  }
});

describe("accents and letter forms fold the same way for index and query", () => {
  it("finds the accented word typed without accents", () => {
    expect(shared("reunion", "la reunión", { hint: "es" })).toEqual(["reunion"]);
    expect(shared("manana", "mañana", { hint: "es" })).toEqual(["manan"]);
    expect(shared("arger", "so ein Ärger", { hint: "de" })).toEqual(["arg"]);
    expect(shared("strasse", "die Straße", { hint: "de" })).toEqual(["strass"]);
    expect(shared("equipe", "l'équipe", { hint: "fr" })).toEqual(["equip"]);
  });

  it("folds Russian ё to е", () => {
    expect(terms("ёлка", "ru")).toEqual(terms("елка", "ru"));
  });

  it("keeps the marks that make a different letter outside Latin script", () => {
    expect(terms("й", "ru")).toEqual([]);
    expect(terms("мой край", "ru")).toContain("кра");
    expect(terms("かがみ", "ja")).not.toEqual(terms("かかみ", "ja"));
  });

  it("reads full-width Latin and half-width kana as their usual forms (NFKC)", () => {
    expect(terms("ＡＢＣ１２３")).toEqual(terms("abc123"));
    expect(terms("ｻｰﾊﾞｰ")).toEqual(terms("サーバー"));
  });
});

describe("CJK text gets words and bigrams", () => {
  it("keeps the segmenter's Japanese words next to the bigrams of the run", () => {
    const t = terms("会議室で会議をします");
    expect(t.filter((x) => x === "会議")).toHaveLength(4);
    expect(t).toContain("議室");
    expect(t).not.toContain("ます");
  });

  it("cuts unsegmented Chinese into words and bigrams", () => {
    expect(terms("在会议室开会")).toEqual(["会议", "开会", "在会", "会议", "议室", "室开", "开会"]);
  });

  it("gives a Korean word with its particle, then its bigrams", () => {
    expect(terms("워크숍은")).toEqual(["워크숍은", "워크", "크숍", "숍은"]);
  });

  it("keeps a one-character run as a unigram and drops single characters inside longer runs", () => {
    expect(terms("猫")).toEqual(["猫"]);
    expect(terms("会议室")).not.toContain("室");
  });

  it("drops a run that is all stop words, such as a Korean verb ending", () => {
    expect(terms("합니다")).toEqual([]);
    expect(terms("我们")).toEqual([]);
  });

  it("keeps a number joined to a CJK counter", () => {
    const t = terms("5月3日に東京へ行きます");
    expect(t).toContain("5月");
    expect(t).toContain("3日");
    expect(t).toContain("東京");
    expect(shared("5月", "来年の5月に")).toContain("5月");
  });

  it("analyzes a Japanese phrase inside an English line with both", () => {
    const a = analyze("I visited 東京 with my friends");
    expect(a.language).toBe("en");
    expect(a.terms).toEqual(["visit", "東京", "東京", "friend"]);
  });
});

describe("Thai-like scripts use ICU's dictionary words", () => {
  it("cuts Thai without spaces into words", () => {
    expect(terms("ภาษาไทยยากมาก")).toEqual(["ภาษา", "ไทย", "ยาก", "มาก"]);
  });
});

describe("analysis is deterministic and total", () => {
  it("gives the same terms twice and for the same text under another hint when the text is clear", () => {
    const line = "The meetings about the new release are moved to Friday";
    expect(terms(line)).toEqual(terms(line));
    expect(terms(line, "de")).toEqual(terms(line));
  });

  it("returns nothing for empty, punctuation-only or emoji-only text", () => {
    expect(analyze("")).toEqual({ terms: [], language: "und" });
    expect(terms("?!... --- 😀👍")).toEqual([]);
  });

  it("drops tokens longer than anyone would type", () => {
    expect(terms(`look ${"a".repeat(80)}`)).toEqual(["look"]);
  });
});
