// The notifications feature's queries and invalidations: webhooks, their delivery logs and
// the user's notification settings.
import type { QueryClient } from "@tanstack/react-query";
import { $api } from "../../api/client";

export const notificationQueries = {
  webhooks: () =>
    $api.queryOptions("get", "/api/webhooks/", { params: { query: { page_size: 200 } } }),
  deliveries: (id: number) =>
    $api.queryOptions("get", "/api/webhooks/{id}/deliveries/", {
      params: { path: { id }, query: { page_size: 50 } },
    }),
  settings: () => $api.queryOptions("get", "/api/notifications/settings/"),
};

export const notificationInvalidation = {
  webhooks: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: notificationQueries.webhooks().queryKey.slice(0, 2) }),
  deliveries: (qc: QueryClient, id: number) =>
    qc.invalidateQueries({ queryKey: notificationQueries.deliveries(id).queryKey.slice(0, 3) }),
  settings: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: notificationQueries.settings().queryKey }),
};

export const WEBHOOK_EVENTS = [
  { value: "job.started", label: "Job started" },
  { value: "job.finished", label: "Job finished (any final status)" },
  { value: "job.failed", label: "Job failed, timed out or lost" },
  { value: "schedule.failed", label: "A schedule could not create its job" },
] as const;
