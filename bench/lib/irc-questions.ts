import { userContent } from "../../src/core/prompt.js";
import type { AnnotatedLog, IrcLine } from "./irc-annotated.js";

/** Words a reply must have, once a leading "nick:" address is removed, to stand as a question. */
export const MIN_QUESTION_WORDS = 4;

/** Distance bands (raw lines between the reply and the message it answers), reported apart. */
export const DISTANCE_BANDS = [
  { name: "1-4", min: 1, max: 4 },
  { name: "5-19", min: 5, max: 19 },
  { name: "20-99", min: 20, max: 99 },
  { name: "100+", min: 100, max: Number.POSITIVE_INFINITY },
] as const;
export type BandName = (typeof DISTANCE_BANDS)[number]["name"];

export const bandOf = (distance: number): BandName =>
  (DISTANCE_BANDS.find((b) => distance >= b.min && distance <= b.max) ?? DISTANCE_BANDS[3]).name;

/** One question: the reply `b` asks, the message `a` it answers is the evidence that should reach the prompt. */
export interface IrcQuestion {
  readonly log: string;
  readonly a: IrcLine;
  readonly b: IrcLine;
  /** b.line - a.line, in raw lines (system lines included). */
  readonly distance: number;
  readonly band: BandName;
  /** How A appears in a prompt (the speaker tag and the text), the string a hit is looked for. */
  readonly evidence: string;
}

/** Why candidate pairs were left out, so the counts can be checked. */
export interface QuestionStats {
  links: number;
  selfLinks: number;
  systemEnd: number;
  shortReply: number;
  ambiguousEvidence: number;
  kept: number;
}

/** The reply's words once a leading address ("nick:", "nick,") naming a speaker of the log is removed. */
export function questionWords(text: string, nicks: ReadonlySet<string>): string[] {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const first = words[0]?.replace(/[:,]$/, "").toLowerCase();
  return first !== undefined && words[0] !== first && nicks.has(first) ? words.slice(1) : words;
}

/**
 * True when `needle` occurs in `haystack` as a whole line's end: after the start, a space or a
 * newline, and before the end or a newline. That is how a turn's "nick: text" sits in a prompt
 * (a recent turn's message, or a retrieved line after its time stamp), whatever the line format.
 */
export function containsLine(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = at === 0 ? "\n" : haystack[at - 1];
    const after = haystack[at + needle.length] ?? "\n";
    if ((before === "\n" || before === " ") && after === "\n") return true;
  }
  return false;
}

/**
 * The questions of one log: every reply link A -> B with A before B, neither a system line, B long
 * enough to be a question, and A's prompt line not also the end of another message before B (so a
 * hit can only be A itself).
 */
export function questionsOf(log: AnnotatedLog): { questions: IrcQuestion[]; stats: QuestionStats } {
  const said = log.lines.filter((l) => !l.system);
  const nicks = new Set(said.map((l) => l.user.toLowerCase()));
  const stats: QuestionStats = {
    links: log.links.length,
    selfLinks: 0,
    systemEnd: 0,
    shortReply: 0,
    ambiguousEvidence: 0,
    kept: 0,
  };
  const questions: IrcQuestion[] = [];
  const seen = new Set<string>();
  for (const { a, b } of log.links) {
    if (a === b) {
      stats.selfLinks++;
      continue;
    }
    const la = log.lines[a];
    const lb = log.lines[b];
    if (!la || !lb || la.system || lb.system) {
      stats.systemEnd++;
      continue;
    }
    if (questionWords(lb.text, nicks).length < MIN_QUESTION_WORDS) {
      stats.shortReply++;
      continue;
    }
    if (seen.has(`${a} ${b}`)) continue;
    seen.add(`${a} ${b}`);
    const evidence = userContent(la.user, la.text);
    const clash = said.some(
      (l) => l.line < b && l.line !== a && containsLine(userContent(l.user, l.text), evidence),
    );
    if (clash) {
      stats.ambiguousEvidence++;
      continue;
    }
    questions.push({ log: log.name, a: la, b: lb, distance: b - a, band: bandOf(b - a), evidence });
  }
  stats.kept = questions.length;
  return { questions, stats };
}
