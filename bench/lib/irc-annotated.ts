import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** One line of an annotated IRC log, by its 0-based line number in the raw file. */
export interface IrcLine {
  readonly line: number;
  /** `=== ` join/part/nick lines: no speaker, never a turn. */
  readonly system: boolean;
  readonly user: string;
  readonly text: string;
  /** Epoch ms: the log's date (from the line or the file name), the day rolling over when the clock goes back. */
  readonly ts: number;
}

/** A reply annotation `A B -`: message `b` answers message `a` (raw line numbers), the evidence for question `b`. */
export interface ReplyLink {
  readonly a: number;
  readonly b: number;
}

/** An annotated log: its lines in order (system lines included, so indexes are raw line numbers) and links. */
export interface AnnotatedLog {
  readonly name: string;
  readonly lines: readonly IrcLine[];
  readonly links: readonly ReplyLink[];
}

const DAY_MS = 86_400_000;
/** `chan 2018-05-29 ` (new-domains files), then `[HH:MM]` or `[HH:MM:SS]`. */
const STAMP = /^(?:\S+ (\d{4}-\d\d-\d\d) )?\[(\d\d):(\d\d)(?::(\d\d))?\]\s*/;
const SAY = /^<([^>]+)>\s*(.*)$/;
const ACT = /^\*\s*(\S+)\s+(.*)$/;

/** Parses a `*.raw.txt` or `*.ascii.txt` file; an unparseable line counts as a system line, keeping numbering. */
export function parseIrcLog(text: string, fileDate: string): IrcLine[] {
  const lines: IrcLine[] = [];
  let day = Date.parse(`${fileDate}T00:00:00Z`);
  let lastMs = -1;
  let lastTs = day;
  for (const [line, raw] of text.replace(/\n$/, "").split("\n").entries()) {
    const stamp = STAMP.exec(raw);
    if (!stamp) {
      lines.push({ line, system: true, user: "", text: raw.trim(), ts: lastTs });
      continue;
    }
    const [, date, hh, mm, ss] = stamp;
    const ms = ((Number(hh) * 60 + Number(mm)) * 60 + Number(ss ?? 0)) * 1000;
    if (date) day = Date.parse(`${date}T00:00:00Z`);
    else if (ms < lastMs) day += DAY_MS;
    lastMs = ms;
    lastTs = day + ms;
    const rest = raw.slice(stamp[0].length).replace(/\s+$/, "");
    const said = SAY.exec(rest) ?? ACT.exec(rest);
    const text = said?.[2]?.replace(/\s+/g, " ").trim() ?? "";
    if (!said || rest.startsWith("===") || text === "") {
      lines.push({ line, system: true, user: "", text: rest, ts: lastTs });
      continue;
    }
    lines.push({ line, system: false, user: (said[1] as string).trim(), text, ts: lastTs });
  }
  return lines;
}

/** Parses `A B -` lines, keeping links to an earlier message (self-links mark a conversation start). */
export function parseAnnotations(text: string): ReplyLink[] {
  const links: ReplyLink[] = [];
  for (const raw of text.split("\n")) {
    const [a, b] = raw.trim().split(/\s+/).map(Number);
    if (a === undefined || b === undefined || !Number.isInteger(a) || !Number.isInteger(b)) continue;
    links.push(a <= b ? { a, b } : { a: b, b: a });
  }
  return links;
}

/** Reads `NAME.raw.txt` (or `.ascii.txt`) and `NAME.annotation.txt`; the date comes from a `YYYY-MM-DD` name. */
export function readAnnotatedLog(rawPath: string): AnnotatedLog {
  const name = basename(rawPath).replace(/\.(raw|ascii)\.txt$/, "");
  const date = /^\d{4}-\d\d-\d\d/.exec(name)?.[0] ?? "2000-01-01";
  const annotations = rawPath.replace(/\.(raw|ascii)\.txt$/, ".annotation.txt");
  return {
    name,
    lines: parseIrcLog(readFileSync(rawPath, "utf8"), date),
    links: parseAnnotations(readFileSync(annotations, "utf8")),
  };
}
