// The source tree's import graph, as TypeScript itself reads the imports (`import type` and
// `export … from` included), and the rules the layers keep. Used by test/unit/boundaries.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** A source file (path relative to the root, `src/core/bot.ts`) and what it imports. */
export interface SourceFile {
  readonly path: string;
  /** Other source files, by relative path, and packages, by name (`discord.js`, `node:fs`). */
  readonly imports: readonly string[];
  readonly lines: number;
}

/** Reads the imports of one file's text; relative specifiers become root-relative `.ts` paths. */
export function importsOf(path: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map(({ fileName }) =>
    fileName.startsWith(".") ? join(dirname(path), fileName).replace(/\.js$/, ".ts") : fileName,
  );
}

/** Every `.ts` file under `dir` (relative to `root`), with its imports. */
export function readSourceTree(root: string, dir = "src"): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(resolve(root, at))) {
      const path = join(at, name);
      if (statSync(resolve(root, path)).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) {
        const text = readFileSync(resolve(root, path), "utf8");
        files.push({ path, imports: importsOf(path, text), lines: text.split("\n").length - 1 });
      }
    }
  };
  walk(dir);
  return files;
}

/** A layer's rule: files under `from` import nothing that `forbidden` matches. */
export interface LayerRule {
  readonly from: readonly string[];
  readonly forbidden: readonly RegExp[];
  readonly why: string;
}

/** Imports that break a rule, one line each: `src/core/x.ts imports discord.js (core and memory …)`. */
export function ruleViolations(files: readonly SourceFile[], rules: readonly LayerRule[]): string[] {
  const under = (path: string, prefixes: readonly string[]) => prefixes.some((p) => path.startsWith(p));
  return files.flatMap((file) =>
    rules
      .filter((rule) => under(file.path, rule.from))
      .flatMap((rule) =>
        file.imports
          .filter((target) => rule.forbidden.some((pattern) => pattern.test(target)))
          .map((target) => `${file.path} imports ${target} (${rule.why})`),
      ),
  );
}

/** Import cycles among the files (Tarjan's strongly connected components of two or more files). */
export function importCycles(files: readonly SourceFile[]): string[][] {
  const graph = new Map(files.map((f) => [f.path, f.imports.filter((i) => i.endsWith(".ts"))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const path of graph.keys()) if (!index.has(path)) visit(path);
  return cycles;
}

/** Files relative to the project root, for messages. */
export const projectRoot = resolve(dirname(new URL(import.meta.url).pathname), "../..");
export const rel = (path: string) => relative(projectRoot, path);
