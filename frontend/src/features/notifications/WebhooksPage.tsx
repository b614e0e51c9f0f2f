import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { AddPageHead } from "../../components/AddPageHead";
import { notificationQueries } from "./queries";
import { WebhookCard } from "./WebhookCard";
import { WebhookForm } from "./WebhookForm";

export function WebhooksPage() {
  const webhooks = useQuery(notificationQueries.webhooks());
  const [adding, setAdding] = useState(false);
  return (
    <section className="page">
      <AddPageHead
        title="Webhooks"
        addLabel="Add webhook"
        adding={adding}
        onAdd={() => setAdding(true)}
      />
      <p className="muted">
        DRS POSTs signed JSON events to your URLs (<code>X-DRS-Signature: sha256=…</code>, an HMAC
        of the body with the webhook's secret) and retries failed deliveries up to 6 times.
      </p>
      {adding && (
        <div className="card">
          <h2>Add webhook</h2>
          <WebhookForm onDone={() => setAdding(false)} />
        </div>
      )}
      {webhooks.isError && (
        <p className="error-banner" role="alert">
          {errorMessage(webhooks.error)}
        </p>
      )}
      {webhooks.data?.results.length === 0 && !adding && <p className="muted">No webhooks yet.</p>}
      {webhooks.data?.results.map((w) => (
        <WebhookCard key={w.id} webhook={w} />
      ))}
    </section>
  );
}
