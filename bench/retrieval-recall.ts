import { mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { type App, createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { parseReplayInput } from "../src/replay/input.js";
import { runReplay } from "../src/replay/run-replay.js";
import { dropNamespace } from "../test/helpers/redis.js";
import { type IrcMessage, ircEvent, readIrcLog } from "./irc.js";

const logger = pino({ level: "silent" });
const PROBES = 50;
/** Targets come from the first part of the log, so every probe reaches back 500+ turns. */
const TARGET_REGION = 900;
const STOPWORDS = new Set(
  "that this with have what just your from they will there when then them been were would could should about which their https http know like make does sure using want need think here into also only some more than thanks yeah okay right".split(
    " ",
  ),
);

interface Probe {
  readonly target: IrcMessage;
  readonly targetIndex: number;
  readonly question: string;
}

const wordsOf = (text: string) => [...new Set(text.toLowerCase().match(/[a-z][a-z0-9._-]{3,}/g) ?? [])];

/**
 * Probes about early messages: each asks about the two rarest content words of one message (words
 * found in at most three messages of the log), as someone would who remembers the topic but not
 * the words around it. Nicknames are excluded (they are how people address each other).
 */
export function makeProbes(messages: readonly IrcMessage[]): Probe[] {
  const nicks = new Set(messages.map((m) => m.user.toLowerCase()));
  const df = new Map<string, number>();
  for (const m of messages) for (const w of wordsOf(m.text)) df.set(w, (df.get(w) ?? 0) + 1);
  const textCount = new Map<string, number>();
  for (const m of messages) textCount.set(m.text, (textCount.get(m.text) ?? 0) + 1);
  const candidates: Probe[] = [];
  for (const [i, m] of messages.slice(0, TARGET_REGION).entries()) {
    if (m.text.length < 30 || textCount.get(m.text) !== 1) continue;
    const rare = wordsOf(m.text)
      .filter((w) => !nicks.has(w.replace(/[:,]$/, "")) && !STOPWORDS.has(w) && (df.get(w) ?? 0) <= 3)
      .sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0) || a.localeCompare(b));
    if (rare.length < 2) continue;
    candidates.push({
      target: m,
      targetIndex: i,
      question: `what was said about ${rare[0]} and ${rare[1]}?`,
    });
  }
  const step = candidates.length / PROBES;
  return Array.from(
    { length: Math.min(PROBES, candidates.length) },
    (_, i) => candidates[Math.floor(i * step)] as Probe,
  );
}

/** Replay rows: the channel's messages, then each probe (answered, not remembered) at the end. */
export function replayRows(messages: readonly IrcMessage[], probes: readonly Probe[]) {
  return [
    ...messages.map((m) => ({ channel: "ubuntu", user: m.user, text: m.text, ts: m.ts })),
    ...probes.map((p) => ({
      channel: "ubuntu",
      user: "asker",
      text: p.question,
      ts: messages.at(-1)?.ts,
      probe: true,
    })),
  ];
}

async function recall(mode: string, k: number, messages: readonly IrcMessage[], probes: readonly Probe[]) {
  const rows = replayRows(messages, probes);
  const config = loadConfig({
    LLM_PROVIDER: "echo",
    STORE_URL: "memory://",
    MEMORY_LISTEN: "all",
    MEMORY_MODE: mode,
    MEMORY_RETRIEVAL_K: String(k),
  });
  const out: Array<{ prompt?: Array<{ content: string }>; promptTokens: number }> = [];
  await runReplay({
    config,
    lines: parseReplayInput(rows.map((r) => JSON.stringify(r)).join("\n")),
    trace: true,
    logger,
    write: (line) => out.push(JSON.parse(line)),
  });
  const answers = out.slice(0, -1);
  const hits = answers.filter((a, i) => {
    const text = (a.prompt ?? []).map((m) => m.content).join("\n");
    return text.includes((probes[i] as Probe).target.text);
  }).length;
  const avgPrompt = Math.round(answers.reduce((n, a) => n + a.promptTokens, 0) / answers.length);
  const avgDistance = Math.round(
    probes.reduce((n, p) => n + (messages.length - p.targetIndex), 0) / probes.length,
  );
  return {
    mode,
    k: mode === "retrieval" ? k : null,
    probes: probes.length,
    hits,
    hitRate: hits / probes.length,
    avgPromptTokens: avgPrompt,
    avgTurnsBack: avgDistance,
  };
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500, () => resolve(false));
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1", () => resolve(true));
  }).finally(() => undefined) as Promise<boolean>;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function timing(
  storeUrl: string,
  kind: string,
  messages: readonly IrcMessage[],
  probes: readonly Probe[],
) {
  const env = {
    LLM_PROVIDER: "echo",
    STORE_URL: storeUrl,
    STORE_NAMESPACE: `bench-${process.pid}`,
    MEMORY_LISTEN: "all",
    MEMORY_MODE: "retrieval",
    MEMORY_MAX_STORED_TURNS: "20000",
  };
  const open = () => createApp(loadConfig(env), { logger });
  let app: App = await open();
  let seq = 0;
  const event = (m: { user: string; text: string }, addressed: boolean) =>
    ircEvent(m, `t${seq++}`, addressed);
  const send = { send: async () => {} };
  let stored = 0;
  const fillTo = async (n: number) => {
    for (; stored < n; stored++) {
      const m = messages[stored % messages.length] as IrcMessage;
      const cycle = Math.floor(stored / messages.length);
      await app.bot.handle(
        event({ user: m.user, text: cycle ? `${m.text} (${cycle})` : m.text }, false),
        send,
      );
    }
  };
  const measure = async (count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await app.bot.handle(
        event({ user: "asker", text: (probes[i % probes.length] as Probe).question }, true),
        send,
      );
      times.push(performance.now() - started);
      stored++;
    }
    return times.sort((a, b) => a - b);
  };
  const rows: Array<Record<string, unknown>> = [];
  for (const target of [10, 1000, 5000]) {
    await fillTo(target);
    const times = await measure(20);
    rows.push({
      store: kind,
      storedTurns: target,
      medianMs: +quantile(times, 0.5).toFixed(2),
      p95Ms: +quantile(times, 0.95).toFixed(2),
    });
  }
  if (kind !== "memory") {
    await app.close();
    app = await open();
    const [cold = 0] = await measure(1);
    const warm = await measure(10);
    rows.push({
      store: kind,
      storedTurns: 5000,
      note: "after a restart",
      firstMessageMs: +cold.toFixed(2),
      thenMedianMs: +quantile(warm, 0.5).toFixed(2),
    });
  }
  await app.close();
  return rows;
}

/** Recall of far-back facts at k = 5 and 10 (buffer as the baseline), and time per message by history size. */
export async function run() {
  const messages = readIrcLog();
  const probes = makeProbes(messages);
  const recallRows = [
    await recall("retrieval", 5, messages, probes),
    await recall("retrieval", 10, messages, probes),
    await recall("buffer", 8, messages, probes),
  ];
  const dir = mkdtempSync(join(tmpdir(), "cmb-bench-"));
  const timingRows = [
    ...(await timing("memory://", "memory", messages, probes)),
    ...(await timing(`sqlite://${join(dir, "bench.sqlite")}`, "sqlite", messages, probes)),
  ];
  rmSync(dir, { recursive: true, force: true });
  if (await ping(6379)) {
    timingRows.push(...(await timing("redis://127.0.0.1:6379", "redis", messages, probes)));
    await dropNamespace("redis://127.0.0.1:6379", `bench-${process.pid}`);
  }
  const table = [
    `Recall: ${probes.length} probes, each about one message ${recallRows[0]?.avgTurnsBack} turns back on average (of ${messages.length}).`,
    "",
    "| mode | k | target message in the prompt | avg prompt tokens |",
    "|---|---:|---:|---:|",
    ...recallRows.map(
      (r) =>
        `| ${r.mode} | ${r.k ?? "-"} | ${r.hits}/${r.probes} (${Math.round(r.hitRate * 100)}%) | ${r.avgPromptTokens} |`,
    ),
    "",
    "Time per addressed message in retrieval mode (load, search, echo reply, append and index update):",
    "",
    "| store | stored turns | median ms | p95 ms |",
    "|---|---:|---:|---:|",
    ...timingRows.map((r) =>
      r.note
        ? `| ${r.store} | ${r.storedTurns} ${r.note} | first ${r.firstMessageMs}, then ${r.thenMedianMs} | |`
        : `| ${r.store} | ${r.storedTurns} | ${r.medianMs} | ${r.p95Ms} |`,
    ),
  ].join("\n");
  return {
    name: "retrieval-recall",
    probes: probes.map((p) => ({
      question: p.question,
      target: p.target.text,
      turnsBack: messages.length - p.targetIndex,
    })),
    recall: recallRows,
    timing: timingRows,
    table,
  };
}
