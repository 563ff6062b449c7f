import { describe, expect, it } from "vitest";
import type { ThreadSpend } from "../../src/core/thread-spend.js";
import {
  STORE_KINDS,
  type StoreFixture,
  storeAvailable,
  storeShared,
  storesPerTest,
} from "../helpers/stores.js";

/** Adds 40 amounts from two writers at once: none may be lost. */
async function raced(a: ThreadSpend, b: ThreadSpend): Promise<number> {
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).add("slack:T1:C1", "2026-01-02", i + 1)),
  );
  return a.get("slack:T1:C1", "2026-01-02");
}

describe.each(STORE_KINDS)("threads' spend per channel and day on the %s store", (kind) => {
  const stores = storesPerTest(kind);
  /** A process's threads' spend: its own connection to the fixture's data. */
  const spendOn = async (f: StoreFixture): Promise<ThreadSpend> => {
    return (await stores.open(f)).threadSpend;
  };
  const fixture = () => stores.fixture();

  it.skipIf(!storeAvailable(kind))(
    "adds up every write in one process and keeps days and channels apart",
    async () => {
      const spend = await spendOn(fixture());
      expect(await raced(spend, spend)).toBe(820);
      expect(await spend.get("slack:T1:C1", "2026-01-03")).toBe(0);
      expect(await spend.get("slack:T1:C2", "2026-01-02")).toBe(0);
    },
  );

  // Only a shared store has other processes to agree with (a skipped test would fail CI).
  if (storeShared(kind))
    it.skipIf(!storeAvailable(kind))("loses no tokens when two processes' threads add at once", async () => {
      const shared = fixture();
      const [a, b] = await Promise.all([spendOn(shared), spendOn(shared)]);
      expect(await raced(a, b)).toBe(820);
    });
});
