// Benchmark: indexing a real documentation set (undici's Markdown docs, shipped in node_modules) into
// the knowledge index, the index's size in the store, and retrieval time per message.
// Run: npx tsx bench/knowledge.ts  (writes bench/results/knowledge.json, prints a Markdown table)
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import type { KeyValueStore } from "../src/core/kv.js";
import { createKnowledge } from "../src/knowledge/knowledge.js";
import { createKeyvStore } from "../src/store/keyv-store.js";

const DOCS = resolve("node_modules/undici/docs");
const QUERIES = [
  "how do I set a timeout on a request?",
  "how do I use a proxy agent?",
  "what is mocking in tests",
  "how does connection pooling work",
  "can I retry a failed request automatically",
  "what does the dispatcher interceptor do",
  "hello there, how are you?",
  "who won the game last night",
];

/** Counts the bytes every write puts in the store (the index's size as stored). */
function measuring(inner: KeyValueStore) {
  const sizes = new Map<string, number>();
  const store: KeyValueStore = {
    ...inner,
    async set(key, value, ttl) {
      sizes.set(key, JSON.stringify(value).length);
      await inner.set(key, value, ttl);
    },
    async setMany(entries) {
      for (const e of entries) sizes.set(e.key, JSON.stringify(e.value).length);
      await inner.setMany(entries);
    },
    async delete(keys) {
      for (const key of keys) sizes.delete(key);
      await inner.delete(keys);
    },
  };
  return { store, bytes: () => [...sizes.values()].reduce((a, b) => a + b, 0), keys: () => sizes.size };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const kv = await createKeyvStore({ url: "memory://", namespace: "bench" });
const m = measuring(kv);
const logger = pino({ level: "silent" });
const knowledge = createKnowledge({ kv: m.store, dir: DOCS, k: 4, minScore: 1, logger });

let t = performance.now();
const first = await knowledge.sync();
const indexMs = performance.now() - t;
t = performance.now();
const second = await knowledge.sync();
const resyncMs = performance.now() - t;

// A second process: a new knowledge object over the same store loads the stored index.
const other = createKnowledge({ kv: m.store, dir: DOCS, k: 4, minScore: 1, logger });
t = performance.now();
await other.retrieve("c", QUERIES[0] ?? "");
const coldLoadMs = performance.now() - t;

const times: number[] = [];
const hitsPerQuery: Record<string, number> = {};
for (let round = 0; round < 50; round++) {
  for (const q of QUERIES) {
    const start = performance.now();
    const hits = await knowledge.retrieve("c", q);
    times.push(performance.now() - start);
    hitsPerQuery[q] = hits.length;
  }
}

const result = {
  date: new Date().toISOString(),
  node: process.version,
  docs: "node_modules/undici/docs (Markdown)",
  files: first?.indexed.length ?? 0,
  chunks: first?.chunks ?? 0,
  indexMs: Math.round(indexMs),
  resyncUnchangedMs: Math.round(resyncMs),
  resyncIndexedFiles: second?.indexed.length ?? -1,
  secondProcessFirstQueryMs: Math.round(coldLoadMs),
  storedBytes: m.bytes(),
  storedKeys: m.keys(),
  retrievalP50Ms: Number(percentile(times, 50).toFixed(3)),
  retrievalP99Ms: Number(percentile(times, 99).toFixed(3)),
  hitsPerQuery,
};
mkdirSync("bench/results", { recursive: true });
writeFileSync(join("bench/results", "knowledge.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(`| files | chunks | index (ms) | re-sync unchanged (ms) | stored | retrieval p50 / p99 (ms) |
| --- | --- | --- | --- | --- | --- |
| ${result.files} | ${result.chunks} | ${result.indexMs} | ${result.resyncUnchangedMs} | ${(result.storedBytes / 1024).toFixed(0)} KiB in ${result.storedKeys} keys | ${result.retrievalP50Ms} / ${result.retrievalP99Ms} |`);
console.log(hitsPerQuery);
await kv.close();
