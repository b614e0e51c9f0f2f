import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { $api } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { notificationInvalidation, WEBHOOK_EVENTS } from "./queries";

interface WebhookValues {
  url: string;
  events: string[];
  secret: string;
}

const FIELDS = ["url", "events", "secret"] as const;

/** Add a webhook; once created, its secret is shown here, this one time. */
export function WebhookForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [general, setGeneral] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<WebhookValues>({
    defaultValues: { url: "", events: ["job.finished"], secret: "" },
  });
  const errors = formState.errors;
  const create = $api.useMutation("post", "/api/webhooks/", {
    onSuccess: (created) => {
      void notificationInvalidation.webhooks(queryClient);
      setSecret(created.secret);
    },
    onError: (error) => setGeneral(applyApiErrors(error, FIELDS, setError)),
  });
  const submit = handleSubmit((v) => {
    setGeneral([]);
    create.mutate({
      body: {
        url: v.url.trim(),
        events: v.events as (typeof WEBHOOK_EVENTS)[number]["value"][],
        ...(v.secret ? { secret: v.secret } : {}),
      },
    });
  });
  if (secret !== null) {
    return (
      <div className="ok-banner" role="status">
        <p>
          Webhook added. Its signing secret, shown only now (keep it to check{" "}
          <code>X-DRS-Signature</code>):
        </p>
        <p>
          <code className="mono" data-testid="webhook-secret">
            {secret}
          </code>
        </p>
        <button type="button" className="btn" onClick={onDone}>
          Done
        </button>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Add webhook">
      <FormErrors messages={general} />
      <Field
        label="URL"
        error={errors.url?.message}
        hint="http(s); addresses in private networks are refused."
      >
        {(p) => <input {...p} {...register("url")} placeholder="https://example.org/drs-hook" />}
      </Field>
      <fieldset className={`field${errors.events ? " has-error" : ""}`}>
        <legend>Events</legend>
        <div className="checks">
          {WEBHOOK_EVENTS.map((e) => (
            <label className="check" key={e.value}>
              <input type="checkbox" value={e.value} {...register("events")} /> {e.label}
            </label>
          ))}
        </div>
        {errors.events?.message && (
          <small className="field-error" role="alert">
            {errors.events.message}
          </small>
        )}
      </fieldset>
      <Field
        label="Secret"
        error={errors.secret?.message}
        hint="Optional (16+ characters); generated when empty."
      >
        {(p) => <input {...p} {...register("secret")} type="password" autoComplete="off" />}
      </Field>
      <FormFooter submit="Add webhook" disabled={create.isPending} onCancel={onDone} />
    </form>
  );
}
