import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import { Keyv } from "keyv";
import { StoreUnavailableError } from "../../core/errors.js";
import type { OwnedBackend, StoreOptions } from "../backend.js";
import { createDriverStore } from "../driver-store.js";
import { storeOp } from "../kv.js";
import { openedInProcess } from "../local-coordination.js";
import { KEYV_FORMAT } from "../serialize.js";
import { createSqliteDriver } from "./sqlite-driver.js";

function sqlitePath(url: string): string {
  const path = url.slice("sqlite://".length);
  if (!path)
    throw new StoreUnavailableError(
      "STORE_URL sqlite:// needs a file path, e.g. sqlite://./data/memory.sqlite",
    );
  return resolve(path);
}

async function open(options: StoreOptions) {
  const path = sqlitePath(options.url);
  mkdirSync(dirname(path), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: "keyv", busyTimeout: 5000 });
  const keyv = new Keyv({
    store: adapter,
    namespace: options.namespace,
    throwOnErrors: true,
    ...KEYV_FORMAT,
  });
  // With throwOnErrors every error is thrown to the caller; the event is only silenced so that an
  // unhandled 'error' event cannot kill the process.
  keyv.on("error", () => {});
  const driver = await storeOp("Store open", () => createSqliteDriver(adapter, options.namespace)).catch(
    async (error: unknown) => {
      await keyv.disconnect().catch(() => {});
      throw error;
    },
  );
  const kv = createDriverStore("sqlite", driver, {
    timeoutMs: options.opTimeoutMs,
    disconnect: () => keyv.disconnect(),
  });
  return openedInProcess(kv, options.now);
}

/**
 * `sqlite://PATH`: a file one bot process owns. Not shared: the channel lock, the activity index, rate
 * limits and threads' spend live in that process. What holds across processes all the same (a second
 * process on the file by mistake, the `sqlite3` shell): every write is one statement, all rows or none;
 * commits are fenced (a commit built on a record that changed is refused, never lost); set-if-absent
 * is atomic, so a duplicate delivery is still dropped once.
 */
export const sqliteBackend: OwnedBackend<"sqlite"> = {
  name: "sqlite",
  schemes: ["sqlite"],
  shared: false,
  open,
};
