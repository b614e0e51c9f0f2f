import { type CSSProperties, memo } from "react";
import { renderAnsi, type Segment, type Style } from "./ansi";
import type { LogLine } from "./logWindow";

function css(style: Style | null): CSSProperties | undefined {
  if (!style) return undefined;
  const fg = style.inverse ? (style.bg ?? "var(--log-bg)") : style.fg;
  const bg = style.inverse ? (style.fg ?? "var(--log-fg)") : style.bg;
  return {
    ...(fg ? { color: fg } : {}),
    ...(bg ? { background: bg } : {}),
    ...(style.bold ? { fontWeight: 700 } : {}),
    ...(style.dim ? { opacity: 0.7 } : {}),
    ...(style.italic ? { fontStyle: "italic" } : {}),
    ...(style.underline ? { textDecoration: "underline" } : {}),
  };
}

/** Splits segments so that case-insensitive matches of `query` sit in <mark>s. */
function marked(segments: Segment[], query: string) {
  if (!query)
    return segments.map((s, i) => (
      <span key={i} style={css(s.style)}>
        {s.text}
      </span>
    ));
  const text = segments.map((s) => s.text).join("");
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  const hits: [number, number][] = [];
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    hits.push([at, at + q.length]);
  }
  if (!hits.length)
    return segments.map((s, i) => (
      <span key={i} style={css(s.style)}>
        {s.text}
      </span>
    ));
  const out: React.ReactNode[] = [];
  let pos = 0;
  let k = 0;
  for (const s of segments) {
    const start = pos;
    const end = pos + s.text.length;
    let at = start;
    for (const [a, b] of hits) {
      if (b <= at || a >= end) continue;
      if (a > at)
        out.push(
          <span key={k++} style={css(s.style)}>
            {text.slice(at, a)}
          </span>,
        );
      const stop = Math.min(b, end);
      out.push(
        <mark key={k++} style={css(s.style)}>
          {text.slice(Math.max(a, at), stop)}
        </mark>,
      );
      at = stop;
    }
    if (at < end)
      out.push(
        <span key={k++} style={css(s.style)}>
          {text.slice(at, end)}
        </span>,
      );
    pos = end;
  }
  return out;
}

function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export const LogRow = memo(function LogRow({
  line,
  text,
  timestamps,
  highlighted,
  query,
  onLink,
}: {
  line: LogLine;
  /** The line's text, passed apart: an open line grows in place as chunks arrive. */
  text: string;
  timestamps: boolean;
  highlighted: boolean;
  query: string;
  onLink: (n: number) => void;
}) {
  const number = line.n + 1;
  return (
    <div
      className={`log-row ${line.stream}${highlighted ? " highlighted" : ""}`}
      data-line={number}
      data-stream={line.stream}
    >
      <a
        className="log-num"
        href={`#L${number}`}
        aria-label={`Line ${number}`}
        // One Tab stop for the whole log (the scroll box), not one per line.
        tabIndex={-1}
        onClick={(e) => {
          e.preventDefault();
          onLink(line.n);
        }}
      >
        {number}
      </a>
      <span className="log-mark" title={line.stream === "stderr" ? "stderr" : undefined} />
      {timestamps && (
        <time className="log-time" dateTime={line.time}>
          {clock(line.time)}
        </time>
      )}
      <span className="log-text">{marked(renderAnsi(text, line.carry), query)}</span>
    </div>
  );
});
