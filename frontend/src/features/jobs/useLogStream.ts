// Connects a job's log (websocket, resumable; REST paging as a fallback when websockets
// are refused) to a sink of terminal text. No React state per chunk: the caller polls
// `stats` for display.
import { api } from "../../api/client";
import { ReconnectingSocket, type SocketState, wsUrl } from "../../api/ws";
import { ChunkFormatter, type EndMessage, LogResume } from "./logStream";

export interface LogStreamStats {
  chunks: number;
  duplicates: number;
  gaps: number;
  reconnects: number;
  lastSeq: number;
  state: SocketState | "polling" | "ended";
  ended: EndMessage | null;
}

export interface LogStreamOptions {
  jobId: string;
  push: (text: string) => void;
  onEnd?: (end: EndMessage) => void;
  onState?: () => void;
  /** Give up on websockets after this many refused connections in a row. */
  maxSocketFailures?: number;
}

export class LogStreamController {
  readonly resume = new LogResume(0);
  private readonly formatter = new ChunkFormatter();
  private socket: ReconnectingSocket | null = null;
  private stopped = false;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private opens = 0;
  stats: LogStreamStats = {
    chunks: 0,
    duplicates: 0,
    gaps: 0,
    reconnects: 0,
    lastSeq: 0,
    state: "connecting",
    ended: null,
  };

  constructor(private readonly options: LogStreamOptions) {}

  start(): this {
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(this.resume.path(this.options.jobId)),
      onMessage: (m) => this.handle(m),
      onState: (state, { failures }) => {
        if (this.stats.ended) return;
        if (state === "open") {
          this.opens++;
          if (this.opens > 1) this.stats.reconnects++;
        }
        this.stats.state = state;
        if (
          state === "reconnecting" &&
          this.opens === 0 &&
          failures >= (this.options.maxSocketFailures ?? 3)
        ) {
          this.socket?.close();
          this.socket = null;
          this.stats.state = "polling";
          void this.poll();
        }
        this.options.onState?.();
      },
    });
    return this;
  }

  /** Feed one message (from the websocket or a REST page). */
  handle(message: unknown): void {
    if (this.stopped) return;
    const accepted = this.resume.accept(message);
    switch (accepted.kind) {
      case "chunk":
        this.stats.chunks++;
        this.stats.lastSeq = accepted.chunk.seq;
        this.options.push(this.formatter.format(accepted.chunk.stream, accepted.chunk.data));
        break;
      case "duplicate":
        this.stats.duplicates++;
        break;
      case "gap":
        // Reconnect with after=<last seq>: the server backfills what we missed.
        this.stats.gaps++;
        this.socket?.drop();
        break;
      case "end":
        this.stats.ended = accepted.end;
        this.stats.state = "ended";
        this.socket?.close();
        this.socket = null;
        this.options.onState?.();
        this.options.onEnd?.(accepted.end);
        break;
      default:
        break;
    }
  }

  /** Force the websocket closed (it resumes by itself); for tests and the UI. */
  drop(): void {
    this.socket?.drop();
  }

  private async poll(): Promise<void> {
    while (!this.stopped && !this.stats.ended) {
      let page: Awaited<ReturnType<typeof this.fetchPage>> | null = null;
      try {
        page = await this.fetchPage();
      } catch {
        page = null; // network down: try again below
      }
      if (this.stopped) return;
      const data = page?.data;
      if (!data) {
        await this.sleep(3000);
        continue;
      }
      for (const chunk of data.results) this.handle({ type: "log", ...chunk });
      if (data.complete) {
        this.handle({ type: "end", status: "", exit_code: null });
        return;
      }
      if (data.results.length === 0) await this.sleep(1000);
    }
  }

  private fetchPage() {
    return api.GET("/api/jobs/{id}/logs/", {
      params: {
        path: { id: this.options.jobId },
        query: { after: this.resume.lastSeq, limit: 1000 },
      },
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.pollTimer = setTimeout(resolve, ms);
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.socket?.close();
    this.socket = null;
  }
}
