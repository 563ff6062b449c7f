import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import type { Coordination } from "../core/coordination.js";
import { type SweepOptions, type SweepReport, sweepIdle } from "./sweep.js";

export interface SweepJobOptions extends Omit<SweepOptions, "logger"> {
  /** Cron expression (SWEEP_CRON). */
  readonly schedule: string;
  readonly coordination: Coordination;
  readonly logger: Logger;
  /** Told after each run, for metrics. */
  readonly onReport?: ((report: SweepReport) => void) | undefined;
}

/** How long a claimed slot stays claimed: longer than any run, shorter than the shortest interval. */
const SLOT_LEASE_MS = 50_000;

/**
 * The idle-session job: node-cron runs the sweep on schedule in every process, and its distributed
 * mode asks the shared store which process gets each slot, so a slot runs once across processes.
 */
export function startSweepJob(options: SweepJobOptions): ScheduledTask {
  const { coordination, logger } = options;
  const log = logger.child({ job: "idle-sweep" });
  return cron.schedule(
    options.schedule,
    async () => {
      const started = Date.now();
      const report = await sweepIdle({ ...options, logger: log });
      options.onReport?.(report);
      log.info({ ...report, ms: Date.now() - started }, "idle sweep finished");
      return report;
    },
    {
      name: "idle-sweep",
      noOverlap: true,
      distributed: true,
      distributedLease: SLOT_LEASE_MS,
      runCoordinator: { shouldRun: (key, ttlMs) => coordination.claim(`sweep:${key}`, ttlMs) },
      logger: {
        info: (m) => log.debug(m),
        warn: (m) => log.warn(m),
        error: (m, err) => log.error({ err }, String(m)),
        debug: (m) => log.debug(String(m)),
      },
    },
  );
}

/** Whether a cron expression is valid (checked at start-up with the variable's name). */
export const validCron = (expression: string) => cron.validate(expression);
