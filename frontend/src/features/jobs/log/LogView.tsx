import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react";
import { LogRows } from "./LogRows";
import { type LogDisplay, LogProblems, LogToolbar } from "./LogToolbar";
import type { SearchHit } from "./logApi";
import type { LogController } from "./logController";
import { useEscape } from "./useEscape";
import { useFitHeight } from "./useFitHeight";

/** Row height without wrapping (CSS `--log-row` must match). */
const ROW = 20;
/** Start loading the next page when the view is this close to an end of the window. */
const EDGE = ROW * 40;
const NO_OPTIONS: LogDisplay = { timestamps: false, wrap: false, fullscreen: false };

function lineFromHash(hash: string): number | null {
  const m = /^#L(\d+)$/.exec(hash);
  return m ? Number(m[1]) - 1 : null;
}

/** The log of one controller: toolbar, virtualized rows, paging, following, #L links. */
export function LogView({ controller, jobId }: { controller: LogController; jobId: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  useFitHeight(scroller);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // The parent re-renders on every model change; this view re-renders with it, and on its
  // own after paging (it passes `rerender` to the scroll handlers below).
  const [follow, setFollow] = useState(true);
  const [display, setDisplay] = useState<LogDisplay>(NO_OPTIONS);
  const { timestamps, wrap, fullscreen } = display;
  const onDisplay = (change: Partial<LogDisplay>) => setDisplay((d) => ({ ...d, ...change }));
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

  useEscape(fullscreen, () => onDisplay({ fullscreen: false }));

  const state = controller.state;
  const showFollow = !follow || !w.atTail;

  return (
    <div className={`logviewer${fullscreen ? " fullscreen" : ""}${wrap ? " wrap" : ""}`}>
      <LogToolbar
        controller={controller}
        jobId={jobId}
        display={display}
        onDisplay={onDisplay}
        onStream={(stream) => {
          setFollow(true);
          void controller.setStream(stream);
        }}
        onHit={onHit}
      />
      <LogProblems controller={controller} notice={notice} />
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
          <LogRows
            virtualizer={virtualizer}
            lines={lines}
            wrap={wrap}
            timestamps={timestamps}
            highlight={highlight}
            query={query}
            onLink={onLink}
          />
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
