import type { KeyValueStore } from "../core/kv.js";
import { createBm25Ranker } from "../search/ranker.js";
import { decodeSegment, isStoredSegment, type SearchSegment, type StoredSegment } from "../search/segment.js";
import { indexTexts, searchTexts } from "../search/text-search.js";
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
  /** Share of the question's content terms the chunk contains (0 to 1). */
  readonly coverage: number;
}

interface Manifest {
  readonly v: 1;
  files: Record<string, { hash: string; chunks: number }>;
}

const MANIFEST_KEY = "k:manifest";
/** The index before `src/search` (one MiniSearch index of every file); deleted on the next sync. */
const LEGACY_INDEX_KEY = "k:index";
const chunksKey = (hash: string) => `k:chunks:${hash}`;
/** One search segment per file content, so an edited file is the only one indexed again. */
const segmentKey = (hash: string) => `k:seg2:${hash}`;

/** Fields of a document chunk: its text, and its heading path counting more. */
const DOC_FIELDS = ["text", "heading"] as const;
/** BM25F over chunk text and heading, a heading match counting a little more. */
export const DOC_RANKER = createBm25Ranker({ fieldWeights: [1, 1.5] });

const indexChunks = (chunks: readonly DocChunk[]): StoredSegment =>
  indexTexts(
    chunks.map((c, i) => ({ id: i, fields: [c.text, c.heading] })),
    DOC_FIELDS.length,
  );

/** The shared document index: one per store, used by every channel. */
export interface DocIndex {
  /** Brings the stored index in line with the files: only new or changed files are split and indexed. */
  sync(files: readonly KnowledgeFile[], skipped: readonly SkippedFile[]): Promise<SyncReport>;
  search(query: string, limit: number): Promise<DocHit[]>;
  /** Files and chunks indexed (for `/memory show`). */
  size(): Promise<{ files: number; chunks: number }>;
}

interface Loaded {
  readonly stamp: string;
  readonly segments: SearchSegment[];
  readonly chunks: DocChunk[][];
}

/**
 * A full-text index of the documents (`src/search`, every language), kept in the store: the manifest of
 * file hashes, and per file content its chunks and their search segment, so a restart or a second
 * process loads it instead of indexing again, and an edited file is the only one indexed again. This
 * process keeps a decoded copy, reloaded when the stored manifest changes. A file indexed by an older
 * version (chunks without a segment) is indexed from its stored chunks on first load.
 */
export function createDocIndex(kv: KeyValueStore): DocIndex {
  let loaded: Loaded | undefined;
  const readManifest = async () => (await kv.get<Manifest>(MANIFEST_KEY)) ?? { v: 1 as const, files: {} };

  async function load(): Promise<Loaded> {
    const manifest = await readManifest();
    const stamp = JSON.stringify(manifest.files);
    if (loaded?.stamp === stamp) return loaded;
    const hashes = [...new Set(Object.values(manifest.files).map((f) => f.hash))];
    const [chunkLists, stored] = await Promise.all([
      kv.getMany<DocChunk[]>(hashes.map(chunksKey)),
      kv.getMany<StoredSegment>(hashes.map(segmentKey)),
    ]);
    const segments: SearchSegment[] = [];
    const chunks: DocChunk[][] = [];
    for (const [i, hash] of hashes.entries()) {
      const list = chunkLists[i] ?? [];
      let segment = stored[i];
      if (!isStoredSegment(segment)) {
        segment = indexChunks(list);
        await kv.set(segmentKey(hash), segment);
      }
      segments.push(decodeSegment(segment));
      chunks.push(list);
    }
    loaded = { stamp, segments, chunks };
    return loaded;
  }

  return {
    async sync(files, skipped) {
      const manifest = await readManifest();
      const report: SyncReport = {
        indexed: [],
        unchanged: [],
        removed: [],
        skipped: [...skipped],
        chunks: 0,
      };
      const unused = new Set<string>();
      for (const file of files) {
        const old = manifest.files[file.path];
        if (old?.hash === file.hash) {
          report.unchanged.push(file.path);
          continue;
        }
        if (old) unused.add(old.hash);
        const chunks = await chunkDocument(file.path, file.hash, file.text);
        await kv.setMany([
          { key: chunksKey(file.hash), value: chunks },
          { key: segmentKey(file.hash), value: indexChunks(chunks) },
        ]);
        manifest.files[file.path] = { hash: file.hash, chunks: chunks.length };
        report.indexed.push(file.path);
      }
      const present = new Set(files.map((f) => f.path));
      for (const path of Object.keys(manifest.files)) {
        if (present.has(path)) continue;
        unused.add(manifest.files[path]?.hash ?? "");
        delete manifest.files[path];
        report.removed.push(path);
      }
      if (report.indexed.length > 0 || report.removed.length > 0) {
        await kv.set(MANIFEST_KEY, manifest);
        const kept = new Set(Object.values(manifest.files).map((f) => f.hash));
        const gone = [...unused].filter((hash) => hash && !kept.has(hash));
        await kv.delete([LEGACY_INDEX_KEY, ...gone.flatMap((hash) => [chunksKey(hash), segmentKey(hash)])]);
      }
      loaded = undefined;
      const size = await this.size();
      return { ...report, chunks: size.chunks };
    },
    async search(query, limit) {
      const { segments, chunks } = await load();
      return searchTexts(segments, query, {
        ranker: DOC_RANKER,
        fieldCount: DOC_FIELDS.length,
        limit,
      }).flatMap((hit) => {
        const chunk = chunks[hit.segment]?.[hit.id];
        return chunk ? [{ chunk, score: hit.score, coverage: hit.coverage }] : [];
      });
    },
    async size() {
      const { chunks } = await load();
      return {
        files: Object.keys((await readManifest()).files).length,
        chunks: chunks.reduce((n, l) => n + l.length, 0),
      };
    },
  };
}
