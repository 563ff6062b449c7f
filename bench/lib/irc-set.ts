import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { TokenCounter } from "../../src/core/prompt.js";
import { benchTurns, type ChannelCase, type Probe } from "./channel-case.js";
import { readAnnotatedLog } from "./irc-annotated.js";
import {
  type BandName,
  DISTANCE_BANDS,
  type IrcQuestion,
  type QuestionStats,
  questionsOf,
} from "./irc-questions.js";

/** The annotated logs' folders under bench/fixtures/irc. */
const FOLDERS = ["dev", "test", "new-domains"] as const;

/** The IRC benchmark's channels, their questions (per probe, per target, in order) and the counts behind them. */
export interface IrcSet {
  readonly cases: readonly ChannelCase[];
  /** Per case, per probe, per target: the question it stands for. */
  readonly questions: ReadonlyArray<ReadonlyArray<readonly IrcQuestion[]>>;
  /** Questions each band has in all (before sampling) and measured. */
  readonly bands: Record<BandName, { all: number; measured: number }>;
  readonly stats: QuestionStats;
  readonly logs: readonly string[];
}

/**
 * Keeps every question of the far bands and an evenly spaced `nearSample` of each near band
 * (1-4 and 5-19 have thousands; the far ones are what retrieval is for), so a run stays short.
 */
function sample(all: readonly IrcQuestion[], nearSample: number): Set<IrcQuestion> {
  const kept = new Set<IrcQuestion>();
  for (const band of DISTANCE_BANDS) {
    const inBand = all.filter((q) => q.band === band.name);
    const far = band.min >= 20;
    const n = far ? inBand.length : Math.min(nearSample, inBand.length);
    for (let i = 0; i < n; i++) kept.add(inBand[Math.floor((i * inBand.length) / n)] as IrcQuestion);
  }
  return kept;
}

/** Reads the fixture logs and builds one case per log: its messages, with a probe before each measured reply. */
export function loadIrcSet(root: string, count: TokenCounter, nearSample: number): IrcSet {
  const logs = FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((f) => /\.(raw|ascii)\.txt$/.test(f))
      .sort()
      .map((f) => readAnnotatedLog(join(root, folder, f))),
  );
  const stats: QuestionStats = {
    links: 0,
    selfLinks: 0,
    systemEnd: 0,
    shortReply: 0,
    ambiguousEvidence: 0,
    kept: 0,
  };
  const perLog = logs.map((log) => {
    const found = questionsOf(log);
    for (const key of Object.keys(stats) as Array<keyof QuestionStats>) stats[key] += found.stats[key];
    return found.questions;
  });
  const all = perLog.flat();
  const kept = sample(all, nearSample);
  const bands = Object.fromEntries(
    DISTANCE_BANDS.map((b) => [
      b.name,
      {
        all: all.filter((q) => q.band === b.name).length,
        measured: [...kept].filter((q) => q.band === b.name).length,
      },
    ]),
  ) as IrcSet["bands"];
  const cases: ChannelCase[] = [];
  const questions: IrcQuestion[][][] = [];
  logs.forEach((log, i) => {
    const said = log.lines.filter((l) => !l.system);
    const seqOf = new Map(said.map((l, seq) => [l.line, seq]));
    const byReply = new Map<number, IrcQuestion[]>();
    for (const q of perLog[i] ?? [])
      if (kept.has(q)) byReply.set(q.b.line, [...(byReply.get(q.b.line) ?? []), q]);
    const replies = [...byReply.keys()].sort((a, b) => a - b);
    const probes: Probe[] = replies.map((line) => {
      const qs = byReply.get(line) as IrcQuestion[];
      const b = (qs[0] as IrcQuestion).b;
      return {
        before: seqOf.get(line) as number,
        user: b.user,
        text: b.text,
        ts: b.ts,
        targets: qs.map((q) => ({ seq: seqOf.get(q.a.line) as number, evidence: q.evidence })),
      };
    });
    cases.push({ name: log.name, turns: benchTurns(count, said), probes });
    questions.push(replies.map((line) => byReply.get(line) as IrcQuestion[]));
  });
  return { cases, questions, bands, stats, logs: logs.map((l) => l.name) };
}
