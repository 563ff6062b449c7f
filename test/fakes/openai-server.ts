import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One chat completion request as the fake received it. */
export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    input?: string | string[];
  };
}

/** A scripted failure for the next request: an HTTP error, a hang, or a cut-off body. */
export type Fault =
  | { readonly kind: "status"; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: "hang" }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "malformed" };

export type Responder = (request: RecordedRequest) => string;

/** Usage the fake reports: deterministic, so tests can compare it with what the bot recorded. */
export function fakeUsage(request: RecordedRequest, reply: string) {
  const promptChars = request.body.messages.reduce((n, m) => n + m.content.length, 0);
  const prompt = 7 + Math.ceil(promptChars / 4);
  const completion = 1 + Math.ceil(reply.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/**
 * A small OpenAI-compatible server (chat completions, streaming over SSE, embeddings) on 127.0.0.1.
 * It records every request and can be told to fail the next ones, so tests drive a real ChatOpenAI.
 */
export class FakeOpenAi {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  /** Whether responses carry `usage` (some local servers omit it). */
  reportUsage = true;
  responder: Responder = (req) => `echo: ${req.body.messages.at(-1)?.content ?? ""}`;

  get baseURL(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("FakeOpenAi is not started");
    return `http://127.0.0.1:${address.port}/v1`;
  }

  /** Chat requests only (embeddings excluded). */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/chat/completions"));
  }

  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Drops faults not used yet (a client may retry fewer times than were queued). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? "";
    const recorded: RecordedRequest = {
      path,
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
    };
    this.requests.push(recorded);

    const fault = this.faults.shift();
    if (fault?.kind === "status") {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      res
        .writeHead(fault.status, headers)
        .end(JSON.stringify({ error: { message: `fake failure ${fault.status}`, type: "server_error" } }));
      return;
    }
    if (fault?.kind === "hang") {
      this.hanging.add(res);
      return;
    }
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === "malformed") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"id":"cut-off","choices":[{"mess');
      return;
    }
    if (path.endsWith("/embeddings")) return this.embeddings(recorded, res);
    if (!path.endsWith("/chat/completions")) {
      res.writeHead(404).end();
      return;
    }
    const reply = this.responder(recorded);
    const usage = this.reportUsage ? fakeUsage(recorded, reply) : undefined;
    const base = {
      id: `chatcmpl-${this.requests.length}`,
      created: Math.floor(Date.now() / 1000),
      model: recorded.body.model,
    };
    if (!recorded.body.stream) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const pieces = reply.match(/.{1,8}/gs) ?? [""];
    for (const [i, piece] of pieces.entries()) {
      send({
        ...base,
        object: "chat.completion.chunk",
        choices: [
          {
            index: 0,
            delta: i === 0 ? { role: "assistant", content: piece } : { content: piece },
            finish_reason: null,
          },
        ],
      });
    }
    send({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
    });
    if (recorded.body.stream_options?.include_usage)
      send({ ...base, object: "chat.completion.chunk", choices: [], usage });
    res.end("data: [DONE]\n\n");
  }

  private embeddings(request: RecordedRequest, res: ServerResponse): void {
    const inputs = Array.isArray(request.body.input) ? request.body.input : [request.body.input ?? ""];
    const data = inputs.map((text, index) => ({ object: "embedding", index, embedding: embed(text) }));
    const tokens = inputs.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        object: "list",
        data,
        model: request.body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  }
}

/** A deterministic bag-of-words embedding: texts sharing words get close vectors. */
export function embed(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    v[Math.abs(h) % dims] = (v[Math.abs(h) % dims] ?? 0) + 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
