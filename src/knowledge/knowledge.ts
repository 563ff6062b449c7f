import { type FSWatcher, watch } from "node:fs";
import type { Logger } from "pino";
import type { KeyValueStore } from "../core/kv.js";
import { plural } from "../core/plural.js";
import type { MemoryCommand } from "../memory/types.js";
import { createDocIndex, type DocIndex, type SyncReport } from "./doc-index.js";
import { type ChannelFacts, createChannelFacts } from "./facts.js";
import { readKnowledgeFiles } from "./files.js";

/** A piece of knowledge chosen for a prompt, with the source it is cited by. */
export interface KnowledgeItem {
  readonly source: string;
  readonly text: string;
  readonly score: number;
}

export interface KnowledgeOptions {
  readonly kv: KeyValueStore;
  /** KNOWLEDGE_DIR; without it only channel facts are known. */
  readonly dir?: string | undefined;
  /** KNOWLEDGE_K: items per prompt at most. */
  readonly k: number;
  /** Below this BM25 score a match is noise and is left out. */
  readonly minScore: number;
  readonly logger: Logger;
  readonly now?: (() => number) | undefined;
}

/** Documents and channel facts, retrieved next to the conversation but never mixed into it. */
export interface Knowledge {
  readonly docs: DocIndex;
  readonly facts: ChannelFacts;
  /** Indexes new and changed files of KNOWLEDGE_DIR (on start, on change, `npm run knowledge:index`). */
  sync(): Promise<SyncReport | undefined>;
  /** Re-syncs when files in KNOWLEDGE_DIR change. */
  watch(): void;
  retrieve(channel: string, query: string): Promise<KnowledgeItem[]>;
  /** `/memory learn`, `/memory facts`, `/memory unlearn`, available in every mode. */
  readonly commands: Readonly<Record<string, MemoryCommand>>;
  describe(channel: string): Promise<string>;
  close(): void;
}

const WATCH_DEBOUNCE_MS = 500;
/** Share of a question's content words a document chunk must contain to be relevant. */
export const MIN_COVERAGE = 0.5;

export function createKnowledge(options: KnowledgeOptions): Knowledge {
  const { kv, dir, k, minScore } = options;
  const now = options.now ?? Date.now;
  const log = options.logger.child({ component: "knowledge" });
  const docs = createDocIndex(kv);
  const facts = createChannelFacts(kv);
  let watcher: FSWatcher | undefined;
  let syncing: Promise<SyncReport | undefined> = Promise.resolve(undefined);

  async function syncNow(): Promise<SyncReport | undefined> {
    if (!dir) return undefined;
    const { files, skipped } = await readKnowledgeFiles(dir);
    for (const file of skipped) log.warn({ file: file.path, reason: file.reason }, "knowledge file skipped");
    const report = await docs.sync(files, skipped);
    log.info(
      {
        indexed: report.indexed.length,
        unchanged: report.unchanged.length,
        removed: report.removed.length,
        chunks: report.chunks,
      },
      "knowledge indexed",
    );
    return report;
  }

  const commands: Record<string, MemoryCommand> = {
    learn: {
      usage: "/memory learn <text>: teach this channel a fact (kept by /memory reset)",
      adminOnly: true,
      async run(ctx, args) {
        const fact = await facts.learn(ctx.channel, args, now());
        return "error" in fact ? fact.error : `Learned fact #${fact.id}: ${fact.text}`;
      },
    },
    facts: {
      usage: "/memory facts: list this channel's facts",
      async run(ctx) {
        const list = await facts.list(ctx.channel);
        if (list.length === 0) return "This channel has no facts yet. Add one with /memory learn <text>.";
        return `Facts of this channel:\n${list.map((f) => `#${f.id}: ${f.text}`).join("\n")}`;
      },
    },
    unlearn: {
      usage: "/memory unlearn <id>: remove one of this channel's facts",
      adminOnly: true,
      async run(ctx, args) {
        const id = /^#?(\d{1,9})$/.exec(args.trim())?.[1];
        if (!id) return "Give the fact's number, e.g. /memory unlearn 3 (see /memory facts).";
        return (await facts.unlearn(ctx.channel, Number(id)))
          ? `Unlearned fact #${id}.`
          : `There is no fact #${id} here.`;
      },
    },
  };

  return {
    docs,
    facts,
    sync() {
      syncing = syncing.then(syncNow, syncNow);
      return syncing;
    },
    watch() {
      if (!dir || watcher) return;
      let timer: NodeJS.Timeout | undefined;
      watcher = watch(dir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.sync().catch((error: unknown) => log.warn({ err: error }, "knowledge re-index failed"));
        }, WATCH_DEBOUNCE_MS);
      });
      watcher.on("error", (error) => log.warn({ err: error }, "knowledge folder watch failed"));
    },
    async retrieve(channel, query) {
      if (!query.trim()) return [];
      const [factHits, docHits] = await Promise.all([
        facts.search(channel, query, k),
        dir ? docs.search(query, k) : [],
      ]);
      // A channel's facts are few and curated: any content word in common makes one relevant. A document
      // chunk must hold at least half of the question's content words and pass the BM25 threshold, so a
      // question sharing one common word with the documents brings none.
      const items: KnowledgeItem[] = [
        ...factHits.map(({ fact, score }) => ({
          source: `channel fact #${fact.id}`,
          text: fact.text,
          score,
        })),
        ...docHits
          .filter((hit) => hit.score >= minScore && hit.coverage >= MIN_COVERAGE)
          .map(({ chunk, score }) => ({
            source: chunk.heading ? `${chunk.source} › ${chunk.heading}` : chunk.source,
            text: chunk.text,
            score,
          })),
      ];
      return items.slice(0, k);
    },
    commands,
    async describe(channel) {
      const [size, list] = await Promise.all([docs.size(), facts.list(channel)]);
      return `Knowledge: ${plural(size.chunks, "document chunk")} from ${plural(size.files, "file")}, ${plural(list.length, "channel fact")}; up to ${plural(k, "item")} per prompt`;
    },
    close() {
      watcher?.close();
    },
  };
}
