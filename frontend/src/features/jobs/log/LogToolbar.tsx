import { urls } from "../../../api/client";
import { LogSearch } from "./LogSearch";
import type { SearchHit, StreamFilter } from "./logApi";
import type { LogController } from "./logController";

/** What the log's state shows as: the socket's state in words. */
function stateLabel(state: LogController["state"]): string {
  if (state === "ended") return "complete";
  if (state === "open") return "live";
  if (state === "loading" || state === "connecting") return "loading";
  if (state === "reconnecting") return "reconnecting…";
  return state;
}

/** The line count: the whole job's, or (a filtered view) what the window holds. */
function countLabel(controller: LogController): string {
  const w = controller.window;
  const lines = w.lines;
  if (controller.stream === "all") {
    const total = Math.max(controller.lineCount, (lines[lines.length - 1]?.n ?? -1) + 1);
    return `${total.toLocaleString()} ${total === 1 ? "line" : "lines"}`;
  }
  // The job's line count covers both streams; a filtered view counts what it holds.
  const more = w.hasEarlier || !w.atTail ? "+" : "";
  return `${lines.length.toLocaleString()}${more} ${controller.stream} ${lines.length === 1 ? "line" : "lines"}`;
}

export interface LogDisplay {
  timestamps: boolean;
  wrap: boolean;
  fullscreen: boolean;
}

const DISPLAY_SWITCHES = [
  ["timestamps", "Timestamps"],
  ["wrap", "Wrap"],
] as const;

/** State, counts, stream filter, display options, search and download, above the log. */
export function LogToolbar({
  controller,
  jobId,
  display,
  onDisplay,
  onStream,
  onHit,
}: {
  controller: LogController;
  jobId: string;
  display: LogDisplay;
  onDisplay: (change: Partial<LogDisplay>) => void;
  onStream: (stream: StreamFilter) => void;
  onHit: (hit: SearchHit | null, query: string) => void;
}) {
  const state = controller.state;
  return (
    <div className="log-toolbar">
      <span className={`log-state ${state}`} aria-live="polite">
        <span className="dot" aria-hidden="true" />
        {stateLabel(state)}
      </span>
      <span className="muted small" data-testid="log-counts">
        {countLabel(controller)}
      </span>
      <label className="log-option">
        <span className="visually-hidden">Stream</span>
        <select
          aria-label="Stream"
          value={controller.stream}
          onChange={(e) => onStream(e.target.value as StreamFilter)}
        >
          <option value="all">stdout + stderr</option>
          <option value="stdout">stdout</option>
          <option value="stderr">stderr</option>
        </select>
      </label>
      {DISPLAY_SWITCHES.map(([key, label]) => (
        <label key={key} className="log-option">
          <input
            type="checkbox"
            checked={display[key]}
            onChange={(e) => onDisplay({ [key]: e.target.checked })}
          />
          {label}
        </label>
      ))}
      <button
        type="button"
        className="btn small"
        aria-pressed={display.fullscreen}
        onClick={() => onDisplay({ fullscreen: !display.fullscreen })}
      >
        {display.fullscreen ? "Exit full screen" : "Full screen"}
      </button>
      <LogSearch key={controller.stream} jobId={jobId} stream={controller.stream} onHit={onHit} />
      <a className="btn small" href={`${urls.logText(jobId)}&download=true`} download>
        Download full log
      </a>
    </div>
  );
}

/** Chunks the server lost, and what went wrong loading the log. */
export function LogProblems({
  controller,
  notice,
}: {
  controller: LogController;
  notice: string | null;
}) {
  return (
    <>
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
    </>
  );
}
