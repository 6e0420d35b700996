// The sign-up sender of a load run, on a worker thread of its own: its event loop does nothing
// but the open-loop schedule (./schedule.ts) and the HTTP requests, so the main thread's work
// (decoding every record of the topics, judging chains, sampling /proc) cannot make a send late.
// It reports each send and each answer to the main thread, which owns every count.
import { parentPort, workerData } from "node:worker_threads";
import { realClock, runSchedule, type ScheduleStats } from "./schedule.js";
import { signUp, type Answer } from "./traffic.js";

export interface SenderInput {
  readonly rate: number;
  readonly count: number;
  readonly userUrl: string;
  /** Makes the run's e-mail addresses unique. */
  readonly run: string;
  /** One per send, made by the main thread so that it follows each chain before its request leaves. */
  readonly correlationIds: readonly string[];
}

export type SenderMessage =
  | { readonly type: "sent"; readonly i: number; readonly sentAtMs: number }
  | { readonly type: "answer"; readonly i: number; readonly answer: Answer }
  | { readonly type: "scheduled"; readonly stats: Omit<ScheduleStats, "latenessMs">; readonly sendingMs: number }
  | { readonly type: "done" };

/** What the main thread sends: stop sending (Ctrl-C). */
export type SenderCommand = { readonly type: "stop" };

async function main(port: NonNullable<typeof parentPort>, input: SenderInput): Promise<void> {
  const controller = new AbortController();
  port.on("message", (m: SenderCommand) => {
    if (m.type === "stop") controller.abort();
  });
  const pending = new Set<Promise<void>>();
  const start = realClock.now();
  const stats = await runSchedule({
    rate: input.rate,
    count: input.count,
    clock: realClock,
    signal: controller.signal,
    start,
    send: (i) => {
      port.postMessage({ type: "sent", i, sentAtMs: performance.timeOrigin + performance.now() } satisfies SenderMessage);
      const p = signUp(input.userUrl, input.run, i, input.correlationIds[i] ?? "").then((answer) => port.postMessage({ type: "answer", i, answer } satisfies SenderMessage));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
  });
  const { latenessMs: _l, ...rest } = stats;
  port.postMessage({ type: "scheduled", stats: rest, sendingMs: realClock.now() - start } satisfies SenderMessage);
  await Promise.all(pending);
  port.postMessage({ type: "done" } satisfies SenderMessage);
  port.close();
}

if (parentPort !== null) void main(parentPort, workerData as SenderInput);
