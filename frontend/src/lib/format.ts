export function formatBytes(size: number): string {
  if (!Number.isFinite(size)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${size} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h ? `${h} h ${m} min` : `${m} min ${rest} s`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** "NAME=value" lines → object; reports the first bad line. */
export function parseEnvironment(text: string): { value: Record<string, string>; error?: string } {
  const value: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\r$/, "");
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { value, error: `Line ${i + 1}: write NAME=value.` };
    value[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return { value };
}

/** One item per non-empty line. */
export function parseLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/\r$/, ""))
    .filter((l) => l.trim() !== "");
}

/** "12 s ago", "5 min ago", "3 h ago", "2 days ago"; future times read "in …". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "–";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  const a = Math.abs(s);
  const text =
    a < 5
      ? "just now"
      : a < 60
        ? `${a} s`
        : a < 3600
          ? `${Math.floor(a / 60)} min`
          : a < 86_400
            ? `${Math.floor(a / 3600)} h`
            : `${Math.floor(a / 86_400)} ${Math.floor(a / 86_400) === 1 ? "day" : "days"}`;
  if (text === "just now") return text;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

/** Seconds a job has run: finished jobs their duration, running ones up to `now`. */
export function elapsedSeconds(
  job: { started_at: string | null; finished_at: string | null; duration_seconds: number | null },
  now: number = Date.now(),
): number | null {
  if (job.duration_seconds != null) return job.duration_seconds;
  if (!job.started_at || job.finished_at) return null;
  return Math.max(0, (now - new Date(job.started_at).getTime()) / 1000);
}
