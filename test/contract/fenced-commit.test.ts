import { afterEach, describe, expect, it } from "vitest";
import { CommitConflictError } from "../../src/core/errors.js";
import type { KeyValueStore } from "../../src/core/kv.js";
import type { NewTurn } from "../../src/core/turn.js";
import { createChannelStore, SEGMENT_TURNS } from "../../src/store/channel-store.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

const said = (who: string, i: number): NewTurn => ({
  ts: 1_000 + i,
  user: { id: who, name: who },
  text: `${who} says ${i}`,
  reply: `answer to ${who} ${i}`,
  tokens: 10,
});

const texts = async (kv: KeyValueStore, channel = "ch") => {
  const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
  const session = await store.load(channel);
  return (await store.reader(channel, session).range(session.first, session.next)).map((t) => t.text);
};

describe.each(STORE_KINDS)("fenced commits on the %s store", (kind) => {
  const fixtures: StoreFixture[] = [];
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
  });
  /** Two processes on the same data: two connections, two channel stores. */
  const twoProcesses = async () => {
    const fixture = storeFixture(kind);
    fixtures.push(fixture);
    const [kvA, kvB] = [await fixture.open(), await fixture.open()];
    const a = createChannelStore(kvA, { maxStoredTurns: 100_000 });
    const b = createChannelStore(kvB, { maxStoredTurns: 100_000 });
    return { a, b, kvA, kvB };
  };

  describe.skipIf(!storeAvailable(kind))("", () => {
    it("refuses the commit of a process whose record changed under it, and the other's turn stands", async () => {
      const { a, b, kvA, kvB } = await twoProcesses();
      await a.append("ch", await a.load("ch"), said("ann", 0));
      // Both load the same record (B's lock lapsed while its model answered, say)...
      const [seenByA, seenByB] = [await a.load("ch"), await b.load("ch")];
      await a.append("ch", seenByA, said("ann", 1));
      // ...A commits first; B's commit, built on what it read, must not overwrite A's turn.
      const late = b.append("ch", seenByB, said("bob", 1), async () => {
        await b.setDerived("ch", seenByB, "ix", { quoted: "bob says 1" });
      });
      await expect(late).rejects.toBeInstanceOf(CommitConflictError);
      await expect(late).rejects.toMatchObject({ reason: "changed" });
      expect(await texts(kvB)).toEqual(["ann says 0", "ann says 1"]);
      // Nothing B staged for that commit was written either.
      expect(await kvB.get("d:ch:ix")).toBeUndefined();
      // A fresh load commits normally: the loser asks again and is answered after the winner.
      await b.append("ch", await b.load("ch"), said("bob", 2));
      expect(await texts(kvA)).toEqual(["ann says 0", "ann says 1", "bob says 2"]);
      await Promise.all([kvA.close(), kvB.close()]);
    });

    it("lets only one of two processes create a channel's first record", async () => {
      const { a, b, kvA, kvB } = await twoProcesses();
      const [first, second] = [await a.load("new"), await b.load("new")];
      await a.append("new", first, said("ann", 0));
      await expect(b.append("new", second, said("bob", 0))).rejects.toBeInstanceOf(CommitConflictError);
      expect(await texts(kvA, "new")).toEqual(["ann says 0"]);
      await Promise.all([kvA.close(), kvB.close()]);
    });

    it("never lets a losing commit overwrite the winner's complete segment", async () => {
      const { a, b, kvA, kvB } = await twoProcesses();
      const session = await a.load("ch");
      for (let i = 0; i < SEGMENT_TURNS - 1; i++) await a.append("ch", session, said("ann", i));
      // Both are about to write turn 63, which completes segment 0 and writes its key.
      const [seenByA, seenByB] = [await a.load("ch"), await b.load("ch")];
      await a.append("ch", seenByA, said("ann", 63));
      await expect(b.append("ch", seenByB, said("bob", 63))).rejects.toBeInstanceOf(CommitConflictError);
      const all = await texts(kvB);
      expect(all).toHaveLength(SEGMENT_TURNS);
      expect(all.at(-1)).toBe("ann says 63");
      expect(all.some((t) => t.startsWith("bob"))).toBe(false);
      await Promise.all([kvA.close(), kvB.close()]);
    });

    it("refuses a rewrite (an edit or deletion) built on a record that changed, and writes none of it", async () => {
      const { a, b, kvA, kvB } = await twoProcesses();
      const session = await a.load("ch");
      for (let i = 0; i < 5; i++) await a.append("ch", session, said("ann", i));
      const [seenByA, seenByB] = [await a.load("ch"), await b.load("ch")];
      await a.append("ch", seenByA, said("ann", 5));
      const removal = b.removeTurns("ch", seenByB, (t) => t.text === "ann says 2");
      await expect(removal).rejects.toBeInstanceOf(CommitConflictError);
      expect(await texts(kvA)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `ann says ${i}`));
      await Promise.all([kvA.close(), kvB.close()]);
    });

    it("fences a record written before revisions existed, then goes on as usual", async () => {
      const { a, b, kvA, kvB } = await twoProcesses();
      await kvA.set("s:old", {
        v: 1,
        first: 0,
        next: 0,
        createdAt: 1,
        lastActivity: 1,
        usage: { promptTokens: 0, completionTokens: 0, calls: 0 },
        derived: {},
        derivedKeys: [],
      });
      const [seenByA, seenByB] = [await a.load("old"), await b.load("old")];
      await a.append("old", seenByA, said("ann", 0));
      await expect(b.append("old", seenByB, said("bob", 0))).rejects.toBeInstanceOf(CommitConflictError);
      await a.append("old", seenByA, said("ann", 1));
      expect(await texts(kvB, "old")).toEqual(["ann says 0", "ann says 1"]);
      await Promise.all([kvA.close(), kvB.close()]);
    });

    it("says so when a key the record names is gone (evicted), instead of reading it as an empty past", async () => {
      const { a, kvA } = await twoProcesses();
      const session = await a.load("ch");
      for (let i = 0; i < SEGMENT_TURNS + 3; i++) await a.append("ch", session, said("ann", i));
      // What an evicting Redis does to a key under memory pressure.
      await kvA.delete(["t:ch:0"]);
      const missing: string[] = [];
      const reader = createChannelStore(kvA, {
        maxStoredTurns: 100_000,
        onMissingKey: (channel, key) => missing.push(`${channel} ${key}`),
      });
      const again = await reader.load("ch");
      const turns = await reader.reader("ch", again).range(again.first, again.next);
      expect(turns.map((t) => t.seq)).toEqual([64, 65, 66]);
      expect(missing).toEqual(["ch t:ch:0"]);
      await kvA.close();
    });

    it("lets one process commit the same session again and again (save after append, amend after save)", async () => {
      const { a, kvA } = await twoProcesses();
      const session = await a.load("ch");
      const turn = await a.append("ch", session, said("ann", 0));
      session.derived = { summary: "ann said 0" };
      await a.save("ch", session);
      const { reply: _gone, ...unanswered } = turn;
      await a.amend("ch", session, unanswered);
      const again = await a.load("ch");
      expect(again.derived).toEqual({ summary: "ann said 0" });
      expect((await a.reader("ch", again).recent(1))[0]?.reply).toBeUndefined();
      await kvA.close();
    });
  });
});
