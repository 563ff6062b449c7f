import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SlackAdapter } from "../../src/adapters/slack/index.js";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createPlatformAdapters } from "../../src/platforms.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import {
  appMention,
  eventCallback,
  fileObject,
  message,
  slashCommand,
  systemMessage,
  uslackNotice,
} from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";

const SECRET = "fidelity-signing-secret";

// The whole app as `npm start` wires it (real Bolt app, real ChatOpenAI), against the fake Slack and
// the fake OpenAI server: what the model reads is what the fake server received.
describe("Slack messages as the model reads them", () => {
  let slack: FakeSlack;
  let llm: FakeOpenAi;
  let app: App;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    [slack, llm] = await Promise.all([new FakeSlack().start(), new FakeOpenAi().start()]);
    llm.responder = () => "noted";
    const config = loadConfig({
      STORE_URL: "memory://",
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-fidelity",
      LLM_MAX_RETRIES: "0",
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_FREE_CHANNELS: "C0FREE",
      PORT: "0",
    });
    app = await createApp(config, { logger: pino({ level: "silent" }) });
    const [only] = await createPlatformAdapters(app);
    adapter = only as SlackAdapter;
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await app?.close();
    await Promise.all([slack?.stop(), llm?.stop()]);
  });

  const post = async (event: object) => {
    const body = JSON.stringify(eventCallback(slack.team, slack.botUserId, event));
    const { status } = await postSigned(`http://127.0.0.1:${adapter.port()}/slack/events`, body, {
      secret: SECRET,
      contentType: "application/json",
    });
    expect(status).toBe(200);
    await adapter.idle();
  };
  /** The user message of the model's latest request: the question as the model read it. */
  const lastQuestion = () => llm.chatRequests.at(-1)?.body.messages.at(-1)?.content ?? "";
  const storedTexts = async (channel: string) => {
    const key = `slack:${slack.team}:${channel}`;
    const session = await app.store.load(key);
    return (await app.store.reader(key, session).range(session.first, session.next)).map((t) => t.text);
  };

  it("reads user mentions as @name and channel links as #name, in the question and in memory", async () => {
    // The real shape of a channel link today: no label (vercel/chat's recorded channel-mention payload).
    await post(appMention(slack.team, { text: "<@U0BOT> what did <@U0BOB> say in <#C0RANDOM>?" }));
    expect(lastQuestion()).toBe("ann: what did @bob say in #random?");
    await post(
      appMention(slack.team, {
        text: "<@U0BOT> and <#C0GENERAL|general> vs <#C0GONE>, see <https://x.example|the doc>",
      }),
    );
    expect(lastQuestion()).toBe("ann: and #general vs #C0GONE, see the doc (https://x.example)");
    expect(await storedTexts("C0GENERAL")).toEqual([
      "what did @bob say in #random?",
      "and #general vs #C0GONE, see the doc (https://x.example)",
    ]);
    // One users.info per user and one conversations.info per channel, cached afterwards.
    expect(slack.callsOf("conversations.info").map((c) => c.args.channel)).toEqual(["C0RANDOM", "C0GONE"]);
  });

  it("reads a file-only message as a note, so the model knows the image was there", async () => {
    await post({
      ...message(slack.team, { subtype: "file_share", text: "", channel: "D0ANN", channel_type: "im" }),
      files: [fileObject("diagram.png", "image/png"), fileObject("report.pdf", "application/pdf")],
      upload: true,
    });
    expect(lastQuestion()).toBe("ann: [image: diagram.png] [file: report.pdf]");
    expect(slack.callsOf("chat.postMessage").at(-1)?.args).toMatchObject({ channel: "D0ANN", text: "noted" });
  });

  it("reads a shared message with its author and channel", async () => {
    await post({
      ...appMention(slack.team, { text: "<@U0BOT> is this right?" }),
      attachments: [
        {
          id: 1,
          is_msg_unfurl: true,
          is_share: true,
          author_id: "U0BOB",
          author_name: "bob",
          channel_id: "C0RANDOM",
          channel_name: "random",
          text: "the cache TTL is 42 minutes",
          fallback: "[November 20th, 2023 10:00 AM] bob: the cache TTL is 42 minutes",
          from_url: "https://fake.slack.com/archives/C0RANDOM/p1700001000000100",
          footer: "Posted in #random",
          ts: "1700001000.000100",
        },
      ],
    });
    expect(lastQuestion()).toBe(
      "ann: is this right?\n[shared message from bob in #random] the cache TTL is 42 minutes",
    );
  });

  it("neither answers nor stores a USLACK notice or a channel join, and counts both as ignored", async () => {
    const before = llm.chatRequests.length;
    const posted = slack.callsOf("chat.postMessage").length;
    const dmBefore = await storedTexts("D0ANN");
    await post(uslackNotice(slack.team));
    await post(
      systemMessage(slack.team, "channel_join", "<@U0ANN> has joined the channel", { channel: "C0FREE" }),
    );
    await post(
      systemMessage(slack.team, "channel_topic", "set the channel topic: hi", { channel: "C0FREE" }),
    );
    expect(llm.chatRequests.length).toBe(before);
    expect(slack.callsOf("chat.postMessage").length).toBe(posted);
    expect(await storedTexts("D0ANN")).toEqual(dmBefore);
    expect(await storedTexts("C0FREE")).toEqual([]);
    const metrics = await app.metrics.registry.metrics();
    expect(metrics).toMatch(/cmb_events_ignored_total\{platform="slack",reason="system-message"\} 3/);
    // A person in the same free channel is still answered.
    await post(message(slack.team, { text: "hello", channel: "C0FREE" }));
    expect(lastQuestion()).toBe("ann: hello");
  });

  it("runs knowledge verbs from the command table over Slack's /memory", async () => {
    const form = new URLSearchParams(
      slashCommand(slack.team, "learn the VPN host is vpn.example.com", slack.responseUrl("learn")),
    );
    await postSigned(`http://127.0.0.1:${adapter.port()}/slack/events`, form.toString(), {
      secret: SECRET,
      contentType: "application/x-www-form-urlencoded",
    });
    await vi.waitFor(() => expect(slack.responses.at(-1)?.body.text).toMatch(/^Learned fact #1/));
  });
});
