// Browser notifications for the user's own jobs that end while the page is in a background
// tab. Off by default; turned on from the settings page, which asks the browser once.
import type { JobSummary } from "../../api/client";

const KEY = "drs.browserNotifications";
const FINAL = new Set(["succeeded", "failed", "cancelled", "timed_out", "lost"]);

let me: string | null = null;
const shown = new Set<string>();

export function browserNotificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

export function browserNotificationsOn(): boolean {
  return (
    browserNotificationsSupported() &&
    localStorage.getItem(KEY) === "on" &&
    Notification.permission === "granted"
  );
}

/** Ask the browser (once: it remembers the answer) and store the choice. */
export async function setBrowserNotifications(on: boolean): Promise<NotificationPermission> {
  if (!browserNotificationsSupported()) return "denied";
  if (!on) {
    localStorage.removeItem(KEY);
    return Notification.permission;
  }
  const permission =
    Notification.permission === "default"
      ? await Notification.requestPermission()
      : Notification.permission;
  if (permission === "granted") localStorage.setItem(KEY, "on");
  return permission;
}

/** Whose jobs notify: the signed-in user's (staff also see others' job events). */
export function setNotifyUser(username: string | null): void {
  me = username;
}

/** Called for every `/ws/jobs/` event. */
export function notifyJobEvent(job: JobSummary): void {
  if (!FINAL.has(job.status) || shown.has(job.id)) return;
  if (job.owner !== me || !document.hidden || !browserNotificationsOn()) return;
  shown.add(job.id);
  const title = job.title || `Job ${job.id.slice(0, 8)}`;
  const exit = job.exit_code != null ? ` (exit ${job.exit_code})` : "";
  const notification = new Notification(`${title}: ${job.status.replace("_", " ")}`, {
    body: job.error ? job.error.slice(0, 200) : `${job.server_name}${exit}`,
    tag: `drs-job-${job.id}`,
  });
  notification.onclick = () => {
    window.focus();
    window.location.assign(`/jobs/${job.id}`);
    notification.close();
  };
}
