import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

describe("the store's deadline, lease and eviction settings", () => {
  it("defaults to a 3 s deadline, a 6 s lease, and no evicting Redis", () => {
    const config = loadConfig({});
    expect(config.STORE_TIMEOUT).toBe(3000);
    expect(config.STORE_LOCK_LEASE).toBe(6000);
    expect(config.STORE_ALLOW_EVICTION).toBe(false);
  });

  it("reads durations and a yes/no", () => {
    const config = loadConfig({ STORE_TIMEOUT: "10s", STORE_LOCK_LEASE: "1m", STORE_ALLOW_EVICTION: "TRUE" });
    expect([config.STORE_TIMEOUT, config.STORE_LOCK_LEASE, config.STORE_ALLOW_EVICTION]).toEqual([
      10_000,
      60_000,
      true,
    ]);
  });

  it("names each bad value: no deadline, a lease too short to renew, a yes/no that is neither", () => {
    expect(() => loadConfig({ STORE_TIMEOUT: "0" })).toThrow(/STORE_TIMEOUT: must be between 1s and 60s/);
    expect(() => loadConfig({ STORE_TIMEOUT: "3000" })).toThrow(
      /STORE_TIMEOUT: must be a number with a unit/,
    );
    expect(() => loadConfig({ STORE_LOCK_LEASE: "1s" })).toThrow(
      /STORE_LOCK_LEASE: must be between 3s and 10m/,
    );
    expect(() => loadConfig({ STORE_ALLOW_EVICTION: "maybe" })).toThrow(/STORE_ALLOW_EVICTION/);
  });
});
