// The log viewer's model: a bounded window of display lines cut from a job's log.
//
// The window is one contiguous run of chunks [firstSeq, lastSeq] of the (possibly
// stream-filtered) log. It opens at the tail, grows upwards as the reader scrolls up
// (`before=`), downwards as pages or live chunks arrive (`after=`), and can be replaced
// by the page around any seq (a search hit or a #L link far from what is loaded). It never
// holds more than `maxLines`: growing one end drops lines from the other, which the
// `hasEarlier` / `atTail` flags then report so the view can page them back in.
import { type Style, styleAfter } from "./ansi";

export type Stream = "stdout" | "stderr";

export interface Chunk {
  seq: number;
  stream: Stream;
  /** Line number (0-based, combined log) where the chunk starts. */
  line: number;
  time: string;
  data: string;
}

export interface LogLine {
  /** 0-based number in the combined log; shown 1-based. Unique in a window. */
  n: number;
  stream: Stream;
  /** Raw text without the newline: may hold ANSI escapes and `\r` redraws. */
  text: string;
  /** Time of the chunk the line started in. */
  time: string;
  /** Seq of the chunk the line started in. */
  seq: number;
  /** No newline yet: the next chunk that starts on the same line number continues it. */
  open: boolean;
  /** ANSI style in force where the line starts (a colour set on an earlier line). */
  carry: Style | null;
}

/** The style in force after the last line of `stream` in `lines` (looks back a little). */
function carryFor(lines: readonly LogLine[], stream: Stream): Style | null {
  for (let i = lines.length - 1, seen = 0; i >= 0 && seen < 200; i--, seen++) {
    const line = lines[i] as LogLine;
    if (line.stream === stream) return styleAfter(line.text, line.carry);
  }
  return null;
}

export const DEFAULT_MAX_LINES = 60_000;

/** Splits chunks into lines; a chunk that starts on the number of an open line extends it. */
export function chunksToLines(chunks: readonly Chunk[], into: LogLine[] = []): LogLine[] {
  for (const chunk of chunks) {
    let n = chunk.line;
    let start = 0;
    const data = chunk.data;
    while (start <= data.length) {
      const nl = data.indexOf("\n", start);
      const end = nl === -1 ? data.length : nl;
      const piece = data.slice(start, end);
      const last = into[into.length - 1];
      if (last && (n < last.n || (n === last.n && !last.open))) {
        // Already held (a chunk read again after the window was trimmed): skip it.
      } else if (last?.open && last.n === n) {
        last.text += piece;
        last.open = nl === -1;
      } else if (piece !== "" || nl !== -1) {
        into.push({
          n,
          stream: chunk.stream,
          text: piece,
          time: chunk.time,
          seq: chunk.seq,
          open: nl === -1,
          carry: carryFor(into, chunk.stream),
        });
      }
      if (nl === -1) break;
      n++;
      start = nl + 1;
    }
  }
  return into;
}

export interface PageInfo {
  /** More chunks exist before the first one of this page. */
  hasEarlier: boolean;
  /** Nothing exists after the last chunk of this page (yet). */
  atTail: boolean;
}

export class LogWindow {
  lines: LogLine[] = [];
  firstSeq = 0;
  lastSeq = 0;
  hasEarlier = false;
  atTail = false;
  /** Bumped on every change: React re-renders from it. */
  version = 0;

  constructor(readonly maxLines = DEFAULT_MAX_LINES) {}

  get empty(): boolean {
    return this.lines.length === 0;
  }

  /** Replace everything by one page. */
  reset(chunks: readonly Chunk[], info: PageInfo, afterSeq = 0): void {
    this.lines = chunksToLines(chunks);
    this.firstSeq = chunks[0]?.seq ?? afterSeq + 1;
    this.lastSeq = chunks[chunks.length - 1]?.seq ?? afterSeq;
    this.hasEarlier = info.hasEarlier;
    this.atTail = info.atTail;
    if (this.lines.length > this.maxLines) this.dropFront(this.lines.length - this.maxLines);
    this.version++;
  }

  /** Earlier chunks (in seq order, ending right before firstSeq). Returns lines added. */
  prepend(chunks: readonly Chunk[], hasEarlier: boolean): number {
    const before = this.lines.length;
    if (chunks.length) {
      const head = chunksToLines(chunks);
      const tailOfPage = head[head.length - 1];
      const first = this.lines[0];
      // The page ends mid-line and the window's first line is that line's continuation.
      if (tailOfPage && first && tailOfPage.open && tailOfPage.n === first.n) {
        tailOfPage.text += first.text;
        tailOfPage.open = first.open;
        this.lines.shift();
      }
      this.lines = head.concat(this.lines);
      this.firstSeq = chunks[0]?.seq ?? this.firstSeq;
    }
    this.hasEarlier = hasEarlier;
    const overflow = this.lines.length - this.maxLines;
    if (overflow > 0) this.dropBack(overflow);
    this.version++;
    return this.lines.length - before + Math.max(0, overflow);
  }

  /** Later chunks (in seq order, after lastSeq). Returns lines dropped from the front. */
  append(chunks: readonly Chunk[], atTail: boolean): number {
    if (chunks.length) {
      chunksToLines(chunks, this.lines);
      this.lastSeq = chunks[chunks.length - 1]?.seq ?? this.lastSeq;
      if (this.firstSeq === 0) this.firstSeq = chunks[0]?.seq ?? 0;
    }
    this.atTail = atTail;
    let dropped = 0;
    if (this.lines.length > this.maxLines) {
      dropped = this.lines.length - this.maxLines;
      this.dropFront(dropped);
    }
    this.version++;
    return dropped;
  }

  private dropFront(count: number): void {
    const removed = this.lines.splice(0, count);
    // Drop the rest of the last removed line's chunk too, so the window starts on a chunk
    // boundary and `before=firstSeq` reads back exactly what is missing.
    const cut = removed[removed.length - 1]?.seq ?? 0;
    let k = 0;
    while (k < this.lines.length - 1 && (this.lines[k] as LogLine).seq <= cut) k++;
    if (k) this.lines.splice(0, k);
    const next = this.lines[0];
    this.firstSeq = next ? next.seq : this.lastSeq + 1;
    if (removed.length) this.hasEarlier = true;
  }

  private dropBack(count: number): void {
    const removed = this.lines.splice(this.lines.length - count, count);
    const cut = removed[0]?.seq;
    if (cut != null) {
      // Keep whole chunks only: lines from the chunk that was cut go too, so a later
      // `after=lastSeq` read brings back exactly what is missing.
      while (this.lines.length > 1 && (this.lines[this.lines.length - 1]?.seq ?? 0) >= cut) {
        this.lines.pop();
      }
      this.lastSeq = cut - 1;
    }
    this.atTail = false;
  }

  /** Index of line number n in the window, or -1. */
  indexOf(n: number): number {
    const lines = this.lines;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = (lines[mid] as LogLine).n;
      if (v === n) return mid;
      if (v < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
