import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { SearchAddon } from "@xterm/addon-search";
import { type ITheme, Terminal } from "@xterm/xterm";
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { urls } from "../../api/client";
import { type Theme, useTheme } from "../../lib/theme";
import type { EndMessage } from "./logStream";
import { LogWriter } from "./logWriter";
import { LogStreamController, type LogStreamStats } from "./useLogStream";

/** Lines kept on screen; the full log is a download away (a 1M-line scrollback costs GBs). */
export const SCROLLBACK = 5000;

const THEMES: Record<Theme, ITheme> = {
  light: {
    background: "#fbfbfa",
    foreground: "#1f2328",
    cursor: "#fbfbfa",
    selectionBackground: "#b6d7ff",
    black: "#24292f",
    red: "#c4302b",
    green: "#1a7f37",
    yellow: "#9a6700",
    blue: "#0969da",
    magenta: "#8250df",
    cyan: "#1b7c83",
    white: "#6e7781",
    brightBlack: "#57606a",
    brightRed: "#a40e26",
    brightGreen: "#116329",
    brightYellow: "#7d4e00",
    brightBlue: "#0550ae",
    brightMagenta: "#6639ba",
    brightCyan: "#136061",
    brightWhite: "#8c959f",
  },
  dark: {
    background: "#111417",
    foreground: "#d6dbe0",
    cursor: "#111417",
    selectionBackground: "#264f78",
    black: "#484f58",
    red: "#ff7b72",
    green: "#3fb950",
    yellow: "#d29922",
    blue: "#58a6ff",
    magenta: "#bc8cff",
    cyan: "#39c5cf",
    white: "#b1bac4",
    brightBlack: "#6e7681",
    brightRed: "#ffa198",
    brightGreen: "#56d364",
    brightYellow: "#e3b341",
    brightBlue: "#79c0ff",
    brightMagenta: "#d2a8ff",
    brightCyan: "#56d4dd",
    brightWhite: "#f0f6fc",
  },
};

interface ViewerHook {
  jobId: string;
  lines: () => string[];
  stats: () => LogStreamStats & { written: number; firstWriteMs: number | null; idle: boolean };
  drop: () => void;
  viewport: () => { viewportY: number; baseY: number };
}

declare global {
  interface Window {
    /** Test hook: the log viewer on screen (read-only view plus a socket drop). */
    __drsLog?: ViewerHook;
  }
}

export function LogViewer({
  jobId,
  live,
  onEnd,
}: {
  jobId: string;
  live: boolean;
  onEnd?: (end: EndMessage) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  const { theme } = useTheme();
  const [stats, setStats] = useState<{
    state: string;
    lastSeq: number;
    lines: number;
    atBottom: boolean;
  }>({
    state: "connecting",
    lastSeq: 0,
    lines: 0,
    atBottom: true,
  });
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<string>("");

  // The terminal is made once per job; the theme is applied by its own effect below.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const started = performance.now();
    let firstWriteMs: number | null = null;
    const term = new Terminal({
      convertEol: true,
      disableStdin: true,
      cursorBlink: false,
      cursorStyle: "bar",
      cursorInactiveStyle: "none",
      scrollback: SCROLLBACK,
      fontFamily: 'ui-monospace, "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      lineHeight: 1.2,
      theme: THEMES[theme],
      allowProposedApi: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(el);
    // Keyboard: Tab must leave the log (xterm would swallow it), and the page keys scroll.
    term.attachCustomKeyEventHandler((e) => {
      if (e.key === "Tab") return false;
      if (e.type !== "keydown") return true;
      const scroll: Record<string, () => void> = {
        PageUp: () => term.scrollPages(-1),
        PageDown: () => term.scrollPages(1),
        Home: () => term.scrollToTop(),
        End: () => term.scrollToBottom(),
        ArrowUp: () => term.scrollLines(-1),
        ArrowDown: () => term.scrollLines(1),
      };
      const action = scroll[e.key];
      if (!action) return true;
      e.preventDefault();
      action();
      return false;
    });
    termRef.current = term;
    searchRef.current = search;
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // not laid out yet
      }
    };
    refit();
    const resize = new ResizeObserver(() => refit());
    resize.observe(el);

    const atBottom = () => {
      const b = term.buffer.active;
      return b.viewportY >= b.baseY;
    };
    let lastPublished = 0;
    let publishTimer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => {
      const now = performance.now();
      const run = () => {
        lastPublished = performance.now();
        publishTimer = null;
        setStats({
          state: controller.stats.state,
          lastSeq: controller.stats.lastSeq,
          lines: writer.written.lines,
          atBottom: atBottom(),
        });
      };
      if (now - lastPublished > 200) run();
      else if (!publishTimer) publishTimer = setTimeout(run, 200);
    };

    const writer = new LogWriter(
      {
        write: (data, cb) => {
          term.write(data, () => {
            if (firstWriteMs === null) firstWriteMs = performance.now() - started;
            cb();
          });
        },
      },
      { onFlushed: publish },
    );
    const controller = new LogStreamController({
      jobId,
      push: (text) => writer.push(text),
      backlog: () => writer.queuedChars,
      onState: publish,
      onEnd: (end) => {
        publish();
        onEndRef.current?.(end);
      },
    }).start();
    const scrollSub = term.onScroll(publish);
    const wheel = () => setTimeout(publish, 50);
    el.addEventListener("wheel", wheel, { passive: true });

    window.__drsLog = {
      jobId,
      lines: () => {
        const b = term.buffer.active;
        const out: string[] = [];
        for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? "");
        while (out.length && out[out.length - 1] === "") out.pop();
        return out;
      },
      stats: () => ({
        ...controller.stats,
        written: writer.written.lines,
        firstWriteMs,
        idle: writer.idle,
      }),
      drop: () => controller.drop(),
      viewport: () => ({
        viewportY: term.buffer.active.viewportY,
        baseY: term.buffer.active.baseY,
      }),
    };

    return () => {
      if (window.__drsLog?.jobId === jobId) delete window.__drsLog;
      if (publishTimer) clearTimeout(publishTimer);
      el.removeEventListener("wheel", wheel);
      scrollSub.dispose();
      resize.disconnect();
      controller.stop();
      writer.dispose();
      term.dispose();
      termRef.current = null;
      searchRef.current = null;
    };
  }, [jobId]);

  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = THEMES[theme];
  }, [theme]);

  const find = (backwards = false) => {
    const search = searchRef.current;
    if (!search || !query) return;
    const ok = backwards
      ? search.findPrevious(query, { caseSensitive: false })
      : search.findNext(query, { caseSensitive: false });
    setFound(ok ? "" : "No match on screen");
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      find(e.shiftKey);
    }
  };

  const stateLabel =
    stats.state === "open"
      ? live
        ? "live"
        : "loading"
      : stats.state === "loading"
        ? "loading"
        : stats.state === "ended"
          ? "complete"
          : stats.state === "polling"
            ? "polling"
            : stats.state === "closed"
              ? "closed"
              : "connecting…";

  return (
    <div className="logviewer">
      <div className="log-toolbar">
        <span className={`log-state ${stats.state}`} aria-live="polite">
          <span className="dot" aria-hidden="true" />
          {stateLabel}
        </span>
        <span className="muted small" data-testid="log-counts">
          {stats.lines.toLocaleString()} {stats.lines === 1 ? "line" : "lines"} · seq{" "}
          {stats.lastSeq}
        </span>
        <div className="log-search">
          <label className="visually-hidden" htmlFor={`log-search-${jobId}`}>
            Search the log
          </label>
          <input
            id={`log-search-${jobId}`}
            type="search"
            placeholder="Search log"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setFound("");
            }}
            onKeyDown={onSearchKey}
          />
          <button
            type="button"
            className="btn small"
            onClick={() => find(true)}
            aria-label="Previous match"
          >
            ↑
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => find(false)}
            aria-label="Next match"
          >
            ↓
          </button>
          {found && <span className="muted small">{found}</span>}
        </div>
        <a className="btn small" href={`${urls.logText(jobId)}&download=true`} download>
          Download full log
        </a>
      </div>
      <div className="log-frame">
        <div
          ref={box}
          className="log-term"
          role="log"
          aria-label="Job output"
          data-testid="log-terminal"
        />
        {!stats.atBottom && (
          <button
            type="button"
            className="btn primary follow"
            onClick={() => {
              termRef.current?.scrollToBottom();
              setStats((s) => ({ ...s, atBottom: true }));
            }}
          >
            ↓ Follow output
          </button>
        )}
      </div>
      {stats.lines >= SCROLLBACK && (
        <p className="muted small">
          Showing the last {SCROLLBACK.toLocaleString()} lines.{" "}
          <a href={`${urls.logText(jobId)}&download=true`} download>
            Download the full log
          </a>{" "}
          or <a href={urls.logText(jobId)}>open it as text</a>.
        </p>
      )}
    </div>
  );
}
