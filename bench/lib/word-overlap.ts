/**
 * Function words per language, left out when counting the content words a question shares with
 * its fact (a question may share "the" or "は" freely; the fixture's rule is about content words).
 */
const FUNCTION_WORDS: Record<string, string> = {
  en: "a an the and or but if of to in on at for with from by about as is are was were be been do does did have has had i you he she it we they me him her us them my your his its our their this that these those what which who when where why how not no yes so just again also then than there here can could will would should may might must am ok okay",
  de: "der die das den dem des ein eine einen einem einer und oder aber wenn als wie wo was wer wann warum wohin ich du er sie es wir ihr mich dich sich uns euch mir dir ihm ihn ist sind war waren bin bist sein hat haben hab habe hatte wird werden kann können nicht kein keine keinen noch nochmal schon mal ja nein auch nur so da dann denn doch jetzt eigentlich zu zum zur im in an am auf aus bei mit nach von vor für über unter um bis genau gleich welchem welche welcher welches viel statt inzwischen",
  es: "el la los las un una unos unas y o pero si de del a al en con por para sin sobre que qué quién cuál cuánto cuándo dónde cómo es son era fue ser estar está están he ha han hay yo tú él ella nosotros vosotros ellos me te se nos os le les lo mi tu su no sí ya muy más también oye eh final",
  fr: "le la les l un une des du de d et ou mais si à au aux en dans sur sous pour par avec sans que qu qui quoi quand où comment est sont était c ce cet cette ces je tu il elle on nous vous ils elles me te se moi toi lui leur mon ma mes ton ta son sa ses ne pas plus n y a ai as ont été être avoir fait déjà aussi très bien alors donc est-ce qu'on c'est combien finalement",
  ru: "и в во на с со к ко по о об от до из за у а но или что как где когда кто какой какое какая какие каком куда сколько это этот эта то тот не ни да нет же ли бы я ты он она оно мы вы они меня тебя его её нас вас их мне тебе ему ей нам вам им мой твой наш ваш ваша свой был была было были быть есть уже ещё тоже так вот итоге число",
  ja: "って っけ です ます でした ました から まで より だっけ なの なん けど よね じゃ ない ある いる する して した なっ なった いつ どこ 誰 何 いくら 結局",
  zh: "的 了 是 在 我 你 他 她 它 我们 你们 他们 吗 呢 吧 啊 这 那 这个 那个 有 和 就 都 也 不 会 要 说 来着 什么 哪 哪儿 哪里 哪天 谁 多少 怎么 最后",
  ko: "그 이 저 것 거 수 좀 더 다 못 안 잘 왜 뭐 뭐로 어디 어디였죠 언제 누구 누구였죠 얼마나 씨 진짜 너무",
};

const CJK_ONLY = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u;

/**
 * A text's content word forms, as `Intl.Segmenter` cuts words for the language (ICU's dictionary
 * for Japanese and Chinese), lower-cased: no function words, and no single Han or kana character
 * (too ambiguous to count; 会, 的).
 */
export function contentWords(text: string, language: string): Set<string> {
  const skip = new Set((FUNCTION_WORDS[language] ?? "").split(" "));
  const words = new Set<string>();
  for (const s of new Intl.Segmenter(language, { granularity: "word" }).segment(text.normalize("NFC"))) {
    if (!s.isWordLike) continue;
    const word = s.segment.toLowerCase();
    if (skip.has(word) || (CJK_ONLY.test(word) && [...word].length < 2)) continue;
    words.add(word);
  }
  return words;
}

/** The content word forms a question shares with its fact: the fixture allows at most one. */
export function sharedContentWords(fact: string, question: string, language: string): string[] {
  const inFact = contentWords(fact, language);
  return [...contentWords(question, language)].filter((w) => inFact.has(w));
}

/** At most this many content word forms shared, or the question just repeats its fact. */
export const MAX_SHARED_CONTENT_WORDS = 1;
