// The schedules feature's queries and invalidations.
import type { QueryClient } from "@tanstack/react-query";
import { $api } from "../../api/client";

export const scheduleQueries = {
  list: () =>
    $api.queryOptions("get", "/api/schedules/", { params: { query: { page_size: 200 } } }),
};

export const scheduleInvalidation = {
  list: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: scheduleQueries.list().queryKey.slice(0, 2) }),
};

/** An instant in the viewer's own timezone, with the zone named. */
export function localTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}

export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
