import type { Outbox } from "../../core/bot.js";
import { plainToSlack } from "./format.js";

/** Bolt's `respond`: posts to the command's `response_url` (valid for 30 minutes, 5 uses). */
export type Respond = (message: {
  response_type: "ephemeral" | "in_channel";
  text: string;
}) => Promise<unknown>;

/** Answers a slash command through `respond`: only the caller sees command answers. */
export function createCommandOutbox(respond: Respond): Outbox {
  return {
    async send(reply) {
      await respond({
        response_type: reply.ephemeral ? "ephemeral" : "in_channel",
        text: plainToSlack(reply.text),
      });
    },
  };
}
