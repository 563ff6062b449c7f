import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";

/** A piece of a document, with where it came from so an answer can cite it. */
export interface DocChunk {
  /** `<content hash>:<n>`: stable while the file is unchanged, new when it changes. */
  readonly id: string;
  /** File path relative to KNOWLEDGE_DIR. */
  readonly source: string;
  /** The heading path above the chunk ("Deploys › Rollback"), empty before the first heading. */
  readonly heading: string;
  readonly text: string;
}

const CHUNK_CHARS = 1000;
const OVERLAP_CHARS = 100;
const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

interface Section {
  readonly heading: string;
  readonly lines: string[];
}

/** Splits Markdown at its headings (ignoring `#` lines inside code blocks), keeping the heading path. */
function sections(text: string, markdown: boolean): Section[] {
  if (!markdown) return [{ heading: "", lines: text.split("\n") }];
  const result: Section[] = [{ heading: "", lines: [] }];
  const path: string[] = [];
  let inFence = false;
  for (const line of text.split("\n")) {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (match?.[1] && match[2]) {
      path.splice(match[1].length - 1);
      path[match[1].length - 1] = match[2];
      result.push({ heading: path.filter(Boolean).join(" › "), lines: [line] });
    } else result.at(-1)?.lines.push(line);
  }
  return result.filter((s) => s.lines.join("").trim() !== "");
}

/**
 * Splits a document into chunks with LangChain's recursive splitter (Markdown-aware separators), one
 * heading section at a time, so every chunk knows the heading it sits under.
 */
export async function chunkDocument(source: string, hash: string, text: string): Promise<DocChunk[]> {
  const markdown = /\.(md|markdown)$/i.test(source);
  const splitter = markdown
    ? RecursiveCharacterTextSplitter.fromLanguage("markdown", {
        chunkSize: CHUNK_CHARS,
        chunkOverlap: OVERLAP_CHARS,
      })
    : new RecursiveCharacterTextSplitter({ chunkSize: CHUNK_CHARS, chunkOverlap: OVERLAP_CHARS });
  const chunks: DocChunk[] = [];
  for (const section of sections(text.replace(/\r\n?/g, "\n"), markdown)) {
    for (const piece of await splitter.splitText(section.lines.join("\n"))) {
      if (piece.trim())
        chunks.push({ id: `${hash}:${chunks.length}`, source, heading: section.heading, text: piece.trim() });
    }
  }
  return chunks;
}
