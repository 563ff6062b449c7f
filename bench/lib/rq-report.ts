import type { ProbeOutcome } from "./channel-case.js";
import { DISTANCE_BANDS } from "./irc-questions.js";
import type { IrcSet } from "./irc-set.js";
import { markdownTable } from "./report.js";

/** One configuration's outcomes: per case, per probe. */
export interface Measured {
  /** e.g. "retrieval (product)", "plain BM25". */
  readonly label: string;
  readonly budget: number | "top 10";
  readonly outcomes: ReadonlyArray<readonly ProbeOutcome[]>;
}

/** Hits of n, and the share. */
export interface Recall {
  readonly hits: number;
  readonly n: number;
  readonly recall: number;
}

const recallOf = (hits: number, n: number): Recall => ({ hits, n, recall: n === 0 ? 0 : hits / n });
const pct = (r: Recall) => (r.n === 0 ? "-" : r.recall.toFixed(2));

/** IRC recall of one configuration per distance band and over all measured questions, and its mean prompt tokens. */
export function ircSummary(m: Measured, irc: IrcSet) {
  const byBand = new Map<string, { hits: number; n: number }>(
    DISTANCE_BANDS.map((b) => [b.name, { hits: 0, n: 0 }]),
  );
  let hits = 0;
  let n = 0;
  let tokens = 0;
  let probes = 0;
  m.outcomes.forEach((perProbe, c) => {
    perProbe.forEach((o, p) => {
      if (Number.isFinite(o.promptTokens)) {
        tokens += o.promptTokens;
        probes++;
      }
      o.hits.forEach((hit, t) => {
        const q = irc.questions[c]?.[p]?.[t];
        const band = q ? byBand.get(q.band) : undefined;
        if (!band) return;
        band.n++;
        n++;
        if (hit) {
          band.hits++;
          hits++;
        }
      });
    });
  });
  return {
    label: m.label,
    budget: m.budget,
    bands: Object.fromEntries([...byBand].map(([name, b]) => [name, recallOf(b.hits, b.n)])),
    all: recallOf(hits, n),
    avgPromptTokens: probes === 0 ? null : Math.round(tokens / probes),
  };
}
export type IrcSummary = ReturnType<typeof ircSummary>;

/** The IRC table: one row per configuration and budget, recall per band, overall, mean prompt tokens. */
export function ircTable(rows: readonly IrcSummary[], irc: IrcSet): string {
  const header = [
    "configuration",
    "budget",
    ...DISTANCE_BANDS.map((b) => `${b.name} (n=${irc.bands[b.name].measured})`),
    "all",
    "avg prompt tokens",
  ];
  return markdownTable(
    header,
    rows.map((r) => [
      r.label,
      typeof r.budget === "number" ? r.budget : r.budget,
      ...DISTANCE_BANDS.map((b) => pct(r.bands[b.name] as Recall)),
      pct(r.all),
      r.avgPromptTokens ?? "-",
    ]),
  );
}

/** Recall per case (one language each) of one configuration. */
export function perCaseRecall(m: Measured): Recall[] {
  return m.outcomes.map((perProbe) => {
    const flat = perProbe.flatMap((o) => o.hits);
    return recallOf(flat.filter(Boolean).length, flat.length);
  });
}

/** The multilingual table: one row per language, one column per configuration and budget. */
export function multilingualTable(languages: readonly string[], measured: readonly Measured[]): string {
  const per = measured.map(perCaseRecall);
  const total = per.map((rs) =>
    recallOf(
      rs.reduce((s, r) => s + r.hits, 0),
      rs.reduce((s, r) => s + r.n, 0),
    ),
  );
  return markdownTable(
    ["language", ...measured.map((m) => `${m.label} @${m.budget}`)],
    [
      ...languages.map((lang, i) => [lang, ...per.map((rs) => `${rs[i]?.hits}/${rs[i]?.n}`)]),
      ["all", ...total.map((r) => `${r.hits}/${r.n} (${pct(r)})`)],
    ],
  );
}

/**
 * The IRC summary of a configuration over some logs only: the retrieval ranking was tuned on the dev
 * logs, so the test and new-domain logs are the figures it was not tuned on.
 */
export function ircSplitSummary(m: Measured, irc: IrcSet, keep: (log: string) => boolean): IrcSummary {
  const picked = irc.logs.map((log, i) => [log, i] as const).filter(([log]) => keep(log));
  const sub = {
    ...irc,
    logs: picked.map(([log]) => log),
    questions: picked.map(([, i]) => irc.questions[i] ?? []),
  } as IrcSet;
  return ircSummary({ ...m, outcomes: picked.map(([, i]) => m.outcomes[i] ?? []) }, sub);
}
