import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { runBot } from "../helpers/run-bot.js";

describe("npm start: a channel set up with /memory persona and /memory model", () => {
  const server = new FakeOpenAi();
  const cwd = mkdtempSync(join(tmpdir(), "cmb-setup-"));
  const env = () => ({
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_API_KEY: "sk-console-test",
    OPENAI_MODEL: "gpt-4o-mini",
    CHANNEL_MODELS: "gpt-4o-mini, gpt-4o",
    SYSTEM_PROMPT: "You are the house assistant.",
  });
  const systemOf = (i: number) => server.chatRequests[i]?.body.messages[0];
  beforeAll(() => server.start());
  afterAll(async () => {
    await server.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("sends the persona as that channel's system message and switches its model, refusing others", async () => {
    const huge = "Always answer in verse. ".repeat(120);
    const run = await runBot(
      [
        "/memory persona You are a pirate. Answer with arr.",
        "hello",
        "/memory model gpt-4o",
        "ahoy",
        "/memory model gpt-9000",
        `/memory persona ${huge}`,
        "",
      ].join("\n"),
      env(),
      ["--channel", "pirates", "--user", "ann"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Persona set \(\d+ tokens\)/);
    expect(systemOf(0)).toEqual({ role: "system", content: "You are a pirate. Answer with arr." });
    expect(server.chatRequests[0]?.body.model).toBe("gpt-4o-mini");
    expect(run.stdout).toMatch(/Model is now gpt-4o for this channel/);
    expect(server.chatRequests[1]?.body.model).toBe("gpt-4o");
    expect(run.stdout).toMatch(
      /Unknown model "gpt-9000"\. Nothing changed\.\nAllowed models \(CHANNEL_MODELS\):\n- gpt-4o-mini/,
    );
    expect(run.stdout).toMatch(
      /That persona is 2,879 characters .* at most 2,000 characters and 750 tokens here/,
    );
    expect(server.chatRequests).toHaveLength(2);
  });

  it("keeps the persona and the model after a restart and after /memory reset, and nowhere else", async () => {
    const run = await runBot(
      "what did I say?\n/memory reset\nhello again\n",
      env(),
      ["--channel", "pirates", "--user", "ann"],
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Memory reset: forgot 3 turns/);
    const [restarted, afterReset] = [server.chatRequests[2], server.chatRequests[3]];
    expect(restarted?.body.messages[0]?.content).toBe("You are a pirate. Answer with arr.");
    expect(restarted?.body.messages.map((m) => m.content).join("\n")).toContain("ann: ahoy");
    expect(afterReset?.body.messages[0]?.content).toBe("You are a pirate. Answer with arr.");
    expect(afterReset?.body.messages.map((m) => m.content).join("\n")).not.toContain("ahoy");
    expect(afterReset?.body.model).toBe("gpt-4o");

    const other = await runBot("hello\n", env(), ["--channel", "office", "--user", "bob"], cwd);
    expect(other.code).toBe(0);
    expect(systemOf(4)).toEqual({ role: "system", content: "You are the house assistant." });
    expect(server.chatRequests[4]?.body.model).toBe("gpt-4o-mini");
  });
});
