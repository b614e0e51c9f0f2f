// Resume logic for a job's log stream. The server sends chunks strictly in seq order with
// no gaps; across reconnects we ask for `after=<last seq seen>` and drop anything we have
// already shown, so the screen gets every chunk exactly once.

export type Stream = "stdout" | "stderr";

export interface LogMessage {
  type: "log";
  seq: number;
  stream: Stream;
  offset: number;
  data: string;
}
export interface EndMessage {
  type: "end";
  status: string;
  exit_code: number | null;
}

export type Accepted =
  | { kind: "chunk"; chunk: LogMessage }
  | { kind: "duplicate" }
  | { kind: "gap"; expected: number; got: number }
  | { kind: "end"; end: EndMessage }
  | { kind: "ignored" };

export class LogResume {
  lastSeq: number;
  ended: EndMessage | null = null;

  constructor(after = 0) {
    this.lastSeq = after;
  }

  /** The websocket path for the next (re)connection. */
  path(jobId: string): string {
    return `/ws/jobs/${jobId}/logs/?after=${this.lastSeq}`;
  }

  accept(message: unknown): Accepted {
    if (typeof message !== "object" || message === null) return { kind: "ignored" };
    const m = message as Record<string, unknown>;
    if (m.type === "end") {
      this.ended = {
        type: "end",
        status: String(m.status ?? ""),
        exit_code: typeof m.exit_code === "number" ? m.exit_code : null,
      };
      return { kind: "end", end: this.ended };
    }
    if (m.type !== "log" || typeof m.seq !== "number") return { kind: "ignored" };
    if (m.seq <= this.lastSeq) return { kind: "duplicate" };
    if (m.seq !== this.lastSeq + 1) {
      // Never expected from the server; the caller reconnects with after=lastSeq.
      return { kind: "gap", expected: this.lastSeq + 1, got: m.seq };
    }
    this.lastSeq = m.seq;
    return {
      kind: "chunk",
      chunk: {
        type: "log",
        seq: m.seq,
        stream: m.stream === "stderr" ? "stderr" : "stdout",
        offset: typeof m.offset === "number" ? m.offset : 0,
        data: typeof m.data === "string" ? m.data : "",
      },
    };
  }
}
