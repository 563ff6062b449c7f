import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { appMention, eventCallback, nextTs } from "../fakes/slack/payloads.js";
import { messageChanged, messageDeleted, type Said } from "../fakes/slack/rewrite-payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import { freePort } from "../helpers/free-port.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";
import { PROJECT_ROOT } from "../helpers/run-bot.js";

const SECRET = "two-process-signing-secret";
const CHANNEL = "C0GENERAL";

/** A bot process (`npm start`) on Slack in HTTP mode, sharing the store with the others. */
class SlackBotProcess {
  readonly child: ChildProcess;
  output = "";
  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (d) => {
      this.output += d;
    });
    this.child.stderr?.on("data", (d) => {
      this.output += d;
    });
  }
  async post(body: object): Promise<void> {
    const url = `http://127.0.0.1:${this.port}/slack/events`;
    const res = await postSigned(url, JSON.stringify(body), {
      secret: SECRET,
      contentType: "application/json",
    });
    expect(res.status).toBe(200);
  }
  async count(outcome: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
    const line = text
      .split("\n")
      .find((l) => l.startsWith(`cmb_events_total{platform="slack",outcome="${outcome}"}`));
    return Number(line?.split(" ").at(-1) ?? 0);
  }
}

describe.skipIf(!TEST_REDIS_URL)("edits and deletions across two bot processes on one Redis", () => {
  const namespace = testNamespace("rewrite2p");
  const slack = new FakeSlack();
  const llm = new FakeOpenAi();
  let a: SlackBotProcess;
  let b: SlackBotProcess;
  beforeAll(async () => {
    await Promise.all([slack.start(), llm.start()]);
    const env = {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      STORE_URL: TEST_REDIS_URL ?? "",
      STORE_NAMESPACE: namespace,
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-two-processes",
      LLM_MAX_RETRIES: "0",
    };
    a = new SlackBotProcess(await freePort(), env);
    b = new SlackBotProcess(await freePort(), env);
    for (const p of [a, b])
      await vi.waitFor(() => expect(p.output).toContain('"platforms":["slack"]'), {
        timeout: 40_000,
        interval: 100,
      });
  }, 60_000);
  afterAll(async () => {
    for (const p of [a, b]) p?.child.kill("SIGKILL");
    await Promise.all([slack.stop(), llm.stop()]);
    await dropNamespace(TEST_REDIS_URL ?? "", namespace);
  });

  const mention = async (p: SlackBotProcess, user: string, words: string): Promise<Said> => {
    const ts = nextTs();
    const text = `<@${slack.botUserId}> ${words}`;
    const posts = slack.callsOf("chat.postMessage").length;
    await p.post(eventCallback(slack.team, slack.botUserId, appMention(slack.team, { user, text, ts })));
    await vi.waitFor(() => expect(slack.callsOf("chat.postMessage").length).toBe(posts + 1), {
      timeout: 15_000,
    });
    return { user, text, ts };
  };

  it("a message deleted or edited through one process is gone or changed in the other's next prompt", async () => {
    const secret = await mention(a, "U0ANN", "the root password is AARDVARK-5521");
    const cat = await mention(a, "U0BOB", "my cat is called Miso");
    await b.post(eventCallback(slack.team, slack.botUserId, messageDeleted(slack.team, CHANNEL, secret)));
    await b.post(
      eventCallback(
        slack.team,
        slack.botUserId,
        messageChanged(slack.team, CHANNEL, cat, `<@${slack.botUserId}> my cat is called Nori`),
      ),
    );
    await vi.waitFor(
      async () => {
        expect(await b.count("deleted")).toBe(1);
        expect(await b.count("edited")).toBe(1);
      },
      { timeout: 15_000, interval: 100 },
    );
    await mention(a, "U0ANN", "what do you remember?");
    const messages = llm.chatRequests.at(-1)?.body.messages ?? [];
    const last = messages.map((m) => m.content).join("\n");
    expect(last).toContain("what do you remember?");
    // The deleted message and the answer to it are gone; the edited one shows its new words (the
    // answer to it, given to the old ones, stays, marked so).
    expect(last).not.toContain("AARDVARK-5521");
    const said = messages.filter((m) => m.role === "user").map((m) => m.content);
    expect(said).toContain("bob: my cat is called Nori (edited after you answered)");
    expect(said.join("\n")).not.toContain("Miso");
  }, 60_000);
});
