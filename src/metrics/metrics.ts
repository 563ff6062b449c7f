import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { BotObserver } from "../core/observer.js";
import type { SweepReport } from "../jobs/sweep.js";

/** The process's Prometheus metrics, and the observer that feeds them from the core. */
export interface Metrics {
  readonly registry: Registry;
  readonly observer: BotObserver;
  sweep(report: SweepReport): void;
  /** Events the adapters or access rules drop before the core (counted, never answered). */
  ignored(platform: string, reason: string): void;
}

const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cmb_" });
  const messages = new Counter({
    name: "cmb_events_total",
    help: "Events handled, by platform and outcome",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  });
  const exchange = new Histogram({
    name: "cmb_event_duration_seconds",
    help: "Time from an event's arrival to its reply being posted and saved",
    labelNames: ["platform"] as const,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const llm = new Histogram({
    name: "cmb_llm_duration_seconds",
    help: "Model call latency, by purpose",
    labelNames: ["purpose"] as const,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "cmb_llm_tokens_total",
    help: "Tokens used, by purpose and kind (prompt, completion)",
    labelNames: ["purpose", "kind"] as const,
    registers: [registry],
  });
  const lockWait = new Histogram({
    name: "cmb_lock_wait_seconds",
    help: "Time waiting for a channel's cross-process lock",
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: "cmb_store_errors_total",
    help: "Store operations that failed",
    registers: [registry],
  });
  const sweepRuns = new Counter({
    name: "cmb_sweep_runs_total",
    help: "Idle sweep runs in this process",
    registers: [registry],
  });
  const sessionsCleared = new Counter({
    name: "cmb_sessions_cleared_total",
    help: "Idle channel sessions cleared by the sweep",
    registers: [registry],
  });
  const ignored = new Counter({
    name: "cmb_events_ignored_total",
    help: "Events dropped before the core, by platform and reason",
    labelNames: ["platform", "reason"] as const,
    registers: [registry],
  });
  return {
    registry,
    observer: {
      handled(platform, outcome, durationMs) {
        messages.inc({ platform, outcome });
        if (outcome === "answered" || outcome === "command")
          exchange.observe({ platform }, durationMs / 1000);
      },
      llmCall(purpose, durationMs, usage) {
        llm.observe({ purpose }, durationMs / 1000);
        if (usage) {
          tokens.inc({ purpose, kind: "prompt" }, usage.promptTokens);
          tokens.inc({ purpose, kind: "completion" }, usage.completionTokens);
        }
      },
      lockWaited: (durationMs) => lockWait.observe(durationMs / 1000),
      storeError: () => storeErrors.inc(),
      ignored: (platform, reason) => ignored.inc({ platform, reason }),
    },
    sweep(report) {
      sweepRuns.inc();
      sessionsCleared.inc(report.cleared);
    },
    ignored: (platform, reason) => ignored.inc({ platform, reason }),
  };
}
