import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { runBot } from "../helpers/run-bot.js";

const promptOf = (server: FakeOpenAi, index: number) =>
  (server.chatRequests[index]?.body.messages ?? []).map((m) => m.content).join("\n");

describe("npm start with piped input, a local OpenAI-compatible server and the default SQLite store", () => {
  const server = new FakeOpenAi();
  const cwd = mkdtempSync(join(tmpdir(), "cmb-console-"));
  const env = () => ({ OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "sk-console-test" });
  beforeAll(() => server.start());
  afterAll(async () => {
    await server.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("carries a fact said in the first line into the third line's prompt, and prints every reply", async () => {
    const run = await runBot(
      "my favourite colour is TEAL\nwhat is the weather?\nwhat is my favourite colour?\n",
      env(),
      ["--channel", "a", "--user", "ann"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(server.chatRequests).toHaveLength(3);
    expect(promptOf(server, 2)).toContain("ann: my favourite colour is TEAL");
    expect(run.stdout).toContain("echo: ann: what is my favourite colour?");
    expect(run.stdout.trim().split("\n")).toHaveLength(3);
  });

  it("still knows the fact in a second run of the process, and forgets it after /memory reset", async () => {
    const run = await runBot(
      "what colour did I say?\n/memory reset\nwhat colour did I say?\n",
      env(),
      ["--channel", "a", "--user", "ann"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(promptOf(server, 3)).toContain("TEAL");
    expect(run.stdout).toMatch(/Memory reset: forgot 4 turns/);
    expect(promptOf(server, 4)).not.toContain("TEAL");
  });

  it("with /memory mode window 1 carries only the last turn", async () => {
    const run = await runBot(
      "the first city is OSLO\nthe second city is LIMA\n/memory mode window 1\nwhich cities?\n",
      env(),
      ["--channel", "b"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Memory mode is now window with a window of 1 turn.");
    const last = promptOf(server, server.chatRequests.length - 1);
    expect(last).toContain("LIMA");
    expect(last).not.toContain("OSLO");
  });

  it("answers a malformed command with the valid forms and changes nothing", async () => {
    const run = await runBot(
      "/memory mode nonsense\n/memory frobnicate\n/memory show\n",
      env(),
      ["--channel", "b"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Unknown mode "nonsense". Nothing changed.');
    expect(run.stdout).toContain('Unknown command "/memory frobnicate"');
    expect(run.stdout).toContain("/memory mode [mode] [window]");
    expect(run.stdout).toContain("Mode: window (k=1)");
  });

  it("/memory stats shows today's and all-time tokens with cost, the budget and where the figures come from", async () => {
    const run = await runBot(
      "hello\nhow are you?\n/memory stats\n",
      { ...env(), CHANNEL_DAILY_TOKEN_BUDGET: "100000" },
      ["--channel", "stats"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Today \(\d{4}-\d{2}-\d{2} UTC\): \d+ tokens \(\d+ prompt \+ \d+ completion\) in 2 calls, about \$/,
    );
    expect(run.stdout).toMatch(/ {2}reply: 2 calls/);
    expect(run.stdout).toMatch(/Average reply prompt: \d+ tokens/);
    expect(run.stdout).toMatch(/Daily budget: \d+ of 100000 tokens used today \(0%\), resets at 00:00 UTC/);
    expect(run.stdout).toContain("Figures: token counts as reported by the model provider.");
  });

  it("never writes the API key to its output", async () => {
    const run = await runBot("hello\n", { ...env(), LOG_LEVEL: "debug" }, ["--channel", "c"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("sk-console-test");
  });
});

describe("start-up settings", () => {
  it("offers the offline echo model with a one-line notice when no model is configured", async () => {
    const run = await runBot("hello\n", { STORE_URL: "memory://" });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("No model configured: answering with the offline echo model");
    expect(run.stdout).toContain("[offline echo model");
  });

  it("exits with status 2 naming a bad variable and its accepted values", async () => {
    const run = await runBot("", { STORE_URL: "memory://", LLM_PROVIDER: "banana" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("LLM_PROVIDER");
    expect(run.stderr).toContain("openai, echo");
  });

  it("exits with status 2 for an unknown MEMORY_MODE, listing the modes", async () => {
    const run = await runBot("", { STORE_URL: "memory://", MEMORY_MODE: "telepathy" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MEMORY_MODE: unknown mode "telepathy"; accepted values: .*buffer.*window/);
  });
});
