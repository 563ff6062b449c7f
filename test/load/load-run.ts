import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { channelKey } from "../../src/core/channel-key.js";
import { createChannelStore } from "../../src/store/channel-store.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { appMention, eventCallback, message } from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import { freePort } from "../helpers/free-port.js";
import { dropNamespace, testNamespace } from "../helpers/redis.js";
import { PROJECT_ROOT } from "../helpers/run-bot.js";

/** The size of a run; the suite runs a small one, `npm run load` the 500 channels and 10,000 messages. */
export interface LoadOptions {
  readonly redisUrl: string;
  readonly channels: number;
  readonly messages: number;
  /** Channels talking at once (each channel is one conversation: its next message waits for the answer). */
  readonly concurrency: number;
  /** Gives up (and reports what is missing) after this long, so a run always stops by itself. */
  readonly deadlineMs: number;
}

/** What a run found: problems (empty when correct) and the figures. */
export interface LoadReport {
  readonly problems: string[];
  readonly messages: number;
  readonly answered: number;
  readonly seconds: number;
  readonly throughputPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly prompts: number;
}

const SIGNING_SECRET = "load-signing-secret-0123456789";
const TAG = /TAG_(\d+)_(\d+)/;
const SECRET = /SECRET_(\d+)_[a-f0-9]{8}/g;

function startBot(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return { child, output: () => output };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`load: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

/**
 * Two real bot processes on one Redis behind Slack's HTTP events: every channel is seeded with its own
 * secret word, then talks; each message goes to one process as `app_mention` and to the other as its
 * `message` twin, so both race for it. Checks that every prompt holds only its own channel's secret,
 * every message is answered once and stored once, and reports throughput and latency.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const slack = await new FakeSlack().start();
  const openai = await new FakeOpenAi().start();
  const namespace = testNamespace("load");
  const secrets = Array.from(
    { length: options.channels },
    (_, c) => `SECRET_${c}_${randomBytes(4).toString("hex")}`,
  );
  const problems: string[] = [];
  const asked = new Map<string, number>();
  const latencies: number[] = [];
  const answers = new Map<string, number>();
  openai.responder = (request) => {
    const last = request.body.messages.at(-1)?.content ?? "";
    const tag = TAG.exec(last);
    if (!tag) {
      problems.push(`prompt without a tag: ${last.slice(0, 80)}`);
      return "no tag";
    }
    const channel = Number(tag[1]);
    const all = request.body.messages.map((m) => m.content).join("\n");
    for (const [found, owner] of all.matchAll(SECRET)) {
      if (Number(owner) !== channel) problems.push(`channel ${channel}'s prompt holds ${found}`);
    }
    if (Number(tag[2]) > 0 && !all.includes(secrets[channel] ?? "?"))
      problems.push(`channel ${channel}'s prompt lost its secret`);
    return `ok ${tag[0]}`;
  };
  const ports = [await freePort(), await freePort()];
  const bots = ports.map((port) =>
    startBot({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      OPENAI_API_KEY: "sk-load-test-key-0000",
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_MODEL: "gpt-4o-mini",
      STORE_URL: options.redisUrl,
      STORE_NAMESPACE: namespace,
      MEMORY_MODE: "buffer",
      MEMORY_MAX_PROMPT_TOKENS: "100000",
      LOG_LEVEL: "warn",
    }),
  );
  let scanned = 0;
  const watcher = setInterval(() => {
    for (; scanned < slack.calls.length; scanned++) {
      const call = slack.calls[scanned];
      if (call?.method !== "chat.postMessage") continue;
      const tag = TAG.exec(call.args.text ?? "")?.[0];
      if (!tag) continue;
      answers.set(tag, (answers.get(tag) ?? 0) + 1);
      const sent = asked.get(tag);
      if (sent !== undefined && answers.get(tag) === 1) latencies.push(call.at - sent);
    }
  }, 5);
  const started = Date.now();
  const perChannel = Math.max(1, Math.floor(options.messages / options.channels));
  const total = perChannel * options.channels;
  try {
    await Promise.all(
      ports.map(async (port) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) return;
          if (Date.now() > deadline) {
            const output = bots.map((b) => b.output()).join("\n");
            throw new Error(`load: the bot on port ${port} did not start:\n${output.slice(-2000)}`);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );
    const runStarted = Date.now();
    const post = (port: number, event: object) =>
      postSigned(
        `http://127.0.0.1:${port}/slack/events`,
        JSON.stringify(eventCallback(slack.team, slack.botUserId, event)),
        {
          secret: SIGNING_SECRET,
          contentType: "application/json",
        },
      );
    const talk = async (c: number) => {
      const channel = `C${String(c).padStart(6, "0")}`;
      for (let m = 0; m < perChannel; m++) {
        if (Date.now() - started > options.deadlineMs) return;
        const tag = `TAG_${c}_${m}`;
        const words =
          m === 0 ? `remember the secret word ${secrets[c]}` : `message ${m}, what is the secret word?`;
        const text = `<@${slack.botUserId}> ${tag} ${words}`;
        const ts = `${1_700_000_000 + c}.${String(m).padStart(6, "0")}`;
        asked.set(tag, Date.now());
        const first = (c + m) % 2;
        await Promise.all([
          post(ports[first] as number, appMention(slack.team, { text, ts, channel })),
          post(ports[1 - first] as number, message(slack.team, { text, ts, channel })),
        ]);
        await until(
          `the answer to ${tag}`,
          () => answers.has(tag),
          Math.max(1, options.deadlineMs - (Date.now() - started)),
        ).catch(() => problems.push(`no answer to ${tag}`));
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, options.channels) }, async () => {
        while (next < options.channels) await talk(next++);
      }),
    );
    const seconds = (Date.now() - runStarted) / 1000;
    // Late duplicates would arrive just after: give them a moment before counting.
    await new Promise((r) => setTimeout(r, 300));
    for (const [tag, n] of answers) if (n > 1) problems.push(`${tag} answered ${n} times`);
    for (const bot of bots)
      if (bot.child.exitCode !== null) problems.push(`a bot process died: ${bot.output().slice(-500)}`);
    const kv = await createKeyvStore({ url: options.redisUrl, namespace });
    const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
    for (let c = 0; c < options.channels; c++) {
      const channel = `C${String(c).padStart(6, "0")}`;
      const key = channelKey({ platform: "slack", workspace: slack.team, channel });
      const session = await store.load(key);
      const turns = await store.reader(key, session).range(session.first, session.next);
      const tags = turns.map((t) => TAG.exec(t.text)?.[0]);
      if (new Set(tags).size !== tags.length) problems.push(`channel ${c} stored a message twice`);
      if (turns.length !== perChannel)
        problems.push(`channel ${c} stored ${turns.length} of ${perChannel} messages`);
      if (turns.some((t) => !t.reply?.startsWith("ok TAG_")))
        problems.push(`channel ${c} stored a turn without its answer`);
    }
    await kv.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      problems: [...new Set(problems)].slice(0, 50),
      messages: total,
      answered: [...answers.keys()].length,
      seconds,
      throughputPerSec: Math.round((answers.size / seconds) * 10) / 10,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      prompts: openai.chatRequests.length,
    };
  } finally {
    clearInterval(watcher);
    for (const bot of bots) bot.child.kill("SIGTERM");
    await Promise.all(
      bots.map((b) => new Promise((r) => (b.child.exitCode !== null ? r(null) : b.child.once("exit", r)))),
    );
    await slack.stop();
    await openai.stop();
    await dropNamespace(options.redisUrl, namespace);
  }
}
