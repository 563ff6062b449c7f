import type { Logger } from "pino";
import { budgetNotice, budgetRefusal, budgetStatus, markBudgetNoticed } from "./budget.js";
import type { ChannelStore } from "./channel-store.js";
import type { Outbox } from "./outcome.js";
import type { SessionRecord } from "./session.js";

export interface BudgetGateDeps {
  readonly store: ChannelStore;
  /** Tokens a channel may use per UTC day; 0: no budget. */
  readonly dailyTokenBudget: number;
  /** The model that answers channels over budget (`BUDGET_FALLBACK_MODEL`), named in the notice. */
  readonly fallbackModel?: string | undefined;
  readonly now: () => number;
}

/** The daily token budget as an exchange meets it: the notice when it is crossed, the refusal after. */
export interface BudgetGate {
  /**
   * The once-a-day budget notice when this exchange's calls took the channel over; marks it sent.
   * `elsewhere`: what the rest of the channel spent today (see `budgetStatus`).
   */
  crossingNotice(session: SessionRecord, elsewhere?: number): string | undefined;
  /** A channel over budget with no fallback model: a short answer, no model call, nothing remembered. */
  refuse(
    channel: string,
    session: SessionRecord,
    outbox: Outbox,
    log: Logger,
    elsewhere?: number,
  ): Promise<"over-budget">;
}

export function createBudgetGate(deps: BudgetGateDeps): BudgetGate {
  const { store, dailyTokenBudget, now } = deps;
  const gate: BudgetGate = {
    crossingNotice(session, elsewhere = 0) {
      const status = budgetStatus(session.usage, dailyTokenBudget, now(), elsewhere);
      if (!status.noticeDue) return undefined;
      markBudgetNoticed(session.usage, now());
      return budgetNotice(status, now(), deps.fallbackModel);
    },
    async refuse(channel, session, outbox, log, elsewhere = 0) {
      const notice = gate.crossingNotice(session, elsewhere);
      if (notice) await store.save(channel, session);
      const status = budgetStatus(session.usage, dailyTokenBudget, now(), elsewhere);
      log.info("daily token budget spent; message refused");
      await outbox
        .send({ text: notice ?? budgetRefusal(status, now()), ephemeral: false, kind: "notice" })
        .catch((error: unknown) => log.warn({ err: error }, "budget refusal could not be delivered"));
      return "over-budget";
    },
  };
  return gate;
}
