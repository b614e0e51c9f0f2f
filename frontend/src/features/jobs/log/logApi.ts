// Reads of a job's log through the typed client: tail, pages before/after a seq, search,
// and finding the chunk that holds a line number.
import { api, type Schemas } from "../../../api/client";
import { ApiError } from "../../../api/errors";
import type { Stream } from "./logWindow";

export type StreamFilter = "all" | Stream;

export type LogPage = Schemas["LogPage"];
export type SearchHit = Schemas["LogSearchMatch"];
export type SearchPage = Schemas["LogSearchPage"];

/** Bytes per page: ~7,000 short lines, one JSON.parse well inside a frame budget. */
export const PAGE_BYTES = 256 * 1024;
export const PAGE_CHUNKS = 1000;

export type LogQuery = {
  tail?: number;
  before?: number;
  after?: number;
  limit?: number;
  max_bytes?: number;
  stream?: Stream;
};

function streamParam(stream: StreamFilter): { stream?: Stream } {
  return stream === "all" ? {} : { stream };
}

export async function readLog(
  jobId: string,
  query: LogQuery,
  stream: StreamFilter,
  signal?: AbortSignal,
): Promise<LogPage> {
  const { data } = await api.GET("/api/jobs/{id}/logs/", {
    params: {
      path: { id: jobId },
      query: { max_bytes: PAGE_BYTES, ...query, ...streamParam(stream) },
    },
    ...(signal ? { signal } : {}),
  });
  if (!data) throw new ApiError(0, null);
  return data;
}

export const readTail = (jobId: string, stream: StreamFilter, signal?: AbortSignal) =>
  readLog(jobId, { tail: PAGE_CHUNKS }, stream, signal);

export const readBefore = (jobId: string, seq: number, stream: StreamFilter) =>
  readLog(jobId, { before: seq, limit: PAGE_CHUNKS }, stream);

export const readAfter = (jobId: string, seq: number, stream: StreamFilter, bytes = PAGE_BYTES) =>
  readLog(jobId, { after: seq, limit: PAGE_CHUNKS, max_bytes: bytes }, stream);

export async function searchLog(
  jobId: string,
  q: string,
  stream: StreamFilter,
  cursor: number | null,
): Promise<SearchPage> {
  const { data } = await api.GET("/api/jobs/{id}/logs/search/", {
    params: {
      path: { id: jobId },
      query: { q, limit: 200, ...streamParam(stream), ...(cursor != null ? { cursor } : {}) },
    },
  });
  if (!data) throw new ApiError(0, null);
  return data;
}

/**
 * The seq of the chunk holding line `n` (0-based), by bisecting on seq with one-chunk reads
 * (chunk line numbers grow with seq). About log2(chunks) small requests.
 */
export async function locateLine(
  jobId: string,
  n: number,
  lastSeq: number,
  stream: StreamFilter,
): Promise<number | null> {
  let lo = 0; // a seq before the answer
  let hi = lastSeq; // a seq at or after the answer
  let found: number | null = null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const page = await readLog(jobId, { after: mid, limit: 1 }, stream);
    const chunk = page.results[0];
    if (!chunk) {
      hi = mid;
      continue;
    }
    if (chunk.line <= n) {
      found = chunk.seq;
      lo = chunk.seq;
      if (lo >= hi) break;
    } else {
      hi = mid;
    }
  }
  return found;
}
