import { afterEach, describe, expect, it } from "vitest";
import { createChannelStore, SEGMENT_TURNS } from "../../src/store/channel-store.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

describe.each(STORE_KINDS)("removing one user's turns on the %s store", (kind) => {
  const fixtures: StoreFixture[] = [];
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
  });

  it.skipIf(!storeAvailable(kind))(
    "keeps the others' turns in order across a restart, and leaves no segment with the removed words",
    async () => {
      const fixture = storeFixture(kind);
      fixtures.push(fixture);
      const kv = await fixture.open();
      const store = createChannelStore(kv, { maxStoredTurns: 5000 });
      const session = await store.load("ch");
      const n = SEGMENT_TURNS + 10;
      for (let i = 0; i < n; i++) {
        const who = i % 4 === 0 ? "eve" : "ann";
        await store.append("ch", session, {
          ts: i,
          user: { id: who, name: who },
          text: `${who} ${i}`,
          tokens: 5,
        });
      }
      await store.setDerived("ch", session, "ix:b0", { quoted: "eve 0" });
      await store.save("ch", session);
      const oldFirst = session.first;
      expect(await store.removeTurns("ch", session, (t) => t.user.id === "eve")).toBe(19);
      await kv.close();

      const reopened = await fixture.open();
      const again = createChannelStore(reopened, { maxStoredTurns: 5000 });
      const loaded = await again.load("ch");
      const turns = await again.reader("ch", loaded).range(loaded.first, loaded.next);
      expect(turns.map((t) => t.text)).toEqual(
        Array.from({ length: n }, (_, i) => i)
          .filter((i) => i % 4 !== 0)
          .map((i) => `ann ${i}`),
      );
      expect(loaded.first).toBe(oldFirst + n);
      expect(loaded.derivedKeys).toEqual([]);
      expect(await again.getDerived("ch", "ix:b0")).toBeUndefined();
      // No old or new segment still holds eve's words.
      const segments = await reopened.getMany<Array<{ text: string }>>(
        Array.from({ length: 6 }, (_, s) => `t:ch:${s}`),
      );
      expect(JSON.stringify(segments)).not.toContain("eve");
      // The log goes on from there.
      await again.append("ch", loaded, {
        ts: 999,
        user: { id: "ann", name: "ann" },
        text: "after",
        tokens: 5,
      });
      expect((await again.reader("ch", loaded).recent(2)).map((t) => t.text)).toEqual([
        `ann ${n - 1}`,
        "after",
      ]);
      await reopened.close();
    },
  );
});
