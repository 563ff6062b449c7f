// The layers' boundaries, read off the real source tree: core, memory and search import no SDK and
// nothing of the layers around them (store, adapters, models, the composition root); no import
// cycles anywhere; no file over 400 lines. A newcomer who breaks one sees which import to move.
import { describe, expect, it } from "vitest";
import {
  importCycles,
  importsOf,
  type LayerRule,
  projectRoot,
  readSourceTree,
  ruleViolations,
  type SourceFile,
} from "../helpers/import-graph.js";

/** Client libraries of platforms and infrastructure: only adapters, the store, llm and jobs use them. */
const SDKS = [
  /^discord\.js$/,
  /^@discordjs\//,
  /^@slack\//,
  /^keyv$/,
  /^@keyv\//,
  /^@langchain\//,
  /^redis$/,
  /^@redis\//,
  /^sqlite3?$/,
  /^node-cron$/,
  /^prom-client$/,
];
/** What sits around the core: storage, platforms, models, HTTP, jobs, tools and the composition root. */
const OUTER = [
  /^src\/(store|adapters|llm|http|jobs|cli|replay|metrics|knowledge)\//,
  /^src\/(app|config|main|platforms|log|startup-error|register-commands|index)\.ts$/,
];

const RULES: readonly LayerRule[] = [
  {
    from: ["src/core/", "src/memory/", "src/search/"],
    forbidden: SDKS,
    why: "core, memory and search are plain TypeScript: take a port, not an SDK",
  },
  {
    from: ["src/core/", "src/memory/", "src/search/"],
    forbidden: OUTER,
    why: "the inner layers own their types and ports; the outer layers implement them",
  },
  {
    from: ["src/adapters/", "src/llm/"],
    forbidden: [/^src\/store\//, /^src\/memory\//],
    why: "adapters and models talk to the core, never to storage or memory directly",
  },
  {
    from: ["src/adapters/", "src/llm/"],
    forbidden: [/^src\/(config|app|main)\.ts$/],
    why: "adapters and models take their own settings; the composition root maps Config to them",
  },
];

const MAX_LINES = 400;
const tree = (): SourceFile[] =>
  ["src", "test", "bench", "scripts", "examples", "plugins"].flatMap((dir) =>
    readSourceTree(projectRoot, dir),
  );

describe("the layers of the source tree", () => {
  const src = readSourceTree(projectRoot, "src");

  it("keeps core, memory and search free of SDKs and of the layers around them", () => {
    expect(ruleViolations(src, RULES)).toEqual([]);
  });

  it("has no import cycle (type-only imports count)", () => {
    expect(importCycles(src)).toEqual([]);
  });

  it("keeps every source, test and benchmark file under 400 lines", () => {
    const long = tree().filter((f) => f.lines >= MAX_LINES);
    expect(long.map((f) => `${f.path}: ${f.lines} lines`)).toEqual([]);
  });

  it("names a deliberate bad import, and a cycle, added to the real tree", () => {
    const bad: SourceFile[] = [
      ...src,
      {
        path: "src/core/deliberately-bad.ts",
        imports: importsOf(
          "src/core/deliberately-bad.ts",
          [
            'import type { Message } from "discord.js";',
            'import { segmentKey } from "../store/keys.js";',
            'export { loadConfig } from "../config.js";',
            'import "./deliberately-bad-too.js";',
          ].join("\n"),
        ),
        lines: 4,
      },
      {
        path: "src/core/deliberately-bad-too.ts",
        imports: importsOf(
          "src/core/deliberately-bad-too.ts",
          'import type { X } from "./deliberately-bad.js";',
        ),
        lines: 1,
      },
    ];
    expect(ruleViolations(bad, RULES)).toEqual([
      "src/core/deliberately-bad.ts imports discord.js (core, memory and search are plain TypeScript: take a port, not an SDK)",
      "src/core/deliberately-bad.ts imports src/store/keys.ts (the inner layers own their types and ports; the outer layers implement them)",
      "src/core/deliberately-bad.ts imports src/config.ts (the inner layers own their types and ports; the outer layers implement them)",
    ]);
    const theirs = importCycles(bad).filter((cycle) => cycle.some((path) => path.includes("deliberately")));
    expect(theirs).toEqual([["src/core/deliberately-bad-too.ts", "src/core/deliberately-bad.ts"]]);
  });
});
