import { afterEach, describe, expect, it } from "vitest";
import type { ChannelStore } from "../../src/core/channel-store.js";
import type { KeyValueStore } from "../../src/core/kv.js";
import type { SessionRecord } from "../../src/core/session.js";
import { createChannelStore, SEGMENT_TURNS } from "../../src/store/channel-store.js";
import { countingKv } from "../helpers/counting-kv.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

const who = (i: number) => (i % 5 === 0 ? "eve" : "ann");
async function fill(store: ChannelStore, session: SessionRecord, n: number) {
  for (let i = 0; i < n; i++) {
    await store.append("ch", session, {
      ts: i,
      user: { id: who(i), name: who(i) },
      text: `${who(i)} says #${i}.`,
      tokens: 5,
      messageId: `m${i}`,
      ...(i % 2 ? { thread: "T" } : {}),
    });
  }
}
const everything = async (kv: KeyValueStore, count: number) =>
  JSON.stringify(
    await kv.getMany(["s:ch", "a:ch", ...Array.from({ length: count }, (_, s) => `t:ch:${s}`), "d:ch:ix"]),
  );

describe.each(STORE_KINDS)("rewriting stored turns on the %s store", (kind) => {
  const fixtures: StoreFixture[] = [];
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
  });
  const open = async () => {
    const fixture = storeFixture(kind);
    fixtures.push(fixture);
    return { fixture, kv: await fixture.open() };
  };

  it.skipIf(!storeAvailable(kind))(
    "replaces and deletes turns in order across a restart, drops derived entries, and leaves no key with the old words",
    async () => {
      const { fixture, kv } = await open();
      const store = createChannelStore(kv, { maxStoredTurns: 5000 });
      const session = await store.load("ch");
      const n = SEGMENT_TURNS + 6;
      await fill(store, session, n);
      await store.setDerived("ch", session, "ix", { quoted: "ann says #3." });
      session.derived.other = { quoted: "ann says #3." };
      await store.save("ch", session);
      const done = await store.rewriteTurns("ch", session, (t) =>
        t.messageId === "m3"
          ? { ...t, text: "ann now says three", edited: true }
          : t.messageId === "m5"
            ? null
            : undefined,
      );
      expect(done.changed.map((t) => t.text)).toEqual(["ann says #3."]);
      expect(done.removed.map((t) => t.text)).toEqual(["eve says #5."]);
      await kv.close();

      const reopened = await fixture.open();
      const again = createChannelStore(reopened, { maxStoredTurns: 5000 });
      const loaded = await again.load("ch");
      const turns = await again.reader("ch", loaded).range(loaded.first, loaded.next);
      expect(turns).toHaveLength(n - 1);
      expect(turns.slice(2, 5).map((t) => [t.text, t.messageId, t.edited])).toEqual([
        ["ann says #2.", "m2", undefined],
        ["ann now says three", "m3", true],
        ["ann says #4.", "m4", undefined],
      ]);
      expect(turns[5]?.messageId).toBe("m6");
      expect(turns.filter((t) => t.thread === "T")).toHaveLength(Math.floor(n / 2) - 1);
      expect(loaded.derived).toEqual({});
      expect(loaded.derivedKeys).toEqual([]);
      const all = await everything(reopened, 6);
      expect(all).not.toContain("ann says #3.");
      expect(all).not.toContain("eve says #5.");
      await reopened.close();
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "writes nothing when no turn changes, and keeps the state it is asked to keep with seqs moved",
    async () => {
      const { kv: inner } = await open();
      const kv = countingKv(inner);
      const store = createChannelStore(kv, { maxStoredTurns: 5000 });
      const session = await store.load("ch");
      await fill(store, session, 10);
      session.derived.summary = { text: "kept", through: 4 };
      await store.save("ch", session);
      const writes = () => kv.ops.filter((o) => o.op !== "read").length;
      const before = writes();
      const none = await store.rewriteTurns("ch", session, () => undefined);
      expect(none).toEqual({ removed: [], changed: [] });
      expect(writes()).toBe(before);

      const oldNext = session.next;
      await store.rewriteTurns("ch", session, (t) => (t.messageId === "m7" ? null : undefined), {
        keepState: (state, rewrite) => ({
          summary: { ...(state.summary as object), through: rewrite.seqAfter(4) },
        }),
      });
      const loaded = await store.load("ch");
      expect(loaded.first).toBe(oldNext);
      expect(loaded.derived).toEqual({ summary: { text: "kept", through: oldNext + 4 } });
      const [fifth] = await store.reader("ch", loaded).range(oldNext + 4, oldNext + 5);
      expect(fifth?.messageId).toBe("m4");
      await inner.close();
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "remembers who said the turns that leave while derived state outlives them, never their words",
    async () => {
      const { kv } = await open();
      const store = createChannelStore(kv, { maxStoredTurns: 10 });
      const session = await store.load("ch");
      session.derived.summary = { text: "a summary of it all", through: 0 };
      await store.save("ch", session);
      // Past the stored-turn limit, the oldest whole segment goes while the summary stays.
      await fill(store, session, SEGMENT_TURNS + 10);
      expect(session.first).toBe(SEGMENT_TURNS);
      const trimmed = await store.archivedTurns("ch", session);
      expect(trimmed).toHaveLength(SEGMENT_TURNS);
      expect(trimmed[3]).toEqual({ userId: "ann", messageId: "m3", thread: "T" });
      // The idle sweep's "summarize": the rest go, the summary stays.
      await store.reset("ch", session, { keepDerived: true });
      const loaded = await store.load("ch");
      const archived = await store.archivedTurns("ch", loaded);
      expect(archived).toHaveLength(SEGMENT_TURNS + 10);
      expect(archived.at(-1)).toEqual({ userId: "ann", messageId: `m${SEGMENT_TURNS + 9}`, thread: "T" });
      expect(JSON.stringify(await kv.get("a:ch"))).not.toContain("says");
      // Once no derived state is kept, the archive describes nothing and goes.
      await store.rewriteTurns("ch", loaded, () => undefined, { dropDerived: true });
      expect(await store.archivedTurns("ch", await store.load("ch"))).toEqual([]);
      expect(await kv.get("a:ch")).toBeUndefined();
      await kv.close();
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "counts turns past the limit that still wait in their segment as archived while a summary lives on",
    async () => {
      const { kv } = await open();
      const store = createChannelStore(kv, { maxStoredTurns: 10 });
      const session = await store.load("ch");
      session.derived.summary = { text: "a summary of it all", through: 0 };
      await store.save("ch", session);
      await fill(store, session, 15);
      const loaded = await store.load("ch");
      expect(loaded.next - loaded.first).toBe(10);
      // m0..m4 are no longer readable, but the summary may hold them: a deletion must know.
      expect((await store.archivedTurns("ch", loaded)).map((t) => t.messageId)).toEqual([
        "m0",
        "m1",
        "m2",
        "m3",
        "m4",
      ]);
      expect(loaded.archived).toBeGreaterThan(0);
      // A rewrite deletes their segment key, so they join the archive first.
      await store.rewriteTurns("ch", loaded, (t) => (t.messageId === "m9" ? null : undefined), {
        keepState: (before) => before,
      });
      const after = await store.load("ch");
      expect(after.next - after.first).toBe(9);
      expect((await store.archivedTurns("ch", after)).map((t) => t.messageId)).toEqual([
        "m0",
        "m1",
        "m2",
        "m3",
        "m4",
      ]);
      await kv.close();
    },
  );

  it.skipIf(!storeAvailable(kind))("a plain reset forgets the archive with the turns", async () => {
    const { kv } = await open();
    const store = createChannelStore(kv, { maxStoredTurns: 5000 });
    const session = await store.load("ch");
    session.derived.summary = { text: "s", through: 0 };
    await fill(store, session, 3);
    await store.reset("ch", session, { keepDerived: true });
    expect(await store.archivedTurns("ch", session)).toHaveLength(3);
    await store.reset("ch", session);
    expect(await store.archivedTurns("ch", await store.load("ch"))).toEqual([]);
    expect(await kv.get("a:ch")).toBeUndefined();
    await kv.close();
  });
});
