import { afterEach, describe, expect, it } from "vitest";
import type { KeyValueStore } from "../../src/core/kv.js";
import type { SessionRecord } from "../../src/core/session.js";
import type { NewTurn, Turn } from "../../src/core/turn.js";
import { createChannelStore, SEGMENT_TURNS, TAIL_MAX_CHARS } from "../../src/store/channel-store.js";
import { countingKv } from "../helpers/counting-kv.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

const said = (i: number, text = `message ${i}`): NewTurn => ({
  ts: 1_000 + i,
  user: { id: "ann", name: "ann" },
  text,
  reply: `answer ${i}`,
  tokens: 10,
});

async function allTexts(kv: KeyValueStore, channel: string): Promise<string[]> {
  const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
  const session = await store.load(channel);
  return (await store.reader(channel, session).range(session.first, session.next)).map((t) => t.text);
}

describe.each(STORE_KINDS)("a channel's turn log on the %s store", (kind) => {
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
    "reads a log saved by the earlier layout (turns only in segment keys) whole, and goes on appending to it",
    async () => {
      const { fixture, kv } = await open();
      // What a bot before the session tail left behind: a full segment, a partial one, no tail.
      const turns: Turn[] = Array.from({ length: SEGMENT_TURNS + 6 }, (_, seq) => ({ ...said(seq), seq }));
      const legacy = {
        v: 1,
        first: 0,
        next: turns.length,
        createdAt: 1,
        lastActivity: 1,
        usage: { promptTokens: 0, completionTokens: 0, calls: 0 },
        derived: {},
        derivedKeys: [],
      };
      await kv.setMany([
        { key: "t:ch:0", value: turns.slice(0, SEGMENT_TURNS) },
        { key: "t:ch:1", value: turns.slice(SEGMENT_TURNS) },
        { key: "s:ch", value: legacy },
      ]);
      const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
      const session = await store.load("ch");
      expect((await store.reader("ch", session).recent(3)).map((t) => t.seq)).toEqual([67, 68, 69]);
      // Past the end of the partial segment and of the next one.
      for (let i = turns.length; i < 3 * SEGMENT_TURNS + 5; i++) await store.append("ch", session, said(i));
      await kv.close();

      const reopened = await fixture.open();
      const expected = Array.from({ length: 3 * SEGMENT_TURNS + 5 }, (_, i) => `message ${i}`);
      expect(await allTexts(reopened, "ch")).toEqual(expected);
      // The completed segments are whole in their keys; only the newest turns ride in the record.
      const [one, two] = await reopened.getMany<Turn[]>(["t:ch:1", "t:ch:2"]);
      expect(one?.map((t) => t.seq)).toEqual(
        Array.from({ length: SEGMENT_TURNS }, (_, i) => SEGMENT_TURNS + i),
      );
      expect(two?.length).toBe(SEGMENT_TURNS);
      const record = await reopened.get<SessionRecord>("s:ch");
      expect(record?.tail?.map((t) => t.seq)).toEqual([192, 193, 194, 195, 196]);
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "saves a turn as one write of the session record, and a complete segment with it in the same write",
    async () => {
      const { kv: inner } = await open();
      const kv = countingKv(inner);
      const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
      const seeded = await store.load("ch");
      for (let i = 0; i < 1000; i++) await store.append("ch", seeded, said(i));

      const writesOf = async (i: number) => {
        kv.ops.length = 0;
        const session = await store.load("ch");
        const window = await store.reader("ch", session).recent(10);
        await store.append("ch", session, said(i));
        return { keys: kv.ops.map((o) => `${o.op} ${o.key}`), window };
      };
      // 1,000 turns stored, 40 of them in the filling segment: the last ten come with the record.
      const plain = await writesOf(1000);
      expect(plain.window.map((t) => t.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 990 + i));
      expect(plain.keys).toEqual(["read s:ch", "write s:ch"]);
      for (let i = 1001; i < 1023; i++) await store.append("ch", await store.load("ch"), said(i));
      // Turn 1023 completes segment 15.
      const closing = await writesOf(1023);
      expect(closing.keys).toEqual(["read s:ch", "write t:ch:15", "write s:ch"]);
      expect(await allTexts(inner, "ch")).toEqual(Array.from({ length: 1024 }, (_, i) => `message ${i}`));
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "keeps the session record small when messages are very long, and loses none of them",
    async () => {
      const { kv } = await open();
      const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
      const long = (i: number) => `${i} ${"x".repeat(7_990)}`;
      for (let i = 0; i < 20; i++) await store.append("ch", await store.load("ch"), said(i, long(i)));
      const record = await kv.get<SessionRecord>("s:ch");
      expect(JSON.stringify(record).length).toBeLessThan(TAIL_MAX_CHARS + 2 * 8_000 + 2_000);
      expect(await allTexts(kv, "ch")).toEqual(Array.from({ length: 20 }, (_, i) => long(i)));
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "keeps exactly MEMORY_MAX_STORED_TURNS turns readable, and deletes a segment's key once all its turns are past",
    async () => {
      const { kv } = await open();
      const store = createChannelStore(kv, { maxStoredTurns: 10 });
      const session = await store.load("ch");
      for (let i = 0; i < 22; i++) {
        await store.append("ch", session, said(i));
        const again = await store.load("ch");
        const all = await store.reader("ch", again).range(0, again.next);
        expect(all.map((t) => t.seq)).toEqual(
          Array.from({ length: Math.min(10, i + 1) }, (_, k) => Math.max(0, i - 9) + k),
        );
      }
      for (let i = 22; i < 2 * SEGMENT_TURNS + 3; i++) await store.append("ch", session, said(i));
      const again = await store.load("ch");
      expect(again.next - again.first).toBe(10);
      const newest = await store.reader("ch", again).newestFirst();
      const seen: number[] = [];
      for await (const turn of newest) seen.push(turn.seq);
      expect(seen).toEqual(Array.from({ length: 10 }, (_, k) => 2 * SEGMENT_TURNS + 2 - k));
      // Segment 0 holds only turns past the limit: its key is gone; segment 1 still holds readable ones.
      expect(await kv.get("t:ch:0")).toBeUndefined();
      expect(await kv.get("t:ch:1")).toBeDefined();
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "drops an undelivered answer from a turn still in the record and from one already in a segment",
    async () => {
      const { fixture, kv } = await open();
      const store = createChannelStore(kv, { maxStoredTurns: 100_000 });
      const session = await store.load("ch");
      let saved: Turn | undefined;
      for (let i = 0; i < SEGMENT_TURNS; i++) saved = await store.append("ch", session, said(i));
      // The 64th turn completed segment 0: amend it there.
      const { reply: _a, ...inSegment } = saved as Turn;
      await store.amend("ch", session, inSegment);
      const tailTurn = await store.append("ch", session, said(SEGMENT_TURNS));
      const { reply: _b, ...inTail } = tailTurn;
      await store.amend("ch", session, inTail);
      await kv.close();

      const reopened = await fixture.open();
      const again = createChannelStore(reopened, { maxStoredTurns: 100_000 });
      const loaded = await again.load("ch");
      const last = await again.reader("ch", loaded).recent(3);
      expect(last.map((t) => [t.seq, t.reply])).toEqual([
        [SEGMENT_TURNS - 2, `answer ${SEGMENT_TURNS - 2}`],
        [SEGMENT_TURNS - 1, undefined],
        [SEGMENT_TURNS, undefined],
      ]);
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "never serves a complete segment from one process's cache after another process changed it or the log restarted",
    async () => {
      const { kv } = await open();
      const a = createChannelStore(kv, { maxStoredTurns: 100_000 });
      const b = createChannelStore(kv, { maxStoredTurns: 100_000 });
      let last: Turn | undefined;
      for (let i = 0; i < SEGMENT_TURNS; i++) last = await a.append("ch", await a.load("ch"), said(i));
      const replyOf63 = async () => {
        const session = await a.load("ch");
        return (await a.reader("ch", session).range(63, 64))[0]?.reply;
      };
      expect(await replyOf63()).toBe("answer 63");
      // The other process drops turn 63's answer (it could not be delivered) from the complete segment.
      const { reply: _dropped, ...unanswered } = last as Turn;
      await b.amend("ch", await b.load("ch"), unanswered);
      expect(await replyOf63()).toBeUndefined();

      // The record vanishes (expiry, eviction) and a new conversation starts over at seq 0.
      await kv.delete(["s:ch", "t:ch:0"]);
      for (let i = 0; i < SEGMENT_TURNS; i++) await b.append("ch", await b.load("ch"), said(i, `new ${i}`));
      const session = await a.load("ch");
      expect((await a.reader("ch", session).range(0, 3)).map((t) => t.text)).toEqual([
        "new 0",
        "new 1",
        "new 2",
      ]);
    },
  );

  it.skipIf(!storeAvailable(kind))(
    "keeps an active channel's oldest turns past SESSION_TTL, and lets an idle channel's keys expire together",
    async () => {
      const { kv } = await open();
      const ttlMs = 700;
      const store = createChannelStore(kv, { maxStoredTurns: 100_000, ttlMs });
      for (let i = 0; i < SEGMENT_TURNS + 2; i++) await store.append("ch", await store.load("ch"), said(i));
      // In use for twice the time to live, a message every 100 ms.
      const started = Date.now();
      for (let i = SEGMENT_TURNS + 2; Date.now() - started < 2 * ttlMs; i++) {
        await store.append("ch", await store.load("ch"), said(i));
        await new Promise((r) => setTimeout(r, 100));
      }
      const texts = await allTexts(kv, "ch");
      expect(texts.slice(0, 3)).toEqual(["message 0", "message 1", "message 2"]);
      expect(texts.length).toBeGreaterThan(SEGMENT_TURNS + 10);

      // Idle past the time to live: the record and the segments are gone, not the one without the other.
      await new Promise((r) => setTimeout(r, ttlMs + 200));
      expect(await kv.get("s:ch")).toBeUndefined();
      expect(await kv.get("t:ch:0")).toBeUndefined();
    },
  );
});
