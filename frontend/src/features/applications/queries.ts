// The applications feature's queries: applications, sweeps and a sweep's jobs. A sweep's
// job list shares the jobs list's key prefix, so /ws/jobs/ events update its grid live.
import type { QueryClient } from "@tanstack/react-query";
import { $api } from "../../api/client";

/** The most jobs a sweep page shows at once (the jobs API's largest page). */
export const SWEEP_GRID_SIZE = 500;

export const applicationQueries = {
  list: () => $api.queryOptions("get", "/api/applications/"),
  detail: (name: string) =>
    $api.queryOptions("get", "/api/applications/{name}/", { params: { path: { name } } }),
  sweep: (id: string) =>
    $api.queryOptions("get", "/api/sweeps/{id}/", { params: { path: { id } } }),
  sweepJobs: (id: string) =>
    $api.queryOptions("get", "/api/jobs/", {
      params: { query: { sweep: id, page_size: SWEEP_GRID_SIZE } },
    }),
};

export const applicationInvalidation = {
  all: (qc: QueryClient) =>
    qc
      .invalidateQueries({ queryKey: applicationQueries.list().queryKey.slice(0, 2) })
      .then(() =>
        qc.invalidateQueries({ queryKey: applicationQueries.detail("").queryKey.slice(0, 2) }),
      ),
};
