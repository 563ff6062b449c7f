import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, isStopTerm } from "../../src/search/analyze.js";
import { LANGUAGES, type Language } from "../../src/search/languages.js";

const terms = (text: string, hint?: Language): string[] =>
  analyze(text, hint === undefined ? {} : { hint }).terms;
const finds = (query: string, doc: string, hint?: Language): boolean => {
  const docTerms = new Set(terms(doc, hint));
  return terms(query, hint).some((t) => docTerms.has(t));
};

describe("possessives and contractions", () => {
  it("strips the possessive", () => {
    expect(terms("Bob's laptop")).toEqual(["bob", "laptop"]);
    expect(terms("Bob’s laptop")).toEqual(["bob", "laptop"]);
  });

  it("drops negated auxiliaries as stop words and keeps the verb they go with", () => {
    expect(terms("it isn't working and I don't know why")).toEqual(["work", "know"]);
    expect(terms("you mustn't reboot")).toEqual(["reboot"]);
  });

  it("drops French and Italian elided articles", () => {
    expect(terms("l'homme d'affaires qu'il connaît", "fr")).toEqual(["homm", "affair", "connait"]);
    expect(terms("dell'anno e all'inizio", "it")).toEqual(["anno", "iniz"]);
  });

  it("keeps a Turkish name without its case ending", () => {
    expect(terms("Ankara'da toplantı var", "tr")[0]).toBe(terms("Ankara", "tr")[0]);
    expect(finds("Ankara", "Ankara'da toplantı var", "tr")).toBe(true);
  });

  it("removes an apostrophe inside a name", () => {
    expect(finds("O'Reilly", "the oreilly book")).toBe(true);
  });
});

describe("numbers, ordinals, versions and times stay findable", () => {
  it("finds an ordinal and a year as written", () => {
    expect(finds("3rd", "on the 3rd floor")).toBe(true);
    expect(finds("21st", "the 21st of June")).toBe(true);
    expect(finds("2024", "back in 2024 we moved")).toBe(true);
    expect(finds("3rd", "three floors")).toBe(false);
    expect(finds("2024", "in 2025")).toBe(false);
  });

  it("keeps single digits", () => {
    expect(terms("room 5")).toEqual(["room", "5"]);
  });

  it("keeps a version whole, without its v, and its leading part, not its lone digits", () => {
    expect(terms("upgrade to v1.2.3")).toEqual(["upgrad", "v1.2.3", "1.2.3", "v1"]);
    expect(finds("1.2.3", "released v1.2.3")).toBe(true);
    expect(finds("2", "released v1.2.3")).toBe(false);
  });

  it("joins a time and a date, and keeps their numbers", () => {
    expect(terms("at 10:30", "en")).toEqual(["10", "30", "10:30"]);
    expect(finds("10:30", "standup moved to 10:30")).toBe(true);
    expect(finds("2016-06-08", "the log of 2016-06-08")).toBe(true);
  });

  it("keeps May the month", () => {
    expect(terms("see you in May")).toEqual(["see", "may"]);
  });
});

describe("commands, paths, file names and URLs give useful terms", () => {
  it("keeps a hyphenated command whole and in parts", () => {
    expect(terms("sudo apt-get install xorg", "en")).toEqual([
      "sudo",
      "apt",
      "get",
      "apt-get",
      "instal",
      "xorg",
    ]);
    expect(finds("apt-get", "run apt-get update first")).toBe(true);
  });

  it("keeps a file name whole and its name and extension", () => {
    expect(terms("edit xorg.conf")).toEqual(["edit", "xorg.conf", "xorg", "conf"]);
    expect(finds("xorg", "check /etc/X11/xorg.conf")).toBe(true);
    expect(finds("xorg.conf", "check /etc/X11/xorg.conf")).toBe(true);
  });

  it("keeps a path whole and by its parts", () => {
    expect(terms("/etc/fstab")).toEqual(["etc", "fstab", "etc/fstab"]);
    expect(finds("fstab", "mount it in /etc/fstab")).toBe(true);
  });

  it("keeps identifiers with underscores and architecture names", () => {
    expect(terms("x86_64 and amd64")).toEqual(["x86_64", "x86", "amd64"]);
  });

  it("gives a URL's host, path words and the URL without its query", () => {
    const t = terms("see https://help.ubuntu.com/community/Grub2?x=1");
    expect(t).toContain("help.ubuntu.com");
    expect(t).toContain("grub2");
    expect(t).toContain("https://help.ubuntu.com/community/grub2");
    expect(t).not.toContain("x");
  });

  it("keeps C++ and C# though one letter alone is not a term", () => {
    expect(terms("C++ or C# or C")).toEqual(["c++", "c#"]);
  });

  it("drops one-letter Latin words", () => {
    expect(terms("x y z", "en")).toEqual([]);
  });
});

describe("stop words", () => {
  it("drops English function words and chat filler", () => {
    expect(terms("what is the")).toEqual([]);
    expect(terms("ok thanks lol hi hello yes okay")).toEqual([]);
  });

  it("drops each language's function words and keeps its content words", () => {
    expect(terms("und der die das ist nicht morgen", "de")).toEqual(["morg"]);
    expect(terms("le la les et est demain", "fr")).toEqual(["demain"]);
    expect(terms("el la los es mañana", "es")).toEqual(["manan"]);
    expect(terms("и в не на завтра", "ru")).toEqual(["завтр"]);
    expect(terms("de het een morgen", "nl")).toEqual(["morg"]);
  });

  it("drops the function words of the other languages too", () => {
    const cases: Array<[Language, string, string[]]> = [
      ["pt", "o que é isso amanhã", ["amanha"]],
      ["it", "che è questo domani", ["doman"]],
      ["sv", "och det är i morgon", ["morgon"]],
      ["da", "og det er i morgen", ["morg"]],
      ["no", "og det er ikke i morgen", ["morg"]],
      ["fi", "ja se on huomenna", ["huomen"]],
      ["uk", "і це не завтра", ["завтра"]],
      ["ko", "그리고 내일", ["내일", "내일"]],
    ];
    for (const [language, text, expected] of cases) expect(terms(text, language)).toEqual(expected);
    expect(terms("これは明日です")).not.toContain("これ");
    expect(terms("これは明日です")).not.toContain("です");
    expect(terms("我们的明天")).not.toContain("我们");
  });

  it("keeps every word of a text whose language is not known", () => {
    expect(analyze("abc def")).toEqual({ terms: ["abc", "def"], language: "und" });
  });

  it("tells stop terms as analysis outputs them", () => {
    expect(isStopTerm("the", "en")).toBe(true);
    expect(isStopTerm("have", "en")).toBe(true);
    expect(isStopTerm("tambien", "es")).toBe(true);
    expect(isStopTerm("ます", "ja")).toBe(true);
    expect(isStopTerm("meet", "en")).toBe(false);
    expect(isStopTerm("may", "en")).toBe(false);
    expect(isStopTerm("the", "und")).toBe(false);
    expect(isStopTerm("the", "de")).toBe(false);
  });

  it("has a stop list for every language", () => {
    const oneStopWord: Record<Language, string> = {
      en: "the",
      de: "und",
      fr: "et",
      es: "pero",
      pt: "não",
      it: "che",
      nl: "het",
      ru: "и",
      uk: "і",
      ja: "これ",
      zh: "的",
      ko: "그리고",
      sv: "och",
      da: "og",
      no: "ikke",
      fi: "ja",
      tr: "ve",
    };
    for (const language of LANGUAGES) expect(isStopTerm(oneStopWord[language], language)).toBe(true);
  });
});

describe("any input", () => {
  it("never throws and gives non-empty terms without spaces", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.constantFrom(undefined, ...LANGUAGES),
        (text, hint) => {
          const a = analyze(text, { hint });
          for (const t of a.terms) {
            expect(t.length).toBeGreaterThan(0);
            expect(t).not.toMatch(/\s/);
          }
          expect(analyze(text, { hint })).toEqual(a);
        },
      ),
      { numRuns: 300 },
    );
  });
});
