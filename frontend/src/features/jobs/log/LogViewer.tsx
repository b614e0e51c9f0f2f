import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react";
import { urls } from "../../../api/client";
import type { EndMessage } from "../logStream";
import { LogRow } from "./LogRow";
import { LogSearch } from "./LogSearch";
import type { SearchHit, StreamFilter } from "./logApi";
import { LogController } from "./logController";
import { useFitHeight } from "./useFitHeight";

/** Row height without wrapping (CSS `--log-row` must match). */
const ROW = 20;
/** Start loading the next page when the view is this close to an end of the window. */
const EDGE = ROW * 40;

function lineFromHash(hash: string): number | null {
  const m = /^#L(\d+)$/.exec(hash);
  return m ? Number(m[1]) - 1 : null;
}

/**
 * A job's log. The controller (REST reads, websocket) lives as long as the effect that
 * made it, so a StrictMode remount or a move to another job starts a fresh one.
 */
export function LogViewer({
  jobId,
  live,
  onEnd,
}: {
  jobId: string;
  live: boolean;
  onEnd?: (end: EndMessage) => void;
}) {
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  // Whether to follow is decided when a job's viewer opens; the controller then follows
  // the log to its end by itself (a job that finishes later does not restart it).
  const liveRef = useRef(live);
  liveRef.current = live;
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [controller, setController] = useState<LogController | null>(null);
  useEffect(() => {
    const c = new LogController({
      jobId,
      live: liveRef.current,
      onChange: () => rerender(),
      onEnd: (end) => onEndRef.current?.(end),
    });
    setController(c);
    return () => c.stop();
  }, [jobId]);
  if (!controller || controller.jobId !== jobId) {
    return <p className="muted">Loading the log…</p>;
  }
  return <LogView key={jobId} controller={controller} jobId={jobId} />;
}

function LogView({ controller, jobId }: { controller: LogController; jobId: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  useFitHeight(scroller);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // The parent re-renders on every model change; this view re-renders with it, and on its
  // own after paging (it passes `rerender` to the scroll handlers below).
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const [highlight, setHighlight] = useState<number | null>(() => lineFromHash(location.hash));
  const [query, setQuery] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  /** A line to bring into view once it is rendered. */
  const target = useRef<number | null>(highlight);
  /** Lines just added above the view: shift the scroll position by them. */
  const shiftBy = useRef(0);

  const w = controller.window;
  const lines = w.lines;

  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    getItemKey: (i) => lines[i]?.n ?? i,
    overscan: 30,
    ...(wrap ? { measureElement: (el: Element) => el.getBoundingClientRect().height } : {}),
  });

  // Open at the tail, then go to a #L link if the address has one.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      await controller.openTail();
      const n = target.current;
      if (cancelled || n == null || w.indexOf(n) !== -1) return;
      const ok = await controller.openLine(n);
      if (!ok && !cancelled) setNotice(`Line ${n + 1} is not in this log.`);
      setFollow(false);
    })();
    return () => {
      cancelled = true;
    };
  }, [controller, w]);

  // After each change: keep the view where the reader is, at the tail, or on the target.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (shiftBy.current) {
      el.scrollTop += shiftBy.current * ROW;
      shiftBy.current = 0;
    }
    const n = target.current;
    if (n != null) {
      const i = w.indexOf(n);
      if (i !== -1) {
        target.current = null;
        virtualizer.scrollToIndex(i, { align: "center" });
        return;
      }
    }
    if (follow && w.atTail && lines.length) {
      el.scrollTop = el.scrollHeight;
    }
  }, [w.version, follow, lines.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    const atBottom = fromBottom < 4;
    if (atBottom !== follow) setFollow(atBottom && w.atTail);
    if (el.scrollTop < EDGE && w.hasEarlier && !controller.loadingEarlier) {
      void controller.loadEarlier().then((added) => {
        shiftBy.current += added;
        rerender();
      });
    }
    if (fromBottom < EDGE && !w.atTail && !controller.loadingLater) void controller.loadLater();
  };

  const goToLine = useCallback(
    async (n: number, seq?: number) => {
      setHighlight(n);
      setFollow(false);
      target.current = n;
      setNotice(null);
      if (w.indexOf(n) !== -1) {
        rerender();
        return;
      }
      let ok = true;
      if (seq != null) await controller.openAround(seq);
      else ok = await controller.openLine(n);
      if (!ok || w.indexOf(n) === -1) setNotice(`Line ${n + 1} could not be loaded.`);
    },
    [controller, w],
  );

  const onLink = useCallback(
    (n: number) => {
      history.replaceState(null, "", `#L${n + 1}`);
      void goToLine(n);
    },
    [goToLine],
  );

  const onHit = (hit: SearchHit | null, q: string) => {
    setQuery(q);
    if (hit) void goToLine(hit.line, hit.seq);
  };

  const followOutput = () => {
    setFollow(true);
    setHighlight(null);
    if (w.atTail) {
      const el = scroller.current;
      if (el) el.scrollTop = el.scrollHeight;
    } else {
      void controller.openTail();
    }
  };

  const top = () => {
    setFollow(false);
    if (w.hasEarlier) {
      target.current = 0;
      void controller.openHead();
    } else {
      scroller.current?.scrollTo({ top: 0 });
    }
  };

  useEffect(() => {
    if (!fullscreen) return;
    const key = (e: KeyboardEvent) => {
      if (e.key === "Escape") setFullscreen(false);
    };
    window.addEventListener("keydown", key);
    return () => window.removeEventListener("keydown", key);
  }, [fullscreen]);

  const state = controller.state;
  const stateLabel =
    state === "ended"
      ? "complete"
      : state === "open"
        ? "live"
        : state === "loading" || state === "connecting"
          ? "loading"
          : state === "reconnecting"
            ? "reconnecting…"
            : state;
  const total = Math.max(controller.lineCount, (lines[lines.length - 1]?.n ?? -1) + 1);
  const showFollow = !follow || !w.atTail;
  const items = virtualizer.getVirtualItems();

  return (
    <div className={`logviewer${fullscreen ? " fullscreen" : ""}${wrap ? " wrap" : ""}`}>
      <div className="log-toolbar">
        <span className={`log-state ${state}`} aria-live="polite">
          <span className="dot" aria-hidden="true" />
          {stateLabel}
        </span>
        <span className="muted small" data-testid="log-counts">
          {controller.stream === "all"
            ? `${total.toLocaleString()} ${total === 1 ? "line" : "lines"}`
            : // The job's line count covers both streams; a filtered view counts what it holds.
              `${lines.length.toLocaleString()}${w.hasEarlier || !w.atTail ? "+" : ""} ${controller.stream} ${lines.length === 1 ? "line" : "lines"}`}
        </span>
        <label className="log-option">
          <span className="visually-hidden">Stream</span>
          <select
            aria-label="Stream"
            value={controller.stream}
            onChange={(e) => {
              setFollow(true);
              void controller.setStream(e.target.value as StreamFilter);
            }}
          >
            <option value="all">stdout + stderr</option>
            <option value="stdout">stdout</option>
            <option value="stderr">stderr</option>
          </select>
        </label>
        <label className="log-option">
          <input
            type="checkbox"
            checked={timestamps}
            onChange={(e) => setTimestamps(e.target.checked)}
          />
          Timestamps
        </label>
        <label className="log-option">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} />
          Wrap
        </label>
        <button
          type="button"
          className="btn small"
          aria-pressed={fullscreen}
          onClick={() => setFullscreen((f) => !f)}
        >
          {fullscreen ? "Exit full screen" : "Full screen"}
        </button>
        <LogSearch key={controller.stream} jobId={jobId} stream={controller.stream} onHit={onHit} />
        <a className="btn small" href={`${urls.logText(jobId)}&download=true`} download>
          Download full log
        </a>
      </div>
      {controller.gaps.length > 0 && (
        <p className="warn-banner" role="alert">
          Part of this log could not be loaded: chunks{" "}
          {controller.gaps.map((g) => (g.from === g.to ? g.from : `${g.from}–${g.to}`)).join(", ")}{" "}
          are missing on the server. Lines after them are shown as received.
        </p>
      )}
      {(notice || controller.error) && (
        <p className="error-banner" role="alert">
          {notice ?? controller.error}
        </p>
      )}
      <div className="log-frame">
        <div
          ref={scroller}
          className="log-scroll"
          role="log"
          aria-label="Job output"
          data-testid="log-view"
          onScroll={onScroll}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls by keyboard too
          tabIndex={0}
        >
          {lines.length === 0 && state !== "loading" && (
            <p className="log-empty muted">{controller.ended ? "No output." : "No output yet."}</p>
          )}
          <div className="log-rows" style={{ height: virtualizer.getTotalSize() }}>
            <div
              className="log-rows-inner"
              style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}
            >
              {items.map((item) => {
                const line = lines[item.index];
                if (!line) return null;
                return (
                  <div
                    key={item.key}
                    data-index={item.index}
                    ref={wrap ? virtualizer.measureElement : undefined}
                  >
                    <LogRow
                      line={line}
                      text={line.text}
                      timestamps={timestamps}
                      highlighted={highlight === line.n}
                      query={query}
                      onLink={onLink}
                    />
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        {w.hasEarlier && (
          <button type="button" className="btn small log-edge" onClick={top}>
            {controller.loadingEarlier ? "Loading earlier lines…" : "↑ Start of log"}
          </button>
        )}
        {showFollow && lines.length > 0 && (
          <button type="button" className="btn primary follow" onClick={followOutput}>
            ↓ Follow output
          </button>
        )}
      </div>
    </div>
  );
}
