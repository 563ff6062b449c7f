import { afterEach, describe, expect, it } from "vitest";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { FakeOpenAi } from "../fakes/openai-server.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { nextTs } from "../fakes/slack/payloads.js";
import { openAiCatalog } from "../helpers/openai-catalog.js";
import { promptOf, type RigOptions, type SlackRig, startSlackRig } from "../helpers/slack-rig.js";

const rigs: SlackRig[] = [];
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.stop();
  for (const done of cleanup.splice(0)) await done();
});

const start = async (options: Partial<RigOptions> = {}) => {
  const rig = await startSlackRig({ mode: "http", ...options });
  rigs.push(rig);
  return rig;
};
const posts = (rig: SlackRig) => rig.fake.callsOf("chat.postMessage");
const systemOf = (rig: SlackRig) => rig.model.requests.at(-1)?.messages[0]?.content;

describe("a Slack channel's own set-up through /memory", () => {
  it("sends the persona as that channel's system message only, after a reset and a restart", async () => {
    const fake = await new FakeSlack().start();
    const kv = await createKeyvStore({ url: "memory://", namespace: "slack-setup" });
    cleanup.push(
      () => fake.stop(),
      () => kv.close(),
    );
    const rig = await start({ fake, kv });
    expect((await rig.command("persona You are a librarian. Whisper.")).text).toMatch(/^Persona set/);
    await rig.mention({ text: "<@U0BOT> where are the maps?" });
    expect(systemOf(rig)).toBe("You are a librarian. Whisper.");
    await rig.mention({ text: "<@U0BOT> hello", channel: "C0RANDOM" });
    expect(systemOf(rig)).toBe("You are a test bot.");
    expect((await rig.command("reset")).text).toMatch(/^Memory reset: forgot 1 turn/);
    await rig.stop();
    rigs.splice(rigs.indexOf(rig), 1);

    const again = await start({ fake, kv });
    await again.mention({ text: "<@U0BOT> and the atlases?" });
    expect(systemOf(again)).toBe("You are a librarian. Whisper.");
    expect(promptOf(again.model, 1)).not.toContain("where are the maps?");
    const exported = await again.command("export");
    expect(exported.responseType).toBe("ephemeral");
    expect(exported.text).toContain('Channel set-up: {"persona":"You are a librarian. Whisper."}');
  });

  it("refuses a member who is not a workspace admin, and a huge persona, changing nothing", async () => {
    const rig = await start();
    expect((await rig.command("persona Obey cat.", "U0CAT")).text).toMatch(
      /^Only workspace admins and owners \(and the users in SLACK_ADMIN_USERS\) may run \/memory persona here/,
    );
    expect((await rig.command("model scripted", "U0CAT")).text).toMatch(/^Only workspace admins and owners/);
    expect((await rig.command(`persona ${"Rhyme. ".repeat(400)}`)).text).toMatch(
      /^That persona is 2,799 characters and [\d,]+ tokens; one may have at most 2,000 characters and 750 tokens here/,
    );
    expect((await rig.command("persona", "U0CAT")).text).toMatch(/the default \(SYSTEM_PROMPT\)/);
    await rig.mention({ text: "<@U0BOT> hi" });
    expect(systemOf(rig)).toBe("You are a test bot.");
  });

  it("switches the channel's model, which the request to the model server then names, and refuses others", async () => {
    const server = await new FakeOpenAi().start();
    cleanup.push(() => server.stop());
    const rig = await start({ models: await openAiCatalog(server.baseURL, ["gpt-4o-mini", "gpt-4.1-mini"]) });
    await rig.mention({ text: "<@U0BOT> first" });
    expect(server.chatRequests.at(-1)?.body.model).toBe("gpt-4o-mini");
    expect((await rig.command("model gpt-5")).text).toMatch(
      /^Unknown model "gpt-5"\. Nothing changed\.\nAllowed models \(CHANNEL_MODELS\):\n- gpt-4o-mini\n- gpt-4\.1-mini$/,
    );
    expect((await rig.command("model gpt-4.1-mini")).text).toMatch(/^Model is now gpt-4\.1-mini/);
    await rig.mention({ text: "<@U0BOT> second" });
    expect(server.chatRequests.at(-1)?.body.model).toBe("gpt-4.1-mini");
    await rig.mention({ text: "<@U0BOT> elsewhere", channel: "C0RANDOM" });
    expect(server.chatRequests.at(-1)?.body.model).toBe("gpt-4o-mini");
  });

  it("with follow, answers a follow-up in the thread it answered in without a new mention", async () => {
    const rig = await start();
    // Today's default: answers in a thread, and a follow-up there needs a mention.
    const first = nextTs();
    await rig.mention({ text: "<@U0BOT> where is the VPN config?", ts: first });
    expect(posts(rig).at(-1)?.args.thread_ts).toBe(first);
    await rig.say({ text: "and the port?", thread_ts: first });
    expect(posts(rig)).toHaveLength(1);

    expect((await rig.command("threads follow")).text).toMatch(
      /^Threads set to follow from the next message on/,
    );
    const asked = nextTs();
    await rig.mention({ text: "<@U0BOT> where is the wiki?", ts: asked });
    await rig.say({ text: "and who edits it?", thread_ts: asked, user: "U0BOB" });
    expect(
      posts(rig)
        .slice(1)
        .map((c) => c.args.thread_ts),
    ).toEqual([asked, asked]);
    expect(promptOf(rig.model, rig.model.requests.length)).toContain("where is the wiki?");
    // A thread the bot never answered in is left to the people in it.
    await rig.say({ text: "unrelated chat", thread_ts: nextTs(), user: "U0BOB" });
    expect(posts(rig)).toHaveLength(3);
  });

  it("answers in the channel itself once the channel says so", async () => {
    const rig = await start();
    await rig.command("threads channel");
    await rig.mention({ text: "<@U0BOT> hi" });
    expect(posts(rig).at(-1)?.args.thread_ts).toBeUndefined();
    const inThread = nextTs();
    await rig.mention({ text: "<@U0BOT> in a thread", thread_ts: inThread });
    expect(posts(rig).at(-1)?.args.thread_ts).toBe(inThread);
  });

  it("refuses six new threads under a 150-token daily budget once their channel has spent it", async () => {
    const rig = await start({ bot: { dailyTokenBudget: 150 } });
    for (let i = 0; i < 3; i++)
      await rig.mention({ text: `<@U0BOT> tell me about the ${i} weather in the mountains` });
    expect((await rig.command("stats")).text).toMatch(/Daily budget: \d+ of 150 tokens used today \(spent\)/);
    // From now on each thread keeps a memory (and a ledger) of its own.
    expect((await rig.command("scope thread")).text).toMatch(/^Memory scope set to thread/);
    const calls = rig.model.requests.length;
    for (let t = 0; t < 6; t++) {
      const ts = nextTs();
      await rig.mention({ text: `<@U0BOT> a new question ${t}`, ts });
      const answer = posts(rig).at(-1);
      expect(answer?.args.thread_ts).toBe(ts);
      expect(answer?.args.text).toMatch(/token budget/);
    }
    expect(rig.model.requests).toHaveLength(calls);
  });
});
