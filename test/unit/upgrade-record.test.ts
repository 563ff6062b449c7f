import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../src/core/session.js";
import type { Turn } from "../../src/core/turn.js";
import { newSession } from "../../src/store/session-record.js";
import { upgradeRecord } from "../../src/store/upgrade-record.js";

const turn = (seq: number): Turn => ({
  seq,
  ts: 1_000 + seq,
  user: { id: "ann", name: "ann" },
  text: `message ${seq}`,
  tokens: 3,
});

/** What a bot before the session tail, named logs, segment versions and TTL renewals wrote. */
const oldRecord = (): SessionRecord => ({
  v: 1,
  first: 3,
  next: 70,
  createdAt: 1,
  lastActivity: 2,
  usage: { promptTokens: 5, completionTokens: 6, calls: 1 },
  derived: { summary: "ann asked" },
  derivedKeys: ["ix:0"],
});

describe("upgrading a session record when it is loaded", () => {
  it("gives an old record every field it lacks, meaning what its absence meant", () => {
    const record = oldRecord();
    const upgraded = upgradeRecord(record);
    // In place: the revision the record was read at stays attached to the same object.
    expect(upgraded).toBe(record);
    expect(upgraded).toMatchObject({
      // No tail: the filling segment is all in its key, so the tail is empty from `next`.
      tail: [],
      tailFrom: 70,
      segmentsVersion: 0,
      archived: 0,
      logId: expect.any(String),
    });
    // From before renewals: still unknown, so the record keeps its whole TTL and every key is renewed.
    expect(upgraded.ttlRenewedAt).toBeUndefined();
    expect("ttlRenewedAt" in upgraded).toBe(false);
    // What the record said stays as it was.
    const { tail: _t, tailFrom: _f, logId: _l, segmentsVersion: _v, archived: _a, ...rest } = upgraded;
    expect(rest).toEqual(oldRecord());
  });

  it("reads a tail without its start as no tail, as before", () => {
    const record = { ...oldRecord(), tail: [turn(69)] };
    expect(upgradeRecord(record)).toMatchObject({ tail: [], tailFrom: 70 });
  });

  it("leaves a record in the current shape as it is, and upgrades once", () => {
    const current = { ...newSession(5), tail: [turn(0)], next: 1, segmentsVersion: 2, archived: 4 };
    const copy = structuredClone(current);
    expect(upgradeRecord(current)).toEqual(copy);
    const old = upgradeRecord(oldRecord());
    const named = old.logId;
    expect(upgradeRecord(old).logId).toBe(named);
  });
});
