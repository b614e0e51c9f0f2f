// Batches log text into the terminal: at most one `write` in flight, one batch per
// animation frame, large batches (xterm parses 10,000 lines per frame comfortably, while
// 1,000-line batches make a million-line log take 17 s — NOTES.md).

export interface TerminalSink {
  write(data: string, callback: () => void): void;
}

export interface LogWriterOptions {
  maxLines?: number;
  maxChars?: number;
  schedule?: (callback: () => void) => void;
  /** Called after each batch has been parsed by the terminal. */
  onFlushed?: (stats: { lines: number; chars: number }) => void;
  /** Lines in the first batch (default 500); later batches double up to maxLines. */
  firstBatchLines?: number;
}

function countLines(text: string): number {
  let n = 0;
  let i = text.indexOf("\n");
  while (i !== -1) {
    n++;
    i = text.indexOf("\n", i + 1);
  }
  return n;
}

/** Length of the prefix of `text` holding `n` complete lines (all of it if fewer). */
function cutAfterLines(text: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = text.indexOf("\n", i + 1);
    if (i === -1) return text.length;
  }
  return i + 1;
}

export class LogWriter {
  private queue: string[] = [];
  private head = 0;
  private scheduled = false;
  private writing = false;
  private disposed = false;
  readonly maxLines: number;
  /** Batches start small so the first lines paint at once, then double up to maxLines. */
  private batchLines: number;
  readonly maxChars: number;
  private readonly schedule: (callback: () => void) => void;
  /** Totals written to the terminal so far. */
  written = { lines: 0, chars: 0, batches: 0 };
  queuedChars = 0;

  constructor(
    private readonly sink: TerminalSink,
    private readonly options: LogWriterOptions = {},
  ) {
    this.maxLines = options.maxLines ?? 10_000;
    this.batchLines = Math.min(this.maxLines, options.firstBatchLines ?? 500);
    this.maxChars = options.maxChars ?? 1 << 20;
    this.schedule =
      options.schedule ??
      ((cb) =>
        typeof requestAnimationFrame === "function"
          ? requestAnimationFrame(() => cb())
          : setTimeout(cb, 16));
  }

  push(text: string): void {
    if (!text || this.disposed) return;
    this.queue.push(text);
    this.queuedChars += text.length;
    this.kick();
  }

  get idle(): boolean {
    return !this.writing && this.head >= this.queue.length;
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.head = 0;
  }

  private kick(): void {
    if (this.scheduled || this.writing || this.disposed) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Takes the next batch off the queue: whole chunks until the line or size limit. */
  takeBatch(): string {
    const parts: string[] = [];
    let lines = 0;
    let chars = 0;
    const lineLimit = this.batchLines;
    while (this.head < this.queue.length && lines < lineLimit && chars < this.maxChars) {
      let text = this.queue[this.head] as string;
      // Cut at the line that fills the batch, or at the size limit, whichever comes first.
      const roomChars = Math.min(this.maxChars - chars, cutAfterLines(text, lineLimit - lines));
      if (text.length > roomChars) {
        // Cut an oversized chunk; the rest stays at the head of the queue.
        this.queue[this.head] = text.slice(roomChars);
        text = text.slice(0, roomChars);
      } else {
        this.head++;
      }
      parts.push(text);
      chars += text.length;
      lines += countLines(text);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.queuedChars -= chars;
    if (chars > 0) this.batchLines = Math.min(this.maxLines, this.batchLines * 2);
    return parts.join("");
  }

  private flush(): void {
    if (this.disposed || this.writing) return;
    const batch = this.takeBatch();
    if (!batch) return;
    this.writing = true;
    const lines = countLines(batch);
    this.sink.write(batch, () => {
      this.writing = false;
      this.written.lines += lines;
      this.written.chars += batch.length;
      this.written.batches++;
      this.options.onFlushed?.({ lines, chars: batch.length });
      if (this.head < this.queue.length) this.kick();
    });
  }
}
