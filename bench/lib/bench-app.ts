import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@keyv/redis";
import pino from "pino";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { ChatEvent } from "../../src/core/events.js";
import { turnTokens } from "../../src/core/prompt.js";
import type { MemoryContext } from "../../src/memory/types.js";
import { BENCH_REDIS_URL } from "./report.js";
import { createZeroModel } from "./zero-model.js";

export const STORE_KINDS = ["memory", "sqlite", "redis"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The app as production wires it (lock, dedup, activity index, metrics), with a zero-latency model. */
export interface BenchApp {
  readonly app: App;
  /** The zero-latency reply model; `lastMessages` is the last prompt the bot sent. */
  readonly model: ReturnType<typeof createZeroModel>;
  /** Sends one addressed message and resolves when the answer was posted. */
  exchange(channel: string, text: string): Promise<void>;
  /** Sets a channel's memory mode as an admin would. */
  setMode(channel: string, mode: string): Promise<void>;
  /** Appends turns directly (with the mode's derived data), much faster than exchanges. */
  seed(channel: string, turns: number): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

/** Opens a bench app on a store kind, in a namespace (or directory) of its own, deleted on close. */
export async function openBenchApp(kind: StoreKind, env: Record<string, string> = {}): Promise<BenchApp> {
  const namespace = `cmbbench-${process.pid}-${Date.now()}`;
  const dir = kind === "sqlite" ? mkdtempSync(join(tmpdir(), "cmb-bench-")) : undefined;
  const url =
    kind === "memory"
      ? "memory://"
      : kind === "sqlite"
        ? `sqlite://${join(dir ?? "", "b.sqlite")}`
        : BENCH_REDIS_URL;
  const model = createZeroModel();
  const app = await createApp(
    loadConfig({
      STORE_URL: url,
      STORE_NAMESPACE: namespace,
      MEMORY_MAX_STORED_TURNS: "20000",
      LLM_PROVIDER: "echo",
      LOG_LEVEL: "silent",
      ...env,
    }),
    { logger: pino({ level: "silent" }), llm: model, summarizer: createZeroModel("zero-summarizer") },
  );
  const event = (channel: string, kindOf: "message" | "command", text: string): ChatEvent =>
    ({
      id: `b${seq++}`,
      platform: "console",
      workspace: "bench",
      channel,
      user: { id: "u1", name: "ann", isBot: false },
      isAdmin: true,
      kind: kindOf,
      text,
      addressed: true,
    }) as ChatEvent;
  const discard = { send: async () => {} };
  return {
    app,
    model,
    async exchange(channel, text) {
      const outcome = await app.bot.handle(event(channel, "message", text), discard);
      if (outcome !== "answered") throw new Error(`exchange ${outcome}`);
    },
    async setMode(channel, mode) {
      await app.bot.handle(event(channel, "command", `mode ${mode}`), discard);
    },
    async seed(channel, turns) {
      const { store, countTokens } = app;
      const key = `console:bench:${channel}`;
      const session = await store.load(key);
      const memory = app.memories.get(session.mode ?? app.config.MEMORY_MODE);
      const context = (query: string): MemoryContext => ({
        channel: key,
        session,
        turns: store.reader(key, session),
        store,
        countTokens,
        query,
        windowTurns: 10,
        now: Date.now,
      });
      for (let i = 0; i < turns; i++) {
        const text = `seeded message ${session.next} about topic ${session.next % 97} and item ${session.next % 13}`;
        const ctx = context(text);
        const turn = { ts: Date.now(), user: { id: "u1", name: "ann" }, text, reply: "Noted, thanks." };
        // The exact count, as the bot stores it: a low guess would make every prompt over budget and trimmed.
        await store.append(key, session, { ...turn, tokens: turnTokens(countTokens, turn) }, async (t) => {
          await memory?.afterAppend?.(ctx, t);
        });
        if (await memory?.afterReply?.(context(text))) await store.save(key, session);
      }
    },
    async close() {
      await app.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (kind === "redis") await dropNamespace(namespace);
    },
  };
}

/** Deletes every key of a bench namespace. */
export async function dropNamespace(namespace: string): Promise<void> {
  const client = createClient({ url: BENCH_REDIS_URL });
  await client.connect();
  for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 1000 }))
    if (batch.length > 0) await client.del(batch);
  await client.quit();
}
