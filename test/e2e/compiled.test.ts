import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runBot } from "../helpers/run-bot.js";

/**
 * The compiled bot as the image holds it: `npm run build`'s output (dist/, strategies of examples/ and
 * plugins/ included), package.json rewritten by scripts/image-package.mjs, production code only: no
 * src/, no examples/, no tsx in any script. Built into a temporary folder, so the worktree's dist/ is
 * left alone. Docker itself is not here; the Dockerfile runs these same steps.
 */
const image = mkdtempSync(join(tmpdir(), "cmb-image-"));
const run = (command: string, args: string[], cwd = PROJECT_ROOT) => {
  const done = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (done.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed:\n${done.stdout}\n${done.stderr}`);
  return done.stdout;
};
const node = (args: string[], input: string, env: Record<string, string>) =>
  runBot(input, env, args, image, { command: [process.execPath, join(image, "dist/main.js")] });
const npmRun = (script: string, args: string[], env: Record<string, string>) =>
  runBot("", env, args, image, {
    command: ["npm", "run", "--silent", script, ...(args.length > 0 ? ["--"] : [])],
  });

beforeAll(() => {
  run(process.execPath, [
    join(PROJECT_ROOT, "node_modules/typescript/bin/tsc"),
    "-p",
    "tsconfig.build.json",
    "--outDir",
    join(image, "dist"),
  ]);
  run(process.execPath, ["scripts/build-plugins.mjs", "--out", join(image, "dist")]);
  cpSync(join(PROJECT_ROOT, "package.json"), join(image, "package.json"));
  run(process.execPath, [join(PROJECT_ROOT, "scripts/image-package.mjs"), join(image, "package.json")]);
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(image, "node_modules"), "dir");
}, 180_000);
afterAll(() => rmSync(image, { recursive: true, force: true }));

describe("the compiled bot (node dist/main.js), laid out as in the image", () => {
  it("is executable as the package's bin: dist/main.js starts with a node shebang", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin["channel-memory-bot"]).toBe("dist/main.js");
    expect(readFileSync(join(image, "dist/main.js"), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("keeps every user-facing npm script, each running compiled code that exists, none needing tsx", () => {
    const { scripts } = JSON.parse(readFileSync(join(image, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(Object.keys(scripts).sort()).toEqual(["knowledge:index", "register", "replay", "start"]);
    for (const command of Object.values(scripts)) {
      const [bin, entry] = command.split(" ");
      expect(bin).toBe("node");
      expect(existsSync(join(image, entry ?? ""))).toBe(true);
    }
  });

  it("loads the example strategy named by its .ts path from .env, through its compiled twin in dist/", async () => {
    writeFileSync(
      join(image, ".env"),
      [
        "STORE_URL=memory://",
        "LLM_PROVIDER=echo",
        "MEMORY_PLUGINS=./examples/pinned-facts/pinned-memory.ts",
        "MEMORY_MODE=pinned",
      ].join("\n"),
    );
    try {
      const done = await node(
        ["--user", "ann"],
        "/memory pin the code word is HERON\nwhat is the code word?\n",
        {},
      );
      expect(done.stderr).toBe("");
      expect(done.code).toBe(0);
      expect(done.stdout).toContain("Pinned (#1): the code word is HERON");
      expect(done.stdout).toContain("Memory: pinned mode");
      expect(done.stdout).toContain("Facts the chann");
    } finally {
      rmSync(join(image, ".env"));
    }
  });

  it("loads a compiled strategy mounted in plugins/ that imports the bot's helpers from ../dist/index.js", async () => {
    mkdirSync(join(image, "plugins"), { recursive: true });
    writeFileSync(
      join(image, "plugins/last-two.js"),
      `import { takeNewestWithin } from "../dist/index.js";
export default () => ({
  name: "last-two",
  description: "the last two turns",
  async load(ctx, budget) {
    const recent = await ctx.turns.recent(2);
    return { retrieved: [], recent: await takeNewestWithin(recent.reverse(), budget) };
  },
});
`,
    );
    const done = await node(["--user", "ann"], "one\ntwo\nthree\n/memory mode\n", {
      STORE_URL: "memory://",
      LLM_PROVIDER: "echo",
      MEMORY_PLUGINS: "./plugins/last-two.js",
      MEMORY_MODE: "last-two",
    });
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("Memory: last-two mode, 2 of 2 stored turns in the prompt");
    expect(done.stdout).toContain("last-two");
  });

  it("names a TypeScript strategy with no compiled twin and says how to build it, status 2", async () => {
    writeFileSync(join(image, "plugins/uncompiled.ts"), "export default () => ({});\n");
    const done = await node([], "", {
      STORE_URL: "memory://",
      LLM_PROVIDER: "echo",
      MEMORY_PLUGINS: "./plugins/uncompiled.ts",
    });
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(
      /^MEMORY_PLUGINS: cannot load "\.\/plugins\/uncompiled\.ts": .*npm run build/,
    );
    expect(done.stderr).not.toMatch(/^\s+at /m);
  });

  it("runs npm start -- --help and npm run knowledge:index from the image's package.json", async () => {
    const help = await npmRun("start", ["--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm start -- [options]");
    const docs = join(image, "knowledge");
    mkdirSync(docs, { recursive: true });
    writeFileSync(
      join(docs, "runbook.md"),
      "# Runbook\n\nRestart the KESTREL service with `make restart`.\n",
    );
    const indexed = await npmRun("knowledge:index", [], {
      STORE_URL: `sqlite://${join(image, "knowledge.sqlite")}`,
      KNOWLEDGE_DIR: docs,
    });
    expect(indexed.stderr).toBe("");
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toMatch(
      /^Indexed 1 new or changed files, 0 unchanged, 0 removed; \d+ chunks in all\.\n {2}indexed runbook\.md\n$/,
    );
  });

  it("refuses to start with no platform and no input, as a container with no tokens would", async () => {
    const done = await runBot("", { STORE_URL: "memory://" }, [], image, {
      command: [process.execPath, join(image, "dist/main.js")],
      noStdin: true,
    });
    expect(done.code).toBe(2);
    expect(done.stderr).toContain("No chat platform configured");
  });
});
