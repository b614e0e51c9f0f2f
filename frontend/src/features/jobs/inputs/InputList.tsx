import { formatBytes } from "../../../lib/format";
import type { DraftInput } from "./draftInput";

/** The inputs so far: upload progress or error, the path in the job directory, Remove. */
export function InputList({
  value,
  onChange,
}: {
  value: DraftInput[];
  onChange: (update: (items: DraftInput[]) => DraftInput[]) => void;
}) {
  const patch = (key: string, change: Partial<DraftInput>) =>
    onChange((items) => items.map((i) => (i.key === key ? { ...i, ...change } : i)));
  if (value.length === 0) return null;
  return (
    <ul className="input-list">
      {value.map((item) => (
        <li key={item.key}>
          <span className="mono small">{item.label}</span>
          <span className="muted small">{formatBytes(item.size)}</span>
          {item.error ? (
            <span className="error-text" role="alert">
              {item.error}
            </span>
          ) : (
            item.progress !== undefined &&
            item.progress < 1 && (
              <progress max={1} value={item.progress} aria-label={`Uploading ${item.label}`} />
            )
          )}
          <input
            className="mono"
            aria-label={`Path of ${item.label} in the job directory`}
            value={item.path}
            onChange={(e) => patch(item.key, { path: e.target.value })}
          />
          <button
            type="button"
            className="btn small ghost"
            aria-label={`Remove ${item.label}`}
            onClick={() => onChange((items) => items.filter((i) => i.key !== item.key))}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
