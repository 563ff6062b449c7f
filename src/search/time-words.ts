/**
 * Times and dates in chat text, in the languages the analyzer knows, without a model: whether a line
 * states a time ("Thursday 02:00", "3 мая", "5月3日"), whether a question asks for one ("when",
 * "wann", "いつ"), and which months or years a question names ("in May", "last year").
 */

const LOCALES = ["en", "de", "fr", "es", "pt", "it", "nl", "ru", "ja", "zh", "ko"] as const;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\.$/, "");

/** Month (1-12) by name in every locale, long and short, nominative and genitive forms. */
function monthNames(): Map<string, number> {
  const names = new Map<string, number>();
  for (const locale of LOCALES) {
    if (locale === "ja" || locale === "zh" || locale === "ko") continue;
    for (const style of ["long", "short"] as const) {
      const standalone = new Intl.DateTimeFormat(locale, { month: style, timeZone: "UTC" });
      const inDate = new Intl.DateTimeFormat(locale, { month: style, day: "numeric", timeZone: "UTC" });
      for (let m = 0; m < 12; m++) {
        const date = new Date(Date.UTC(2024, m, 15));
        names.set(fold(standalone.format(date)), m + 1);
        const part = inDate.formatToParts(date).find((p) => p.type === "month")?.value;
        if (part) names.set(fold(part), m + 1);
      }
    }
  }
  // Forms that are common words too ("may I", "mar" is Spanish for sea, "set"): see MAY below.
  for (const word of ["mar", "may", "set"]) names.delete(word);
  return names;
}

function weekdayNames(): Set<string> {
  const names = new Set<string>();
  for (const locale of LOCALES) {
    const format = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" });
    for (let d = 0; d < 7; d++) names.add(fold(format.format(new Date(Date.UTC(2024, 0, 1 + d)))));
  }
  return names;
}

const MONTHS = monthNames();
/** English "May" only where it can only be the month: "in May", "since May", "May 3", "3 May". */
const MAY = /\b(in|since|until|till|of|early|late|mid|last|next) may\b|\bmay \d|\d(st|nd|rd|th)? may\b/u;
const WEEKDAYS = weekdayNames();

/** Words that place something in time, by language (folded, lowercase). */
const RELATIVE_WORDS = new Set(
  (
    "today tomorrow yesterday tonight morning afternoon evening noon midnight week weekend month year " +
    "o'clock oclock am pm deadline " +
    "heute morgen gestern ubermorgen abend woche wochenende monat jahr uhr " +
    "aujourd'hui demain hier soir semaine mois annee heure heures " +
    "hoy manana ayer tarde noche semana mes ano hora horas " +
    "hoje amanha ontem noite semana mes ano " +
    "oggi domani ieri stasera settimana mese anno ore " +
    "vandaag morgen gisteren avond week maand jaar uur " +
    "сегодня завтра вчера утром вечером неделе неделю месяц году часов часа"
  ).split(" "),
);

/** Han/Kana/Hangul time words (matched as substrings: these scripts have no spaces). */
const CJK_TIME =
  /(今日|明日|昨日|今天|明天|昨天|今晚|上午|下午|晚上|星期|礼拜|曜日|来週|先週|下周|上周|오늘|내일|어제|오전|오후|요일|다음 주|지난주|\d+\s*(月|日|号|時|时|点|分|년|월|일|시|분))/u;
const CLOCK = /\b\d{1,2}[:h.]\d{2}\b|\b\d{1,2}\s?(am|pm|uhr|h)\b/iu;
const NUMERIC_DATE = /\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?\b|\b(19|20)\d{2}\b/u;
const DURATION =
  /\b\d+\s*(min(ute)?s?|hours?|hrs?|days?|weeks?|months?|years?|stunden?|tage?n?|wochen?|jours?|semaines?|heures?|d[ií]as?|horas?|semanas?|giorni|ore|settimane|dagen|uur|weken|минут\p{L}*|час\p{L}*|дн\p{L}*|недел\p{L}*|лет|год\p{L}*)\b/iu;

const words = (text: string) => fold(text).match(/[\p{L}'’]+/gu) ?? [];

/** Whether a text states a time, a date or a duration. */
export function mentionsTime(text: string): boolean {
  if (CLOCK.test(text) || NUMERIC_DATE.test(text) || DURATION.test(text) || CJK_TIME.test(text)) return true;
  if (MAY.test(fold(text))) return true;
  return words(text).some((w) => MONTHS.has(w) || WEEKDAYS.has(w) || RELATIVE_WORDS.has(w.replace("’", "'")));
}

const WHEN_QUESTION = new RegExp(
  [
    "\\bwhen\\b",
    "\\bwhat (time|date|day)\\b",
    "\\bwhich (day|date|month|year)\\b",
    "\\bhow long\\b",
    "\\bhow many (days|weeks|months|years|hours|minutes)\\b",
    "\\bwann\\b",
    "\\bwie lange\\b",
    "\\bum wie viel uhr\\b",
    "\\bwelche[mnr]? (tag|datum|monat|jahr)\\b",
    "\\bquand\\b",
    "\\bcombien de temps\\b",
    "\\bquelle (heure|date|jour)\\b",
    "\\bquel (jour|mois)\\b",
    "\\bcuando\\b",
    "\\bcuanto tiempo\\b",
    "\\bque (hora|dia|fecha)\\b",
    "\\bquando\\b",
    "\\bquanto tempo\\b",
    "\\bque horas\\b",
    "\\bche (ora|giorno)\\b",
    "\\bwanneer\\b",
    "\\bhoe lang\\b",
    "\\bhoe laat\\b",
    "когда",
    "во сколько",
    "сколько времени",
    "какого числа",
    "в какой день",
    "いつ",
    "何時",
    "何日",
    "何曜日",
    "什么时候",
    "何时",
    "几点",
    "哪天",
    "多久",
    "언제",
    "몇 시",
    "며칠",
    "무슨 요일",
  ].join("|"),
  "u",
);

/** Whether a question asks for a time, a date or a duration ("when", "how long", "いつ"). */
export function asksWhen(text: string): boolean {
  return WHEN_QUESTION.test(fold(text));
}

/** A span of time a question names, in epoch milliseconds, end exclusive. */
export interface DateSpan {
  readonly from: number;
  readonly to: number;
}

const DAY_MS = 86_400_000;

/**
 * The spans of time a question names, relative to `now` (UTC): a month ("in May": the latest May up
 * to now), a year ("in 2023"), "yesterday", "last week", "last month", "last year" and their
 * equivalents. Empty when it names none.
 */
export function namedDates(text: string, now: number): DateSpan[] {
  const spans: DateSpan[] = [];
  const today = new Date(now);
  const y = today.getUTCFullYear();
  const folded = fold(text);
  for (const w of words(text)) {
    const month = MONTHS.get(w);
    if (month === undefined) continue;
    const year = Date.UTC(y, month - 1, 1) > now ? y - 1 : y;
    spans.push({ from: Date.UTC(year, month - 1, 1), to: Date.UTC(year, month, 1) });
  }
  if (MAY.test(folded)) {
    const year = Date.UTC(y, 4, 1) > now ? y - 1 : y;
    spans.push({ from: Date.UTC(year, 4, 1), to: Date.UTC(year, 5, 1) });
  }
  for (const m of folded.matchAll(/(\d{1,2})\s*(月|월)/gu)) {
    const month = Number(m[1]);
    if (month < 1 || month > 12) continue;
    const year = Date.UTC(y, month - 1, 1) > now ? y - 1 : y;
    spans.push({ from: Date.UTC(year, month - 1, 1), to: Date.UTC(year, month, 1) });
  }
  for (const m of folded.matchAll(/\b(19\d{2}|20\d{2})\b/gu)) {
    const year = Number(m[1]);
    spans.push({ from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) });
  }
  const startOfDay = Date.UTC(y, today.getUTCMonth(), today.getUTCDate());
  if (/\b(yesterday|gestern|ayer|ontem|ieri|gisteren)\b|вчера|昨日|昨天|어제/u.test(folded))
    spans.push({ from: startOfDay - DAY_MS, to: startOfDay });
  if (
    /\blast week\b|\bletzte woche\b|semaine derniere|semana pasada|semana passada|settimana scorsa|vorige week|прошлой неделе|先週|上周|지난주/u.test(
      folded,
    )
  )
    spans.push({ from: startOfDay - 14 * DAY_MS, to: startOfDay });
  if (
    /\blast month\b|\bletzten monat\b|mois dernier|mes pasado|mes passado|mese scorso|vorige maand|прошлом месяце|先月|上个月|지난달/u.test(
      folded,
    )
  )
    spans.push({ from: Date.UTC(y, today.getUTCMonth() - 1, 1), to: Date.UTC(y, today.getUTCMonth(), 1) });
  if (
    /\blast year\b|\bletztes jahr\b|annee derniere|ano pasado|ano passado|anno scorso|vorig jaar|прошлом году|去年|작년|昨年/u.test(
      folded,
    )
  )
    spans.push({ from: Date.UTC(y - 1, 0, 1), to: Date.UTC(y, 0, 1) });
  return spans;
}
