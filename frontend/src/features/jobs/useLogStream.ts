// Connects a job's log to a sink of terminal text:
//  1. backfill what is stored through REST pages (`logs/?after=&limit=`): big pages, paced
//     by the terminal's backlog, much faster than a chunk-per-message websocket backfill;
//  2. then follow live over the websocket from `after=<last seq>` (resumable on drops);
//  3. REST polling if websockets are refused altogether (e.g. a proxy without upgrade).
// No React state per chunk: the caller reads `stats` for display.
import { api } from "../../api/client";
import { ReconnectingSocket, type SocketState, wsUrl } from "../../api/ws";
import { ChunkFormatter, type EndMessage, LogResume } from "./logStream";

export interface LogStreamStats {
  chunks: number;
  duplicates: number;
  gaps: number;
  reconnects: number;
  lastSeq: number;
  state: SocketState | "loading" | "polling" | "ended";
  ended: EndMessage | null;
}

export interface LogStreamOptions {
  jobId: string;
  push: (text: string) => void;
  onEnd?: (end: EndMessage) => void;
  onState?: () => void;
  /** Give up on websockets after this many refused connections in a row. */
  maxSocketFailures?: number;
  /** Backfill stored chunks over REST before opening the websocket (default true). */
  restBackfill?: boolean;
  /** Characters waiting to be written: REST paging pauses while it is high. */
  backlog?: () => number;
}

/** First page small (first lines fast), then large pages. */
export const BACKFILL_FIRST_PAGE = 4;
export const BACKFILL_PAGE = 50; // ≤ 50 × 64 KiB: JSON.parse stays well under a frame budget × few
const MAX_BACKLOG_CHARS = 8_000_000;

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
    if (this.options.restBackfill === false) this.openSocket();
    else void this.backfill();
    return this;
  }

  /** Read stored chunks page by page; hand over to the websocket once caught up. */
  private async backfill(): Promise<void> {
    this.stats.state = "loading";
    let limit = BACKFILL_FIRST_PAGE;
    while (!this.stopped && !this.stats.ended) {
      await this.waitForBacklog();
      let page: Awaited<ReturnType<typeof this.fetchPage>> | null = null;
      try {
        page = await this.fetchPage(limit);
      } catch {
        page = null;
      }
      if (this.stopped) return;
      const data = page?.data;
      if (!data) break; // let the websocket (and its own fallback) take over
      for (const chunk of data.results) this.handle({ type: "log", ...chunk });
      if (data.complete) {
        this.handle({ type: "end", status: "", exit_code: null });
        return;
      }
      if (data.results.length < limit) break; // caught up with what is stored
      limit = BACKFILL_PAGE;
    }
    if (!this.stopped && !this.stats.ended) this.openSocket();
  }

  private async waitForBacklog(): Promise<void> {
    while (!this.stopped && (this.options.backlog?.() ?? 0) > MAX_BACKLOG_CHARS) {
      await this.sleep(50);
    }
  }

  private openSocket(): void {
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
        await this.waitForBacklog();
        page = await this.fetchPage(BACKFILL_PAGE);
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

  private fetchPage(limit: number) {
    return api.GET("/api/jobs/{id}/logs/", {
      params: { path: { id: this.options.jobId }, query: { after: this.resume.lastSeq, limit } },
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
