// Drives a LogWindow for one job: opens at the tail, pages earlier and later chunks in on
// demand, jumps to any line or seq, and follows live chunks over the websocket from the
// last seq it holds (resuming after drops with no gap and no repeat). Framework-free, so
// Vitest drives it with a stubbed fetch and a fake WebSocket.
import { ReconnectingSocket, type SocketState, wsUrl } from "../../../api/ws";
import { type EndMessage, LogResume } from "../logStream";
import {
  type LogPage,
  locateLine,
  readAfter,
  readBefore,
  readLog,
  readTail,
  type StreamFilter,
} from "./logApi";
import { type Chunk, LogWindow } from "./logWindow";

export type ViewerState = "loading" | SocketState | "polling" | "ended" | "error";

export interface ControllerOptions {
  jobId: string;
  /** Follow live chunks (false for a job known to be finished). */
  live: boolean;
  onChange: () => void;
  onEnd?: (end: EndMessage) => void;
  /** For tests. */
  WebSocketImpl?: typeof WebSocket;
  maxLines?: number;
  /** Give up on websockets after this many refused connections in a row, then poll. */
  maxSocketFailures?: number;
  /** Reconnect backoff start and poll interval, in ms (tests shorten them). */
  retryDelay?: number;
}

export interface Gap {
  from: number;
  to: number;
}

export class LogController {
  window: LogWindow;
  stream: StreamFilter = "all";
  state: ViewerState = "loading";
  ended: EndMessage | null = null;
  /** Lines in the whole (filtered) log as of the last read. */
  lineCount = 0;
  /** Seqs the server said it could not send (deleted, or a gap that never filled). */
  gaps: Gap[] = [];
  error: string | null = null;
  loadingEarlier = false;
  loadingLater = false;
  /** The newest seq of the job's log (over both streams) known to the controller. */
  newestSeq = 0;
  stats = { chunks: 0, duplicates: 0, reconnects: 0 };

  private resume = new LogResume(0);
  private socket: ReconnectingSocket | null = null;
  private opens = 0;
  private stopped = false;
  private generation = 0;
  private pending: Chunk[] = [];
  private flushScheduled = false;
  private gapRetries = new Map<number, number>();
  private pollTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ControllerOptions) {
    this.window = new LogWindow(options.maxLines);
  }

  get jobId(): string {
    return this.options.jobId;
  }

  private changed(): void {
    if (!this.stopped) this.options.onChange();
  }

  /** Open at the tail of the log (also: "Follow output" from a window far from it). */
  async openTail(): Promise<void> {
    const gen = ++this.generation;
    this.state = this.ended ? "ended" : "loading";
    this.changed();
    let page: LogPage;
    try {
      page = await readTail(this.options.jobId, this.stream);
    } catch (e) {
      if (gen !== this.generation) return;
      this.fail(e);
      return;
    }
    if (gen !== this.generation) return;
    this.takeFacts(page);
    const last = page.results[page.results.length - 1];
    this.window.reset(
      page.results,
      { hasEarlier: page.has_earlier, atTail: true },
      page.next_after,
    );
    if (page.complete) this.finish({ type: "end", status: "", exit_code: null });
    else this.follow(Math.max(last?.seq ?? 0, page.last_seq ?? 0, page.next_after ?? 0));
    this.changed();
  }

  /** Load the page that holds `seq` (and what follows it), away from the tail if need be. */
  async openAround(seq: number): Promise<void> {
    const gen = ++this.generation;
    this.changed();
    try {
      const before = await readBefore(this.options.jobId, seq + 1, this.stream);
      const after = await readAfter(this.options.jobId, seq, this.stream);
      if (gen !== this.generation) return;
      this.takeFacts(after);
      const chunks = [...before.results, ...after.results];
      const lastSeq = chunks[chunks.length - 1]?.seq ?? seq;
      const atTail = lastSeq >= this.newestSeq || after.results.length === 0;
      this.window.reset(chunks, { hasEarlier: before.has_earlier, atTail }, seq);
      this.changed();
    } catch (e) {
      if (gen === this.generation) this.fail(e);
    }
  }

  /** Load the window that holds line n (0-based); resolves to whether it exists. */
  async openLine(n: number): Promise<boolean> {
    if (this.window.indexOf(n) !== -1) return true;
    const seq = await locateLine(
      this.options.jobId,
      n,
      Math.max(this.newestSeq, this.window.lastSeq),
      this.stream,
    );
    if (seq == null) return false;
    await this.openAround(seq);
    return this.window.indexOf(n) !== -1;
  }

  /** The beginning of the log. */
  async openHead(): Promise<void> {
    const gen = ++this.generation;
    try {
      const page = await readLog(this.options.jobId, { after: 0 }, this.stream);
      if (gen !== this.generation) return;
      this.takeFacts(page);
      const lastSeq = page.results[page.results.length - 1]?.seq ?? 0;
      this.window.reset(
        page.results,
        { hasEarlier: false, atTail: lastSeq >= this.newestSeq || page.results.length === 0 },
        0,
      );
      this.changed();
    } catch (e) {
      if (gen === this.generation) this.fail(e);
    }
  }

  /** Scrolling up: read the page before the window. Resolves to the lines added on top. */
  async loadEarlier(): Promise<number> {
    const w = this.window;
    if (!w.hasEarlier || this.loadingEarlier) return 0;
    const gen = this.generation;
    this.loadingEarlier = true;
    this.changed();
    try {
      const page = await readBefore(this.options.jobId, w.firstSeq, this.stream);
      if (gen !== this.generation) return 0;
      return w.prepend(page.results, page.has_earlier);
    } catch (e) {
      this.fail(e);
      return 0;
    } finally {
      this.loadingEarlier = false;
      this.changed();
    }
  }

  /** Scrolling down in a window away from the tail: read the page after it. */
  async loadLater(): Promise<void> {
    const w = this.window;
    if (w.atTail || this.loadingLater) return;
    const gen = this.generation;
    this.loadingLater = true;
    try {
      const page = await readAfter(this.options.jobId, w.lastSeq, this.stream);
      if (gen !== this.generation) return;
      this.takeFacts(page);
      const lastSeq = page.results[page.results.length - 1]?.seq ?? w.lastSeq;
      w.append(page.results, page.results.length === 0 || lastSeq >= this.newestSeq);
    } catch (e) {
      this.fail(e);
    } finally {
      this.loadingLater = false;
      this.changed();
    }
  }

  async setStream(stream: StreamFilter): Promise<void> {
    if (stream === this.stream) return;
    this.stream = stream;
    this.closeSocket();
    await this.openTail();
  }

  private takeFacts(page: LogPage): void {
    if (typeof page.line_count === "number") this.lineCount = page.line_count;
    if (typeof page.last_seq === "number") this.newestSeq = Math.max(this.newestSeq, page.last_seq);
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : "The log could not be read.";
    this.state = "error";
    this.changed();
  }

  // --- live ------------------------------------------------------------------------------

  private follow(afterSeq: number): void {
    this.closeSocket();
    if (!this.options.live || this.ended) return;
    this.resume = new LogResume(afterSeq);
    this.gapRetries.clear();
    this.opens = 0;
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(this.resume.path(this.options.jobId)),
      onMessage: (m) => this.handle(m),
      ...(this.options.WebSocketImpl ? { WebSocketImpl: this.options.WebSocketImpl } : {}),
      ...(this.options.retryDelay != null ? { minDelay: this.options.retryDelay } : {}),
      onState: (state, { failures }) => {
        if (this.ended) return;
        if (state === "open" && ++this.opens > 1) this.stats.reconnects++;
        this.state = state;
        if (
          state === "reconnecting" &&
          this.opens === 0 &&
          failures >= (this.options.maxSocketFailures ?? 3)
        ) {
          this.closeSocket();
          this.state = "polling";
          void this.poll();
        }
        this.changed();
      },
    });
  }

  /** One websocket (or polled) message. */
  handle(message: unknown): void {
    if (this.stopped) return;
    const accepted = this.resume.accept(message);
    switch (accepted.kind) {
      case "chunk": {
        const m = message as { line?: unknown; time?: unknown };
        this.stats.chunks++;
        this.newestSeq = Math.max(this.newestSeq, accepted.chunk.seq);
        const chunk: Chunk = {
          seq: accepted.chunk.seq,
          stream: accepted.chunk.stream,
          data: accepted.chunk.data,
          line: typeof m.line === "number" ? m.line : 0,
          time: typeof m.time === "string" ? m.time : "",
        };
        if (this.stream === "all" || chunk.stream === this.stream) this.pending.push(chunk);
        this.scheduleFlush();
        break;
      }
      case "duplicate":
        this.stats.duplicates++;
        break;
      case "gap": {
        // Reconnect with after=<last seq> so the server fills it. If the same gap comes
        // back, it cannot be filled (the chunks are gone): say so and go on after it.
        const tries = (this.gapRetries.get(accepted.expected) ?? 0) + 1;
        this.gapRetries.set(accepted.expected, tries);
        if (tries <= 2) {
          this.socket?.drop();
        } else {
          this.gaps.push({ from: accepted.expected, to: accepted.got - 1 });
          this.resume.lastSeq = accepted.got - 1;
          this.handle(message);
        }
        this.changed();
        break;
      }
      case "end":
        this.finish(accepted.end);
        break;
      default:
        break;
    }
  }

  /** Live chunks land in the window once per animation frame, not once per message. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      this.flush();
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  /** Apply pending live chunks now (tests call it instead of waiting for a frame). */
  flush(): void {
    const chunks = this.pending;
    this.pending = [];
    if (!chunks.length || this.stopped) return;
    const w = this.window;
    // A window away from the tail stays put; "Follow output" reopens the tail.
    if (!w.atTail) {
      this.changed();
      return;
    }
    const fresh = chunks.filter((c) => c.seq > w.lastSeq);
    if (fresh.length) {
      w.append(fresh, true);
      this.lineCount = Math.max(this.lineCount, lastLineNumber(w) + 1);
    }
    this.changed();
  }

  private finish(end: EndMessage): void {
    this.flush();
    this.ended = end;
    this.state = "ended";
    this.closeSocket();
    this.changed();
    this.options.onEnd?.(end);
  }

  private async poll(): Promise<void> {
    while (!this.stopped && !this.ended) {
      try {
        const page = await readAfter(this.options.jobId, this.resume.lastSeq, "all");
        for (const chunk of page.results) this.handle({ type: "log", ...chunk });
        if (page.complete) {
          this.handle({ type: "end", status: "", exit_code: null });
          return;
        }
        if (page.results.length) continue;
      } catch {
        // The server is away: try again below.
      }
      await new Promise((r) => {
        this.pollTimer = setTimeout(r, this.options.retryDelay ?? 1500);
      });
    }
  }

  /** Drop the websocket (it resumes by itself). */
  drop(): void {
    this.socket?.drop();
  }

  private closeSocket(): void {
    this.socket?.close();
    this.socket = null;
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.closeSocket();
  }
}

function lastLineNumber(w: LogWindow): number {
  return w.lines[w.lines.length - 1]?.n ?? -1;
}
