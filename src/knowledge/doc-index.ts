import MiniSearch, { type Options } from "minisearch";
import { INDEX_OPTIONS } from "../memory/retrieval/index-options.js";
import type { KeyValueStore } from "../store/kv.js";
import { chunkDocument, type DocChunk } from "./chunking.js";
import type { KnowledgeFile, SkippedFile } from "./files.js";

/** What a sync did, for the log and `npm run knowledge:index`. */
export interface SyncReport {
  readonly indexed: string[];
  readonly unchanged: string[];
  readonly removed: string[];
  readonly skipped: SkippedFile[];
  readonly chunks: number;
}

/** A chunk found for a query, with its BM25 score. */
export interface DocHit {
  readonly chunk: DocChunk;
  readonly score: number;
  /** Share of the question's content words the chunk contains (0 to 1). */
  readonly coverage: number;
}

/** The distinct content words of a query, as the index sees them. */
export function queryTerms(query: string): string[] {
  const terms = query
    .split(/[\s\p{P}]+/u)
    .map((word) => knowledgeTerm(word))
    .filter((t): t is string => typeof t === "string" && t.length > 0);
  return [...new Set(terms)];
}

interface Manifest {
  readonly v: 1;
  files: Record<string, { hash: string; chunks: number }>;
}

const MANIFEST_KEY = "k:manifest";
const INDEX_KEY = "k:index";
const chunksKey = (hash: string) => `k:chunks:${hash}`;

/** The same term processing (stop words, lowercase) as retrieval memory. */
export const knowledgeTerm = (term: string, field?: string) =>
  INDEX_OPTIONS.processTerm ? INDEX_OPTIONS.processTerm(term, field) : term.toLowerCase();

/** BM25 over chunk text and heading, a heading match counting a little more. */
export const DOC_INDEX_OPTIONS: Options<DocChunk> = {
  fields: ["text", "heading"],
  storeFields: [],
  processTerm: knowledgeTerm,
  searchOptions: { boost: { heading: 1.5, text: 1 }, prefix: (t) => t.length >= 5, combineWith: "OR" },
};

/** The shared document index: one per store, used by every channel. */
export interface DocIndex {
  /** Brings the stored index in line with the files: only new or changed files are split and indexed. */
  sync(files: readonly KnowledgeFile[], skipped: readonly SkippedFile[]): Promise<SyncReport>;
  search(query: string, limit: number): Promise<DocHit[]>;
  /** Files and chunks indexed (for `/memory show`). */
  size(): Promise<{ files: number; chunks: number }>;
}

/**
 * A BM25 index of the documents, kept in the store (manifest of file hashes, chunks per file content,
 * and the serialized MiniSearch index), so a restart or a second process loads it instead of indexing
 * again. This process keeps a copy in memory, reloaded when the stored manifest changes.
 */
export function createDocIndex(kv: KeyValueStore): DocIndex {
  let loaded: { stamp: string; index: MiniSearch<DocChunk>; chunks: Map<string, DocChunk> } | undefined;

  const stampOf = (manifest: Manifest) => JSON.stringify(manifest.files);

  async function load(): Promise<NonNullable<typeof loaded>> {
    const manifest = (await kv.get<Manifest>(MANIFEST_KEY)) ?? { v: 1, files: {} };
    const stamp = stampOf(manifest);
    if (loaded?.stamp === stamp) return loaded;
    const json = await kv.get<string>(INDEX_KEY);
    const index = json
      ? MiniSearch.loadJSON<DocChunk>(json, DOC_INDEX_OPTIONS)
      : new MiniSearch<DocChunk>(DOC_INDEX_OPTIONS);
    const hashes = Object.values(manifest.files).map((f) => f.hash);
    const chunkLists = await kv.getMany<DocChunk[]>(hashes.map(chunksKey));
    const chunks = new Map(chunkLists.flatMap((list) => list ?? []).map((c) => [c.id, c] as const));
    loaded = { stamp, index, chunks };
    return loaded;
  }

  return {
    async sync(files, skipped) {
      const manifest = (await kv.get<Manifest>(MANIFEST_KEY)) ?? { v: 1, files: {} };
      const { index } = await load();
      const report: SyncReport = {
        indexed: [],
        unchanged: [],
        removed: [],
        skipped: [...skipped],
        chunks: 0,
      };
      const drop = (path: string) => {
        const old = manifest.files[path];
        if (!old) return;
        for (let i = 0; i < old.chunks; i++)
          if (index.has(`${old.hash}:${i}`)) index.discard(`${old.hash}:${i}`);
        delete manifest.files[path];
      };
      for (const file of files) {
        if (manifest.files[file.path]?.hash === file.hash) {
          report.unchanged.push(file.path);
          continue;
        }
        drop(file.path);
        const chunks = await chunkDocument(file.path, file.hash, file.text);
        await kv.set(chunksKey(file.hash), chunks);
        index.addAll(chunks);
        manifest.files[file.path] = { hash: file.hash, chunks: chunks.length };
        report.indexed.push(file.path);
      }
      const present = new Set(files.map((f) => f.path));
      for (const path of Object.keys(manifest.files)) {
        if (present.has(path)) continue;
        const hash = manifest.files[path]?.hash;
        drop(path);
        if (hash && !Object.values(manifest.files).some((f) => f.hash === hash))
          await kv.delete([chunksKey(hash)]);
        report.removed.push(path);
      }
      if (report.indexed.length > 0 || report.removed.length > 0) {
        await kv.set(INDEX_KEY, JSON.stringify(index));
        await kv.set(MANIFEST_KEY, manifest);
      }
      loaded = undefined;
      const size = await this.size();
      return { ...report, chunks: size.chunks };
    },
    async search(query, limit) {
      const { index, chunks } = await load();
      const terms = queryTerms(query);
      if (index.documentCount === 0 || terms.length === 0) return [];
      return index
        .search(query)
        .slice(0, limit)
        .flatMap((hit) => {
          const chunk = chunks.get(String(hit.id));
          const coverage = Math.min(1, new Set(hit.queryTerms).size / terms.length);
          return chunk ? [{ chunk, score: hit.score, coverage }] : [];
        });
    },
    async size() {
      const { index } = await load();
      const manifest = (await kv.get<Manifest>(MANIFEST_KEY)) ?? { v: 1, files: {} };
      return { files: Object.keys(manifest.files).length, chunks: index.documentCount };
    },
  };
}
