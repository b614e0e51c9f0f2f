import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Job, JobSummary } from "../../api/client";
import { ReconnectingSocket, type SocketState, wsUrl } from "../../api/ws";
import { notifyJobEvent } from "../notifications/browserNotify";
import { jobCache, jobInvalidation, jobQueries } from "./queries";

type JobPage = { results: JobSummary[] };

/** Apply one `{"type":"job"}` event to the cached lists and details. Returns whether a list
 * query might now be missing the job (a new job), so the caller can refetch lists. */
export function applyJobEvent(queryClient: QueryClient, job: JobSummary): boolean {
  let seen = false;
  queryClient.setQueriesData<JobPage>({ queryKey: jobCache.prefix.lists }, (page) => {
    if (!page?.results) return page;
    let changed = false;
    const results = page.results.map((j) => {
      if (j.id !== job.id) return j;
      changed = true;
      seen = true;
      return { ...j, ...job };
    });
    return changed ? { ...page, results } : page;
  });
  queryClient.setQueryData<Job>(jobQueries.detail(job.id).queryKey, (old) =>
    old ? { ...old, ...job } : old,
  );
  return !seen;
}

/** Apply a `{"type":"progress"}` event (a running job's reported progress). */
export function applyJobProgress(queryClient: QueryClient, id: string, progress: number): void {
  queryClient.setQueriesData<JobPage>({ queryKey: jobCache.prefix.lists }, (page) => {
    if (!page?.results?.some((j) => j.id === id)) return page;
    return { ...page, results: page.results.map((j) => (j.id === id ? { ...j, progress } : j)) };
  });
  queryClient.setQueryData<Job>(jobQueries.detail(id).queryKey, (old) =>
    old ? { ...old, progress } : old,
  );
}

export interface JobEventsOptions {
  /** For tests. */
  WebSocketImpl?: typeof WebSocket;
  minDelay?: number;
}

/** Live job status over `/ws/jobs/` for the whole app; returns the socket state. */
export function useJobEvents(options: JobEventsOptions = {}): SocketState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SocketState>("connecting");
  const { WebSocketImpl, minDelay } = options;
  useEffect(() => {
    let refetchTimer: ReturnType<typeof setTimeout> | null = null;
    let opens = 0;
    const socket = new ReconnectingSocket({
      url: () => wsUrl("/ws/jobs/"),
      ...(WebSocketImpl ? { WebSocketImpl } : {}),
      ...(minDelay != null ? { minDelay } : {}),
      onState: (s) => {
        setState(s);
        // Nothing is replayed on connect: after a reconnect every job on screen (lists,
        // job pages, results) may be stale, so all of them are read again.
        if (s === "open" && ++opens > 1) void jobInvalidation.everything(queryClient);
      },
      onMessage: (message) => {
        const m = message as { type?: string; job?: JobSummary; id?: string; progress?: number };
        if (m.type === "progress" && m.id && typeof m.progress === "number") {
          applyJobProgress(queryClient, m.id, m.progress);
          return;
        }
        if (m.type !== "job" || !m.job?.id) return;
        notifyJobEvent(m.job);
        const maybeNew = applyJobEvent(queryClient, m.job);
        if (maybeNew && !refetchTimer) {
          refetchTimer = setTimeout(() => {
            refetchTimer = null;
            void jobInvalidation.lists(queryClient);
          }, 300);
        }
        void queryClient.invalidateQueries({ queryKey: jobQueries.results(m.job.id).queryKey });
      },
    });
    return () => {
      if (refetchTimer) clearTimeout(refetchTimer);
      socket.close();
    };
  }, [queryClient, WebSocketImpl, minDelay]);
  return state;
}
