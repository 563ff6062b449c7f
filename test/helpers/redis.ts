import { randomUUID } from "node:crypto";
import { createClient } from "@keyv/redis";

/** The Redis the test run found or started (scripts/run-tests.mjs); undefined when none. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

/** A namespace of its own for each test, so parallel tests and real data never meet. */
export function testNamespace(label: string): string {
  return `cmbtest-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key of a test namespace. */
export async function dropNamespace(url: string, namespace: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 1000 })) keys.push(...batch);
  if (keys.length > 0) await client.del(keys);
  await client.quit();
}

/** Counts the keys of a namespace (to check what a reset or sweep left behind). */
export async function countKeys(url: string, namespace: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  let n = 0;
  for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 1000 })) n += batch.length;
  await client.quit();
  return n;
}
