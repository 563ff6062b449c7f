import { afterEach, describe, expect, it } from "vitest";
import { type SlackRig, startSlackRig } from "../helpers/slack-rig.js";

const rigs: SlackRig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.stop()));
});

describe.each(["http", "socket"] as const)("/memory over %s", (mode) => {
  const start = async (adminUsers?: string[]) => {
    const rig = await startSlackRig({ mode, settings: adminUsers ? { adminUsers } : {} });
    rigs.push(rig);
    return rig;
  };

  it("shows, switches mode, reports stats and resets, each answered ephemerally", async () => {
    const rig = await start();
    await rig.mention({ text: "<@U0BOT> remember KESTREL" });
    await rig.mention({ text: "<@U0BOT> and FALCON" });

    const show = await rig.command("show");
    expect(show.responseType).toBe("ephemeral");
    expect(show.text).toMatch(/Mode: window \(k=10\)/);
    expect(show.text).toMatch(/Turns stored: 2/);

    const mode = await rig.command("mode summary");
    expect(mode.text).toMatch(/Memory mode is now summary/);
    expect((await rig.command("show")).text).toMatch(/Mode: summary/);

    const stats = await rig.command("stats");
    expect(stats.text).toMatch(/Model calls: 2/);
    expect(stats.text).toMatch(/Today \(\d{4}-\d{2}-\d{2} UTC\): \d+ tokens .* in 2 calls/);
    expect(stats.text).toMatch(/Daily budget: none/);
    expect(stats.text).toMatch(/Figures: /);

    const reset = await rig.command("reset");
    expect(reset.text).toMatch(/forgot 2 turns/);
    await rig.mention({ text: "<@U0BOT> what do you remember?" });
    const prompt =
      rig.model.requests
        .at(-1)
        ?.messages.map((m) => m.content)
        .join("\n") ?? "";
    expect(prompt).not.toMatch(/KESTREL|FALCON/);
    expect(rig.fake.responses.every((r) => r.body.response_type === "ephemeral")).toBe(true);
  });

  it("answers a malformed command with what is valid and changes nothing", async () => {
    const rig = await start();
    const answer = await rig.command("mode nonsense");
    expect(answer.text).toMatch(/Unknown mode "nonsense"\. Nothing changed\./);
    expect(answer.text).toMatch(/Valid modes: .*window/);
    expect((await rig.command("mode window 0")).text).toMatch(/whole number from 1 to 1000/);
    expect((await rig.command("show")).text).toMatch(/Mode: window/);
  });

  it("forgets only the caller's words, and exports the rest to admins without a ping", async () => {
    const rig = await start(["U0BOB"]);
    await rig.mention({ text: "<@U0BOT> my PIN is 4417", user: "U0CAT" });
    await rig.mention({ text: "<@U0BOT> <!channel> standup at 10", user: "U0BOB" });
    expect((await rig.command("export", "U0CAT")).text).toMatch(
      /Only workspace admins and owners \(and the users in SLACK_ADMIN_USERS\) may run \/memory export/,
    );
    const forgot = await rig.command("forget-me", "U0CAT");
    expect(forgot.responseType).toBe("ephemeral");
    expect(forgot.text).toMatch(/^Forgot 1 of your messages /);
    const exported = await rig.command("export", "U0BOB");
    expect(exported.responseType).toBe("ephemeral");
    expect(exported.text).toMatch(/1 stored turn, as JSON/);
    expect(exported.text).toContain("standup at 10");
    expect(exported.text).not.toContain("4417");
    expect(exported.text).not.toMatch(/<!channel>/);
  });

  it("lets workspace admins and owners change the memory, SLACK_ADMIN_USERS besides them, and no other member", async () => {
    const rig = await start(["U0BOB"]);
    await rig.mention({ text: "<@U0BOT> keep this" });
    const refused = /Only workspace admins and owners \(and the users in SLACK_ADMIN_USERS\) may run/;
    expect((await rig.command("reset", "U0CAT")).text).toMatch(refused);
    expect((await rig.command("mode buffer", "U0CAT")).text).toMatch(refused);
    expect((await rig.command("show", "U0CAT")).text).toMatch(/Turns stored: 1/);
    expect((await rig.command("reset", "U0BOB")).text).toMatch(/forgot 1 turn/);
    await rig.mention({ text: "<@U0BOT> keep this too" });
    // ann is a workspace admin and ola its owner (users.info says so): neither needs to be listed.
    expect((await rig.command("mode buffer", "U0ANN")).text).toMatch(/Memory mode is now buffer/);
    expect((await rig.command("reset", "U0OLA")).text).toMatch(/forgot 1 turn/);
  });

  it("with SLACK_ADMIN_USERS unset, lets only workspace admins and owners change the memory", async () => {
    const rig = await start();
    await rig.mention({ text: "<@U0BOT> keep this" });
    expect((await rig.command("reset", "U0BOB")).text).toMatch(/Only workspace admins and owners/);
    expect((await rig.command("export", "U0BOB")).text).toMatch(/Only workspace admins and owners/);
    expect((await rig.command("reset", "U0ANN")).text).toMatch(/forgot 1 turn/);
    // One users.info per user, cached: the role is not asked again for every command.
    expect(rig.fake.callsOf("users.info").filter((c) => c.args.user === "U0BOB")).toHaveLength(1);
  });
});
