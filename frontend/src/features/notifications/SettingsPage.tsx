import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api } from "../../api/client";
import { errorMessage, mapApiErrors } from "../../api/errors";
import { FormFooter } from "../../components/FormFooter";
import {
  browserNotificationsOn,
  browserNotificationsSupported,
  setBrowserNotifications,
} from "./browserNotify";
import { notificationInvalidation, notificationQueries } from "./queries";

export function SettingsPage() {
  return (
    <section className="page">
      <h1>Settings</h1>
      <BrowserNotificationsCard />
      <EmailCard />
    </section>
  );
}

function BrowserNotificationsCard() {
  const [on, setOn] = useState(browserNotificationsOn);
  const [note, setNote] = useState<string | null>(null);
  if (!browserNotificationsSupported()) {
    return (
      <div className="card">
        <h2>Browser notifications</h2>
        <p className="muted">This browser cannot show notifications.</p>
      </div>
    );
  }
  const toggle = async (wanted: boolean) => {
    const permission = await setBrowserNotifications(wanted);
    const now = browserNotificationsOn();
    setOn(now);
    setNote(
      wanted && !now
        ? permission === "denied"
          ? "The browser blocks notifications for this site; allow them in its site settings."
          : "Notifications were not allowed."
        : null,
    );
  };
  return (
    <div className="card">
      <h2>Browser notifications</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => void toggle(e.target.checked)}
          aria-describedby="browser-notify-hint"
        />{" "}
        Notify me when one of my jobs ends while DRS is open in a background tab
      </label>
      <p id="browser-notify-hint" className="muted small">
        Kept in this browser only. The browser asks for permission once.
      </p>
      {note && (
        <p className="error-banner" role="alert">
          {note}
        </p>
      )}
    </div>
  );
}

function EmailCard() {
  const queryClient = useQueryClient();
  const settings = useQuery(notificationQueries.settings());
  const [email, setEmail] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = $api.useMutation("patch", "/api/notifications/settings/", {
    onSuccess: () => {
      setErrors({});
      setSaved(true);
      void notificationInvalidation.settings(queryClient);
    },
    onError: (e) => {
      const mapped = mapApiErrors(e, ["email", "notify_email_default"]);
      setErrors({
        ...mapped.fields,
        ...(mapped.general.length ? { general: errorMessage(e) } : {}),
      });
    },
  });
  if (settings.isError) {
    return <p className="error-banner">{errorMessage(settings.error)}</p>;
  }
  const data = settings.data;
  if (!data?.email_enabled) return null; // this installation sends no email: nothing to set
  const value = email ?? data.email ?? "";
  return (
    <form
      className="card form"
      aria-label="Email"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.mutate({ body: { email: value.trim() } });
      }}
    >
      <h2>Email</h2>
      <div className={`field${errors.email ? " has-error" : ""}`}>
        <label htmlFor="settings-email">Address for job emails</label>
        <input
          id="settings-email"
          type="email"
          value={value}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={Boolean(errors.email)}
        />
        {errors.email && (
          <small className="field-error" role="alert">
            {errors.email}
          </small>
        )}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={data.notify_email_default ?? false}
          onChange={(e) => save.mutate({ body: { notify_email_default: e.target.checked } })}
        />{" "}
        Email me when a job I submit ends (the default of the new job form and the API)
      </label>
      <FormFooter submit="Save address" disabled={save.isPending}>
        {saved && (
          <span className="muted small" role="status">
            Saved.
          </span>
        )}
      </FormFooter>
    </form>
  );
}
