// Whether the seed's "Protocol Buffers: fastest" row holds in one language: for each message,
// is protobuf the fastest of every library measured there, on encode and on decode?
import { shortName, type Figures, type LanguageResult } from "./serialization-result.js";

export type Op = "encode" | "decode";

export interface Beaten {
  /** The library that was faster than protobuf. */
  readonly library: string;
  readonly op: Op;
  /** Short names of the messages where it was faster. */
  readonly messages: readonly string[];
}

export interface Verdict {
  /** yes: fastest on both operations for every message; no: on neither operation for any message. */
  readonly holds: "yes" | "partly" | "no";
  readonly messages: number;
  /** Messages on which protobuf encodes (decodes) fastest. */
  readonly encodeWins: number;
  readonly decodeWins: number;
  readonly beatenBy: readonly Beaten[];
  /** One line for the table and the markdown. */
  readonly summary: string;
}

const ns = (f: Figures, op: Op): number => (op === "encode" ? f.encodeNs : f.decodeNs);

/** The fastest figures of one message for one operation (the first on a tie). */
export function fastest(rows: readonly Figures[], op: Op): Figures | undefined {
  return rows.reduce<Figures | undefined>((best, f) => (best === undefined || ns(f, op) < ns(best, op) ? f : best), undefined);
}

export function protobufVerdict(result: LanguageResult): Verdict {
  const byMessage = new Map<string, Figures[]>();
  for (const f of result.figures) byMessage.set(f.message, [...(byMessage.get(f.message) ?? []), f]);
  const wins = { encode: 0, decode: 0 };
  const beaten = new Map<string, { library: string; op: Op; messages: string[] }>();
  let messages = 0;
  for (const [message, rows] of byMessage) {
    const protobuf = rows.find((f) => f.format === "protobuf");
    if (protobuf === undefined) continue;
    messages += 1;
    for (const op of ["encode", "decode"] as const) {
      const faster = rows.filter((f) => f !== protobuf && ns(f, op) < ns(protobuf, op));
      if (faster.length === 0) wins[op] += 1;
      for (const f of faster) {
        const key = `${f.library}|${op}`;
        const entry = beaten.get(key) ?? { library: f.library, op, messages: [] };
        entry.messages.push(shortName(message));
        beaten.set(key, entry);
      }
    }
  }
  const opOrder = { encode: 0, decode: 1 } as const;
  const beatenBy = [...beaten.values()].sort(
    (a, b) => b.messages.length - a.messages.length || a.library.localeCompare(b.library) || opOrder[a.op] - opOrder[b.op],
  );
  const holds = wins.encode === messages && wins.decode === messages ? "yes" : wins.encode === 0 && wins.decode === 0 ? "no" : "partly";
  const counts = `encode fastest on ${wins.encode} of ${messages} messages, decode fastest on ${wins.decode} of ${messages}`;
  const faster = beatenBy.map((b) => `${b.library} ${b.op}s faster on ${b.messages.length === messages ? "all" : b.messages.length}`).join("; ");
  const summary =
    holds === "yes" ? `holds: protobuf encodes and decodes fastest on all ${messages} messages` : `${holds === "no" ? "does not hold" : "holds only in part"}: ${counts} (${faster})`;
  return { holds, messages, encodeWins: wins.encode, decodeWins: wins.decode, beatenBy, summary };
}
