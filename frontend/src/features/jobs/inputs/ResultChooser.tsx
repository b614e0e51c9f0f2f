import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { jobQueries, NO_JOB_FILTERS } from "../queries";
import { type DraftInput, nextKey } from "./draftInput";

/** Results of an earlier succeeded job, picked as inputs (named by their file name). */
export function ResultChooser({ onPick }: { onPick: (items: DraftInput[]) => void }) {
  const [jobId, setJobId] = useState("");
  const jobs = useQuery(jobQueries.list({ ...NO_JOB_FILTERS, status: ["succeeded"] }));
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
