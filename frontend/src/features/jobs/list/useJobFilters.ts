import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import type { JobStatus } from "../../../api/client";
import { ALL_STATUSES } from "../../../components/StatusBadge";
import type { JobFilters } from "../queries";

/** Filters live in the address (?status=running&status=failed&server=2&from=…&until=…). */
function readFilters(params: URLSearchParams): JobFilters & { from: string; until: string } {
  const from = params.get("from") ?? "";
  const until = params.get("until") ?? "";
  const day = (d: string, plus = 0) => {
    const t = new Date(`${d}T00:00:00`);
    if (Number.isNaN(t.getTime())) return null;
    t.setDate(t.getDate() + plus);
    return t.toISOString();
  };
  return {
    status: params
      .getAll("status")
      .filter((s): s is JobStatus => ALL_STATUSES.includes(s as JobStatus)),
    server: params.get("server") ? Number(params.get("server")) : null,
    createdAfter: from ? day(from) : null,
    createdBefore: until ? day(until, 1) : null,
    search: params.get("search") ?? "",
    cursor: params.get("cursor"),
    from,
    until,
  };
}

/** The jobs list's filters and page, read from and written to the address. */
export function useJobFilters() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [searchText, setSearchText] = useState(filters.search);

  const update = (change: (next: URLSearchParams) => void, keepCursor = false) => {
    const next = new URLSearchParams(params);
    change(next);
    if (!keepCursor) next.delete("cursor");
    setParams(next, { replace: true });
  };
  const setValue = (key: string, value: string) =>
    update((next) => (value ? next.set(key, value) : next.delete(key)));
  // The router applies a new address in a transition, so for a moment after a click the
  // address still holds the old statuses: the checkboxes show (and the next click builds
  // on) this draft until the address catches up.
  const [statusDraft, setStatusDraft] = useState<JobStatus[] | null>(null);
  const shownStatuses = statusDraft ?? filters.status;
  const address = params.toString();
  useEffect(() => setStatusDraft(null), [address]);
  const toggleStatus = (status: JobStatus, on: boolean) => {
    const current = shownStatuses.filter((s) => s !== status);
    const statuses = on ? [...current, status] : current;
    setStatusDraft(statuses);
    update((next) => {
      next.delete("status");
      for (const s of statuses) next.append("status", s);
    });
  };

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (searchText.trim() === filters.search) return;
    const t = setTimeout(() => setValue("search", searchText.trim()), 300);
    return () => clearTimeout(t);
  });

  const filtered = Boolean(
    filters.status.length > 0 ||
      filters.server != null ||
      filters.search ||
      filters.from ||
      filters.until,
  );
  const clear = () => {
    setSearchText("");
    setParams(new URLSearchParams(), { replace: true });
  };
  /** Another page of the same filters (null: the first). */
  const toPage = (cursor: string | null) =>
    update((next) => (cursor ? next.set("cursor", cursor) : next.delete("cursor")), true);

  return {
    filters,
    filtered,
    searchText,
    setSearchText,
    setValue,
    shownStatuses,
    toggleStatus,
    clear,
    toPage,
  };
}

export type JobFiltersState = ReturnType<typeof useJobFilters>;
