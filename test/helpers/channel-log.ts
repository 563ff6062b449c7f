import type { Turn } from "../../src/core/turn.js";
import { createChannelStore } from "../../src/store/channel-store.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";

/** Every turn a channel has stored, read as a fresh process would. */
export async function channelLog(url: string, namespace: string, channel: string): Promise<Turn[]> {
  const kv = await createKeyvStore({ url, namespace, allowEviction: true });
  const store = createChannelStore(kv, { maxStoredTurns: 5000 });
  const session = await store.load(channel);
  const turns = await store.reader(channel, session).range(session.first, session.next);
  await kv.close();
  return turns;
}

/** `/healthz` of a bot on `port`: its status and body, and how long it took to answer. */
export async function healthOf(port: number): Promise<{ status: number; body: HealthBody; ms: number }> {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  const body = (await res.json()) as HealthBody;
  return { status: res.status, body, ms: Date.now() - started };
}

export interface HealthBody {
  readonly ok: boolean;
  readonly store: boolean;
  readonly reason?: string;
  readonly storeDetails: {
    readonly kind?: string;
    readonly warnings: string[];
    readonly redis?: {
      role: string;
      evictionPolicy: string;
      usedMemoryBytes: number;
      maxMemoryBytes: number;
    };
  };
}
