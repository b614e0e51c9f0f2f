import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { Job } from "../../api/client";
import { formatBytes } from "../../lib/format";
import { uploadFile } from "../files/queries";
import { jobQueries } from "./queries";

/** One input of the job being written: an upload (maybe still sending) or a result. */
export interface DraftInput {
  key: string;
  label: string;
  path: string;
  size: number;
  file?: string;
  result?: number;
  progress?: number;
  error?: string;
}

let counter = 0;
const nextKey = () => `input-${++counter}`;

/** The inputs of an earlier job, for "Edit and rerun". */
export function draftsFromJob(job: Job): DraftInput[] {
  return (job.inputs ?? []).map((i) => ({
    key: nextKey(),
    label: i.path,
    path: i.path,
    size: i.size,
    ...(i.file ? { file: i.file } : {}),
    ...(i.result != null ? { result: i.result } : {}),
  }));
}

/** Files dropped or picked (each uploaded at once, with a progress bar), or results of
 * an earlier job; each with the path it gets in the job directory. */
export function InputsPicker({
  value,
  onChange,
}: {
  value: DraftInput[];
  onChange: (update: (items: DraftInput[]) => DraftInput[]) => void;
}) {
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [choosing, setChoosing] = useState(false);

  const patch = (key: string, change: Partial<DraftInput>) =>
    onChange((items) => items.map((i) => (i.key === key ? { ...i, ...change } : i)));

  const add = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = nextKey();
      onChange((items) => [
        ...items,
        { key, label: file.name, path: file.name, size: file.size, progress: 0 },
      ]);
      uploadFile(file, (share) => patch(key, { progress: share }))
        .then((stored) => patch(key, { file: stored.id, progress: 1 }))
        .catch((e: Error) => patch(key, { error: e.message }));
    }
  };

  return (
    <fieldset className="inputs-picker">
      <legend>Inputs</legend>
      <p className="muted small">
        Files staged into the job directory before the program starts, at the path shown.
      </p>
      <section
        className={`dropzone${dragging ? " active" : ""}`}
        aria-label="Drop files here"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer.files);
        }}
      >
        Drop files here or{" "}
        <button type="button" className="btn small" onClick={() => picker.current?.click()}>
          Choose files…
        </button>{" "}
        <button type="button" className="btn small" onClick={() => setChoosing(!choosing)}>
          Use a result of an earlier job…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Input files"
          onChange={(e) => {
            add(e.target.files);
            e.target.value = "";
          }}
        />
      </section>
      {choosing && (
        <ResultChooser
          onPick={(picked) => {
            onChange((items) => [...items, ...picked]);
            setChoosing(false);
          }}
        />
      )}
      {value.length > 0 && (
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
      )}
    </fieldset>
  );
}

function ResultChooser({ onPick }: { onPick: (items: DraftInput[]) => void }) {
  const [jobId, setJobId] = useState("");
  const jobs = useQuery(
    jobQueries.list({
      status: ["succeeded"],
      server: null,
      createdAfter: null,
      createdBefore: null,
      search: "",
      cursor: null,
    }),
  );
  const results = useQuery({ ...jobQueries.results(jobId), enabled: Boolean(jobId) });
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  return (
    <div className="card result-chooser">
      <label>
        Earlier job{" "}
        <select
          value={jobId}
          onChange={(e) => {
            setJobId(e.target.value);
            setChosen(new Set());
          }}
        >
          <option value="">Choose…</option>
          {(jobs.data?.results ?? []).map((j) => (
            <option key={j.id} value={j.id}>
              {j.title || j.id.slice(0, 8)} ({j.id.slice(0, 8)})
            </option>
          ))}
        </select>
      </label>
      {jobId && results.data && !results.data.length && (
        <p className="muted">That job has no result files.</p>
      )}
      {(results.data ?? []).map((r) => (
        <label key={r.id} className="check">
          <input
            type="checkbox"
            checked={chosen.has(r.id)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(r.id);
              else next.delete(r.id);
              setChosen(next);
            }}
          />{" "}
          <span className="mono small">{r.path}</span>
        </label>
      ))}
      <button
        type="button"
        className="btn small primary"
        disabled={!chosen.size}
        onClick={() =>
          onPick(
            (results.data ?? [])
              .filter((r) => chosen.has(r.id))
              .map((r) => ({
                key: nextKey(),
                label: `${jobId.slice(0, 8)}:${r.path}`,
                path: r.path.split("/").pop() ?? r.path,
                size: r.size,
                result: r.id,
              })),
          )
        }
      >
        Add results
      </button>
    </div>
  );
}
