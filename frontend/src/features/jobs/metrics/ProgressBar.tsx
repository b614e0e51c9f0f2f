/** A job's reported progress (the last `progress` metric, 0-1); nothing when it reports none. */
export function ProgressBar({ progress }: { progress: number | null | undefined }) {
  if (progress == null) return null;
  const percent = Math.round(progress * 100);
  return (
    <span className="job-progress" data-testid="job-progress">
      <progress max={1} value={progress} aria-label={`Progress ${percent}%`} />
      <span className="small mono">{percent}%</span>
    </span>
  );
}
