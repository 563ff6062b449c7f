import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationSeverity, validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/run-bot.js";

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), "utf8");
/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = () =>
  read("Dockerfile")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
/** What .dockerignore keeps out of the build context (plain names and `*.ext` patterns). */
const ignored = (path: string) =>
  read(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .some((pattern) =>
      pattern.startsWith("*")
        ? path.endsWith(pattern.slice(1))
        : path === pattern || path.startsWith(`${pattern}/`),
    );

describe("the Docker build context", () => {
  it("passes the Dockerfile linter of VS Code's Docker support (dockerfile-utils) with every rule as an error", () => {
    const diagnostics = validate(read("Dockerfile"), {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    });
    expect(diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("copies only what the context holds, and keeps secrets and local data out of it", () => {
    const copies = instructions().filter((i) => i.startsWith("COPY ") && !i.includes("--from="));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy
        .split(/\s+/)
        .slice(1, -1)
        .filter((word) => !word.startsWith("--"));
      for (const source of sources) {
        expect(existsSync(join(PROJECT_ROOT, source)), `${source} exists`).toBe(true);
        expect(ignored(source), `${source} is in the build context`).toBe(false);
      }
    }
    for (const kept of [".env", "data", "node_modules", "dist", "memory.sqlite"])
      expect(ignored(kept)).toBe(true);
  });

  it("builds the strategies into the image, rewrites its scripts, and documents its ports and plugins folder", () => {
    const all = instructions();
    expect(all).toContain("COPY examples ./examples");
    expect(all).toContain("COPY plugins ./plugins");
    expect(
      all.some((i) => i.startsWith("RUN npm run build") && i.includes("node scripts/image-package.mjs")),
    ).toBe(true);
    expect(all.some((i) => i.startsWith("RUN mkdir") && i.includes("/app/plugins"))).toBe(true);
    expect(all).toContain("EXPOSE 8080 3000");
    expect(all.at(-1)).toBe('CMD ["node", "dist/main.js"]');
    expect(JSON.parse(read("package.json")).scripts.build).toContain("node scripts/build-plugins.mjs");
    expect(existsSync(join(PROJECT_ROOT, "plugins/README.md"))).toBe(true);
  });

  it("publishes Slack's HTTP port in compose and stops retrying a setting to fix", () => {
    const compose = read("docker-compose.yml");
    expect(compose).toMatch(/ports:\n(\s+#.*\n)*\s+- "\$\{PORT:-3000\}:\$\{PORT:-3000\}"/);
    expect(compose).toContain("restart: on-failure:5");
    expect(compose).not.toContain("restart: unless-stopped");
  });
});
