import { useQuery } from "@tanstack/react-query";
import { AddListPage } from "../../components/AddListPage";
import { notificationQueries } from "./queries";
import { WebhookCard } from "./WebhookCard";
import { WebhookForm } from "./WebhookForm";

export function WebhooksPage() {
  const webhooks = useQuery(notificationQueries.webhooks());
  return (
    <AddListPage
      title="Webhooks"
      addLabel="Add webhook"
      intro={
        <p className="muted">
          DRS POSTs signed JSON events to your URLs (<code>X-DRS-Signature: sha256=…</code>, an HMAC
          of the body with the webhook's secret) and retries failed deliveries up to 6 times.
        </p>
      }
      form={(onDone) => <WebhookForm onDone={onDone} />}
      query={webhooks}
      empty="No webhooks yet."
    >
      {(w) => <WebhookCard key={w.id} webhook={w} />}
    </AddListPage>
  );
}
