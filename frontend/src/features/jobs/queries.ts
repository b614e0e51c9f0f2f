// The jobs feature's queries: one place that builds their options (and so their keys) and
// the invalidations that mutations and live events need. Nothing else spells a key.
import type { QueryClient } from "@tanstack/react-query";
import { $api, type JobStatus } from "../../api/client";

export interface JobFilters {
  status: JobStatus[];
  server: number | null;
  createdAfter: string | null;
  createdBefore: string | null;
  search: string;
  cursor: string | null;
}

/** Every job, newest first: what each filter means when it is not set. */
export const NO_JOB_FILTERS: JobFilters = {
  status: [],
  server: null,
  createdAfter: null,
  createdBefore: null,
  search: "",
  cursor: null,
};

export const JOBS_PAGE_SIZE = 25;

export const jobQueries = {
  list: (f: JobFilters) =>
    $api.queryOptions("get", "/api/jobs/", {
      params: {
        query: {
          page_size: JOBS_PAGE_SIZE,
          ...(f.status.length ? { status: f.status } : {}),
          ...(f.server != null ? { server: f.server } : {}),
          ...(f.createdAfter ? { created_after: f.createdAfter } : {}),
          ...(f.createdBefore ? { created_before: f.createdBefore } : {}),
          ...(f.search ? { search: f.search } : {}),
          ...(f.cursor ? { cursor: f.cursor } : {}),
        },
      },
    }),
  detail: (id: string) => $api.queryOptions("get", "/api/jobs/{id}/", { params: { path: { id } } }),
  results: (id: string) =>
    $api.queryOptions("get", "/api/jobs/{id}/results/", { params: { path: { id } } }),
};

/** Key prefixes: every list page, every job page, every results list. */
const prefix = {
  lists: jobQueries.list(NO_JOB_FILTERS).queryKey.slice(0, 2),
  details: jobQueries.detail("").queryKey.slice(0, 2),
  results: jobQueries.results("").queryKey.slice(0, 2),
};

function keyJobId(key: readonly unknown[]): string | undefined {
  return (key[2] as { params?: { path?: { id?: string } } } | undefined)?.params?.path?.id;
}

export const jobInvalidation = {
  /** After a submit, a rerun or a delete: the lists change. */
  lists: (qc: QueryClient) => qc.invalidateQueries({ queryKey: prefix.lists }),
  /** One job changed (cancel, end of its log): its page, its results and the lists. */
  job: (qc: QueryClient, id: string) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: jobQueries.detail(id).queryKey }),
      qc.invalidateQueries({ queryKey: jobQueries.results(id).queryKey }),
      qc.invalidateQueries({ queryKey: prefix.lists }),
    ]),
  /** Events may have been missed (a /ws/jobs/ reconnect): everything about jobs. */
  everything: (qc: QueryClient) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: prefix.lists }),
      qc.invalidateQueries({ queryKey: prefix.details }),
      qc.invalidateQueries({ queryKey: prefix.results }),
    ]),
};

export const jobCache = {
  prefix,
  keyJobId,
};
