// What the contract suite needs to know of one consuming service: the topics it reads, how to
// run its contract probe (the service's real consumer with a recording handler) and which
// values its handler must receive for a record, computed from the reference TypeScript decode.
import type { JsonValue } from "@bufbuild/protobuf";
import type { EventRecord } from "../../cli/src/events/event-log.js";

/** A process to run, relative to the repository root. */
export interface ProbeCommand {
  readonly cwd: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** One line a probe prints on stdout for each call of the service's handler. */
export interface ProbeLine {
  /** The full protobuf name of the event the handler was called for. */
  readonly type: string;
  /** What the handler received, in the consumer's own terms (see each consumer's module). */
  readonly view: JsonValue;
}

export interface ConsumerContract {
  readonly service: string;
  readonly language: "Go" | "Python" | "TypeScript" | "Java";
  /** The topics the service consumes (and the probe reads from their first offset). */
  readonly topics: readonly string[];
  /** Run once, in order, before the probe starts (a compile step, for instance). */
  readonly build: readonly ProbeCommand[];
  /** The probe: reads `topics` as consumer group `group` from `bootstrap` until SIGTERM. */
  probe(root: string, bootstrap: string, group: string): ProbeCommand;
  /**
   * The view the service's handler must receive for `record`, or undefined when the service
   * hands records of this type to no handler (it must still not dead-letter them).
   */
  expectedView(record: EventRecord): JsonValue | undefined;
}
