import { useEffect, useRef, useState } from "react";
import type { Job } from "../../api/client";
import { statusLabel, TERMINAL } from "../../components/StatusBadge";

const MARK: Record<string, string> = { succeeded: "✓", failed: "✗", running: "▶", queued: "…" };

/**
 * The page title follows the job's status, and an optional browser notification says when
 * a job watched on this page ends (useful with the tab in the background).
 */
export function useJobWatch(job: Job | undefined) {
  const supported = typeof window !== "undefined" && "Notification" in window;
  const [notify, setNotifyState] = useState(false);
  const previous = useRef<string | null>(null);

  useEffect(() => {
    if (!job) return;
    const before = document.title;
    const mark = MARK[job.status] ?? "■";
    document.title = `${mark} ${statusLabel(job.status)} · ${job.title || job.id.slice(0, 8)} · DRS`;
    return () => {
      document.title = before;
    };
  }, [job]);

  useEffect(() => {
    if (!job) return;
    const was = previous.current;
    previous.current = job.status;
    const ended = was != null && !TERMINAL.has(was as Job["status"]) && TERMINAL.has(job.status);
    if (ended && notify && supported && Notification.permission === "granted") {
      new Notification(`Job ${statusLabel(job.status)}`, {
        body: `${job.title || job.id.slice(0, 8)}${job.exit_code != null ? ` (exit ${job.exit_code})` : ""}`,
        tag: `drs-job-${job.id}`,
      });
    }
  }, [job, notify, supported]);

  const setNotify = async (on: boolean) => {
    if (!on || !supported) {
      setNotifyState(false);
      return;
    }
    const permission =
      Notification.permission === "default"
        ? await Notification.requestPermission()
        : Notification.permission;
    setNotifyState(permission === "granted");
  };

  return { supported, notify, setNotify };
}
