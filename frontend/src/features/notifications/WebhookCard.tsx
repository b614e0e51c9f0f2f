import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api, type Schemas } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { DataTable } from "../../components/DataTable";
import { DeleteWithConfirm } from "../../components/DeleteWithConfirm";
import { EnabledSwitch } from "../../components/EnabledSwitch";
import { formatTime } from "../../lib/format";
import { notificationInvalidation, notificationQueries } from "./queries";

type Webhook = Schemas["Webhook"];

const LOG_COLUMNS = ["Time", "Event", "Attempt", "Answer", "Duration", "Delivery"];

/** One webhook: its events, enable switch, test event, delivery log and delete. */
export function WebhookCard({ webhook }: { webhook: Webhook }) {
  const queryClient = useQueryClient();
  const [showLog, setShowLog] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const log = useQuery({
    ...notificationQueries.deliveries(webhook.id),
    enabled: showLog,
    refetchInterval: showLog ? 2_000 : false,
  });
  const onError = (e: unknown) => setMessage(errorMessage(e));
  const test = $api.useMutation("post", "/api/webhooks/{id}/test/", {
    onSuccess: () => {
      setMessage("Test event queued; its attempts appear in the delivery log.");
      setShowLog(true);
      void notificationInvalidation.deliveries(queryClient, webhook.id);
    },
    onError,
  });
  const update = $api.useMutation("patch", "/api/webhooks/{id}/", {
    onSuccess: () => void notificationInvalidation.webhooks(queryClient),
    onError,
  });
  const remove = $api.useMutation("delete", "/api/webhooks/{id}/", {
    onSuccess: () => void notificationInvalidation.webhooks(queryClient),
    onError,
  });
  const path = { params: { path: { id: webhook.id } } };
  return (
    <article className="card" aria-label={`Webhook ${webhook.url}`}>
      <div className="page-head">
        <h2 className="mono small">{webhook.url}</h2>
        <div className="actions">
          <EnabledSwitch
            checked={webhook.enabled}
            onChange={(enabled) => update.mutate({ ...path, body: { enabled } })}
          />
          <button type="button" className="btn small" onClick={() => test.mutate(path)}>
            Send test event
          </button>
          <button
            type="button"
            className="btn small"
            aria-expanded={showLog}
            onClick={() => setShowLog((v) => !v)}
          >
            Delivery log
          </button>
          <DeleteWithConfirm onDelete={() => remove.mutate(path)} />
        </div>
      </div>
      <p className="muted small">
        {webhook.events.map((e) => (
          <span key={e} className="tag">
            {e}
          </span>
        ))}{" "}
        added {formatTime(webhook.created_at)}
      </p>
      {message && (
        <p className="muted small" role="status">
          {message}
        </p>
      )}
      {showLog && (
        <>
          {log.isError && <p className="error-banner">{errorMessage(log.error)}</p>}
          {log.data?.results.length === 0 ? (
            <p className="muted small">No attempts yet.</p>
          ) : (
            <DataTable columns={LOG_COLUMNS} card={false} label="Delivery log">
              {log.data?.results.map((a) => (
                <tr key={a.id}>
                  <td data-label="Time">{formatTime(a.time)}</td>
                  <td data-label="Event">{a.event}</td>
                  <td data-label="Attempt">{a.attempt}</td>
                  <td data-label="Answer" title={a.response_excerpt}>
                    {a.status_code ?? ""} {a.error || (a.status_code ? "OK" : "")}
                  </td>
                  <td data-label="Duration">{a.duration_ms} ms</td>
                  <td data-label="Delivery" className="mono small">
                    {a.delivery.slice(0, 8)} ({a.state})
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </article>
  );
}
