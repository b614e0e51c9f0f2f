import { type FormEvent, useState } from "react";
import { errorMessage } from "../../../api/errors";
import { type SearchHit, type SearchPage, type StreamFilter, searchLog } from "./logApi";

interface Found {
  query: string;
  hits: SearchHit[];
  count: number;
  capped: boolean;
  next: number | null;
}

/** Search over the whole log through the API, with a match count and next/previous. */
export function LogSearch({
  jobId,
  stream,
  onHit,
}: {
  jobId: string;
  stream: StreamFilter;
  /** Show a hit (load its part of the log if needed); the query is for marking. */
  onHit: (hit: SearchHit | null, query: string) => void;
}) {
  const [text, setText] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = async (q: string, cursor: number | null): Promise<SearchPage | null> => {
    setBusy(true);
    setError(null);
    try {
      return await searchLog(jobId, q, stream, cursor);
    } catch (e) {
      setError(errorMessage(e));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const go = async (step: 1 | -1) => {
    const q = text.trim();
    if (!q) {
      setFound(null);
      onHit(null, "");
      return;
    }
    let current = found;
    let next = index + step;
    if (!current || current.query !== q) {
      const page = await fetchPage(q, null);
      if (!page) return;
      current = {
        query: q,
        hits: page.results,
        count: page.count,
        capped: page.capped,
        next: page.next_cursor,
      };
      next = step === 1 ? 0 : page.count - 1;
      if (step === -1 && page.next_cursor != null) next = 0; // the end is not loaded yet
    }
    if (next >= current.hits.length && current.next != null) {
      const page = await fetchPage(q, current.next);
      if (!page) return;
      current = { ...current, hits: [...current.hits, ...page.results], next: page.next_cursor };
    }
    if (current.hits.length === 0) {
      setFound(current);
      onHit(null, q);
      return;
    }
    if (next >= current.hits.length) next = 0;
    if (next < 0) next = current.hits.length - 1;
    setFound(current);
    setIndex(next);
    onHit(current.hits[next] ?? null, q);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void go(1);
  };

  const summary = !found
    ? ""
    : found.count === 0
      ? "No matches"
      : `${index + 1} of ${found.count.toLocaleString()}${found.capped ? "+" : ""}`;

  return (
    <search className="log-search">
      <form aria-label="Search the whole log" onSubmit={submit}>
        <label className="visually-hidden" htmlFor={`log-search-${jobId}`}>
          Search the log
        </label>
        <input
          id={`log-search-${jobId}`}
          type="search"
          placeholder="Search whole log"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && e.shiftKey) {
              e.preventDefault();
              void go(-1);
            }
          }}
        />
        <button
          type="button"
          className="btn small"
          onClick={() => void go(-1)}
          aria-label="Previous match"
          disabled={busy}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => void go(1)}
          aria-label="Next match"
          disabled={busy}
        >
          ↓
        </button>
        <span className="muted small" data-testid="search-count" aria-live="polite">
          {error ?? summary}
        </span>
      </form>
    </search>
  );
}
