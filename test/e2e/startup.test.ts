import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { PROJECT_ROOT, runBot } from "../helpers/run-bot.js";

/** A line of a stack trace, which a configuration error must never print below LOG_LEVEL=debug. */
const STACK_LINE = /^\s+at /m;
const DISCORD_TOKEN = "MTI1MDAwMDAwMDAwMDAwMDAwMQ.GfakeX.abcdefghijklmnopqrstuvwxyz012345";

describe("start-up stops at once on a setting to fix, one line per problem, status 2", () => {
  const cwd = mkdtempSync(join(tmpdir(), "cmb-startup-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("prints the usage for --help and exits 0, whatever the settings", async () => {
    const run = await runBot("", { LLM_PROVIDER: "banana" }, ["--help"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: npm start -- [options]");
    expect(run.stdout).toContain("--channel NAME");
    expect(run.stderr).toBe("");
  });

  it("names an unknown option and points at --help, without a stack trace", async () => {
    const run = await runBot("", { STORE_URL: "memory://" }, ["--chanel", "x"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--chanel");
    expect(run.stderr).toContain("--help");
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("lists every problem at once: a base URL without a scheme, openai with no model, a bad mode value", async () => {
    const run = await runBot(
      "",
      { OPENAI_BASE_URL: "localhost:11434/v1", MEMORY_WINDOW_TURNS: "lots", LOG_LEVEL: "info" },
      [],
      cwd,
    );
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}OPENAI_BASE_URL: must be an http:\/\/ or https:\/\/ URL/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}MEMORY_WINDOW_TURNS: /));
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("refuses LLM_PROVIDER=openai with neither a key nor a base URL", async () => {
    const run = await runBot("hello\n", { STORE_URL: "memory://", LLM_PROVIDER: "openai" }, [], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /LLM_PROVIDER: openai needs a model to talk to; set OPENAI_API_KEY .* or OPENAI_BASE_URL/,
    );
    expect(run.stdout).toBe("");
  });

  it("refuses a platform token with no model, unless LLM_PROVIDER=echo asks for the echo model", async () => {
    const run = await runBot("", { STORE_URL: "memory://", DISCORD_TOKEN }, [], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/LLM_PROVIDER: no model is configured for Discord \(DISCORD_TOKEN\)/);
    expect(run.stderr).toContain("LLM_PROVIDER=echo");
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("refuses a system prompt that leaves no room for a message in the budget, naming both settings", async () => {
    const run = await runBot(
      "hello\n",
      {
        STORE_URL: "memory://",
        LLM_PROVIDER: "echo",
        SYSTEM_PROMPT: "Always be thorough and kind. ".repeat(60),
        MEMORY_MAX_PROMPT_TOKENS: "500",
      },
      [],
      cwd,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^SYSTEM_PROMPT: [\d,]+ tokens leave too little of MEMORY_MAX_PROMPT_TOKENS=500 .* at most 250 tokens .* at least \d+\n$/,
    );
    expect(run.stdout).toBe("");
  });

  it("with no platform and no input at all (a container's /dev/null), says what to set instead of exiting 0", async () => {
    const run = await runBot("", { STORE_URL: "memory://" }, [], cwd, { noStdin: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^No chat platform configured: set DISCORD_TOKEN \(Discord\) or SLACK_BOT_TOKEN \(Slack\)/,
    );
  });

  it("stops with status 2 and one line when Discord refuses the token, with no stack trace at LOG_LEVEL=info", async () => {
    const { FakeDiscord } = await import("../fakes/discord/index.js");
    const fake = await new FakeDiscord().start();
    try {
      const run = await runBot(
        "",
        {
          STORE_URL: "memory://",
          LLM_PROVIDER: "echo",
          DISCORD_TOKEN: "MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.token-that-discord-refuses",
          DISCORD_API_URL: fake.apiUrl,
          HTTP_PORT: "0",
          LOG_LEVEL: "info",
        },
        [],
        cwd,
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("DISCORD_TOKEN: Discord login failed: An invalid token was provided.");
      expect(run.stderr).not.toMatch(STACK_LINE);
    } finally {
      await fake.stop();
    }
  });
});

describe(".env in the working directory", () => {
  const server = new FakeOpenAi();
  const cwd = mkdtempSync(join(tmpdir(), "cmb-dotenv-"));
  beforeAll(() => server.start());
  afterAll(async () => {
    await server.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("runs as .env.example says: copied to .env unchanged, the bot answers in the terminal", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "cmb-dotenv-example-"));
    try {
      copyFileSync(join(PROJECT_ROOT, ".env.example"), join(fresh, ".env"));
      const run = await runBot("hello\n", {}, ["--user", "ann"], fresh);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("You said: ann: hello");
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("is read by npm start, and a variable set in the environment wins over it", async () => {
    writeFileSync(
      join(cwd, ".env"),
      [
        "# copied from .env.example",
        `OPENAI_BASE_URL=${server.baseURL}`,
        "OPENAI_API_KEY=sk-from-dotenv",
        "STORE_URL=memory://",
        'SYSTEM_PROMPT="You are the DOTENV bot."',
        "OPENAI_MODEL=model-from-dotenv",
      ].join("\n"),
    );
    const run = await runBot(
      "hello there\n",
      { OPENAI_MODEL: "model-from-environment" },
      ["--user", "ann"],
      cwd,
    );
    expect(run.code).toBe(0);
    const request = server.chatRequests.at(-1);
    expect(request?.body.model).toBe("model-from-environment");
    expect(request?.body.messages[0]?.content).toBe("You are the DOTENV bot.");
    expect(request?.headers.authorization).toBe("Bearer sk-from-dotenv");
    expect(run.stdout).toContain("echo: ann");
  });
});
