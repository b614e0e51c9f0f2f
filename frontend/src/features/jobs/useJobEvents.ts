import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Job, JobSummary } from "../../api/client";
import { ReconnectingSocket, type SocketState, wsUrl } from "../../api/ws";

type JobPage = { count: number; results: JobSummary[] };

/** Apply one `{"type":"job"}` event to the cached lists and details. Returns whether a list
 * query might now be missing the job (a new job), so the caller can refetch lists. */
export function applyJobEvent(queryClient: QueryClient, job: JobSummary): boolean {
  let seen = false;
  queryClient.setQueriesData<JobPage>({ queryKey: ["get", "/api/jobs/"] }, (page) => {
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
  queryClient.setQueriesData<Job>(
    {
      queryKey: ["get", "/api/jobs/{id}/"],
      predicate: (q) => {
        const init = q.queryKey[2] as { params?: { path?: { id?: string } } } | undefined;
        return init?.params?.path?.id === job.id;
      },
    },
    (old) => (old ? { ...old, ...job } : old),
  );
  return !seen;
}

/** Live job status over `/ws/jobs/` for the whole app; returns the socket state. */
export function useJobEvents(): SocketState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SocketState>("connecting");
  useEffect(() => {
    let refetchTimer: ReturnType<typeof setTimeout> | null = null;
    const socket = new ReconnectingSocket({
      url: () => wsUrl("/ws/jobs/"),
      onState: (s) => {
        setState(s);
        // After a reconnect, events may have been missed: refresh what is on screen.
        if (s === "open") void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/"] });
      },
      onMessage: (message) => {
        const m = message as { type?: string; job?: JobSummary };
        if (m.type !== "job" || !m.job?.id) return;
        const maybeNew = applyJobEvent(queryClient, m.job);
        if (maybeNew && !refetchTimer) {
          refetchTimer = setTimeout(() => {
            refetchTimer = null;
            void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/"], exact: false });
          }, 300);
        }
        void queryClient.invalidateQueries({
          queryKey: ["get", "/api/jobs/{id}/results/"],
          predicate: (q) =>
            (q.queryKey[2] as { params?: { path?: { id?: string } } } | undefined)?.params?.path
              ?.id === m.job?.id,
        });
      },
    });
    return () => {
      if (refetchTimer) clearTimeout(refetchTimer);
      socket.close();
    };
  }, [queryClient]);
  return state;
}
