import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** A readable text file of the knowledge folder. */
export interface KnowledgeFile {
  readonly path: string;
  readonly text: string;
  readonly hash: string;
}

/** A file that was passed over, and why (binary, not UTF-8, unreadable). */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** The kinds of file indexed; anything else in the folder is left alone. */
export const KNOWLEDGE_EXTENSIONS = /\.(md|markdown|txt)$/i;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && KNOWLEDGE_EXTENSIONS.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

function decode(bytes: Buffer): string | { reason: string } {
  if (bytes.length > MAX_FILE_BYTES) return { reason: `larger than ${MAX_FILE_BYTES} bytes` };
  if (bytes.includes(0)) return { reason: "binary content (NUL bytes)" };
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { reason: "not valid UTF-8 text" };
  }
}

/** Reads the folder's Markdown and text files; binary or malformed ones are reported, not indexed. */
export async function readKnowledgeFiles(
  dir: string,
): Promise<{ files: KnowledgeFile[]; skipped: SkippedFile[] }> {
  const files: KnowledgeFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const absolute of await listFiles(dir)) {
    const path = relative(dir, absolute);
    try {
      const bytes = await readFile(absolute);
      const text = decode(bytes);
      if (typeof text !== "string") skipped.push({ path, reason: text.reason });
      else files.push({ path, text, hash: createHash("sha256").update(bytes).digest("hex").slice(0, 16) });
    } catch (error) {
      skipped.push({ path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { files, skipped };
}
