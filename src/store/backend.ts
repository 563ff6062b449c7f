import type { ChannelLock, Coordination, HeldLease } from "../core/coordination.js";
import { BotError } from "../core/errors.js";
import type { KeyValueStore } from "../core/kv.js";
import type { RateCounter } from "../core/rate-limit.js";
import type { ThreadSpend } from "../core/thread-spend.js";
import type { StoreHealth } from "./store-health.js";

/** How long a shared store's channel lock lives and is waited for. */
export interface LockTimings {
  /** STORE_LOCK_LEASE: how long the lock outlives its holder's last renewal. */
  readonly leaseMs: number;
  /** How long an exchange waits for the channel before answering that it is busy. */
  readonly waitMs: number;
}

/** STORE_LOCK_LEASE's default, and a wait of one default model call (LLM_TIMEOUT_MS) on top. */
export const DEFAULT_LOCK_TIMINGS: LockTimings = { leaseMs: 6000, waitMs: 66_000 };

/** How to open a store: the URL's scheme picks the backend (`backends.ts`). */
export interface StoreOptions {
  readonly url: string;
  /** Prefix of every key, so several bots (or tests) can share one store. */
  readonly namespace: string;
  /** How long one connection attempt may take (default 5 s). */
  readonly connectTimeoutMs?: number | undefined;
  /** Deadline of every store call (STORE_TIMEOUT, default 3 s). */
  readonly opTimeoutMs?: number | undefined;
  /** Runs on a Redis whose eviction policy can drop keys (STORE_ALLOW_EVICTION), with a warning. */
  readonly allowEviction?: boolean | undefined;
  /** Told what is wrong but allowed (an evicting Redis with allowEviction). */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** The channel lock of a shared store (default DEFAULT_LOCK_TIMINGS). */
  readonly lock?: LockTimings | undefined;
  /** The clock of counters kept in process (tests move it). */
  readonly now?: (() => number) | undefined;
}

/** A store's key-value side, with the health `/healthz` reports. */
export interface KeyvStore extends KeyValueStore {
  /** A write probe (and the backend's own facts), within the store's deadline. */
  health(): Promise<StoreHealth>;
}

/** A lock that proves, in every commit, that its holder still holds it: what several processes need. */
export type LeasedLock = ChannelLock & { held(channel: string): HeldLease | undefined };

/** Coordination that holds across processes: its lock leases, so a lapsed holder's commit is refused. */
export type SharedCoordination = Coordination & { readonly lock: LeasedLock };

/** Everything the bot keeps in or coordinates through its store; closing `kv` closes it all. */
export interface OpenedStore<C extends Coordination = Coordination> {
  readonly kv: KeyvStore;
  readonly coordination: C;
  readonly rateCounter: RateCounter;
  readonly threadSpend: ThreadSpend;
}

/** What the store says it is in logs and `/healthz`: its name in the backend table. */
type Kind = string;

interface BackendBase<N extends Kind> {
  readonly name: N;
  /** URL schemes it opens (`redis` opens `redis://…`). */
  readonly schemes: readonly string[];
  /**
   * Runs after the write probe of a freshly opened store, before the bot uses it: throws a
   * StoreRefusedError when the store must not be used as configured (an evicting Redis).
   */
  check?(health: StoreHealth, options: StoreOptions): void;
}

/**
 * A store several bot processes use at once (Redis): it must bring coordination that holds across
 * them (the type asks for a leased lock), counters every process shares, and commits fenced by the lease.
 */
export interface SharedBackend<N extends Kind = Kind> extends BackendBase<N> {
  readonly shared: true;
  open(options: StoreOptions): Promise<OpenedStore<SharedCoordination>>;
}

/** A store one process owns (SQLite, memory): coordination and counters may live in that process. */
export interface OwnedBackend<N extends Kind = Kind> extends BackendBase<N> {
  readonly shared: false;
  open(options: StoreOptions): Promise<OpenedStore>;
}

/**
 * One way to keep the bot's memory, in a folder of its own (`src/store/redis/`…), listed in
 * `backends.ts`: it opens its key-value store and brings the coordination and counters that are
 * right for it, so nothing outside its folder asks which backend it is.
 */
export type StoreBackend<N extends Kind = Kind> = SharedBackend<N> | OwnedBackend<N>;

/** The store cannot be used as configured (an evicting Redis): retrying will not help, the setting will. */
export class StoreRefusedError extends BotError {
  readonly code = "STORE_REFUSED";
}
