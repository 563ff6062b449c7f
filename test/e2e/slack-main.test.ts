import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, expect, it, vi } from "vitest";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { appMention, eventCallback } from "../fakes/slack/payloads.js";
import { postSigned } from "../fakes/slack/sign.js";
import { freePort } from "../helpers/free-port.js";

const SECRET = "main-signing-secret-123";

let child: ChildProcess | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  await fake?.stop();
});

it("npm start runs Slack when its tokens are set, answers a mention and keeps secrets out of the logs", async () => {
  fake = await new FakeSlack().start();
  const port = await freePort();
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      STORE_URL: "memory://",
      LLM_PROVIDER: "echo",
      LOG_LEVEL: "debug",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  await vi.waitFor(() => expect(output).toContain('"platforms":["slack"]'), {
    timeout: 20_000,
    interval: 50,
  });

  const body = eventCallback(
    fake.team,
    fake.botUserId,
    appMention(fake.team, { text: "<@U0BOT> hello from main" }),
  );
  const response = await postSigned(`http://127.0.0.1:${port}/slack/events`, JSON.stringify(body), {
    secret: SECRET,
    contentType: "application/json",
  });
  expect(response.status).toBe(200);
  await vi.waitFor(() => expect(fake?.callsOf("chat.postMessage")).toHaveLength(1), { timeout: 10_000 });
  expect(fake.callsOf("chat.postMessage")[0]?.args.text).toContain("You said: ann: hello from main");

  // Health and metrics share Slack's HTTP port when HTTP_PORT is unset.
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, store: true, platforms: { slack: true } });
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  expect(metrics).toMatch(/cmb_events_total\{platform="slack",outcome="answered"\} 1/);

  const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(output).not.toContain(fake.botToken);
  expect(output).not.toContain(SECRET);
});
