import { useQuery } from "@tanstack/react-query";
import { notificationQueries } from "./queries";

/** "Email me when it ends" on the new job form: shown only when the site sends email.
 * `value` null means "my default" (the server applies the user's setting). */
export function NotifyEmailOption({
  value,
  onChange,
}: {
  value: boolean | null;
  onChange: (value: boolean) => void;
}) {
  const settings = useQuery(notificationQueries.settings());
  if (!settings.data?.email_enabled) return null;
  const checked = value ?? settings.data.notify_email_default ?? false;
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Email
      me when the job ends
      {settings.data.email ? ` (${settings.data.email})` : " (set your address in Settings)"}
    </label>
  );
}
