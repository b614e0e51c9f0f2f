import { useEffect, useReducer, useRef, useState } from "react";
import type { EndMessage } from "../logStream";
import { LogView } from "./LogView";
import { LogController } from "./logController";

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
