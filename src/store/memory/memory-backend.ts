import { Keyv } from "keyv";
import type { OwnedBackend, StoreOptions } from "../backend.js";
import { createDriverStore } from "../driver-store.js";
import { openedInProcess } from "../local-coordination.js";
import { KEYV_FORMAT } from "../serialize.js";
import { createMemoryDriver } from "./memory-driver.js";

async function open(options: StoreOptions) {
  const keyv = new Keyv({
    store: new Map(),
    namespace: options.namespace,
    throwOnErrors: true,
    ...KEYV_FORMAT,
  });
  keyv.on("error", () => {});
  const kv = createDriverStore("memory", createMemoryDriver(keyv), {
    timeoutMs: options.opTimeoutMs,
    disconnect: () => keyv.disconnect(),
  });
  return openedInProcess(kv, options.now);
}

/**
 * `memory://`: the data lives in this process and goes with it (tests, the replay tool, trying the
 * bot out). Not shared: everything is coordinated and counted in the process.
 */
export const memoryBackend: OwnedBackend<"memory"> = {
  name: "memory",
  schemes: ["memory"],
  shared: false,
  open,
};
