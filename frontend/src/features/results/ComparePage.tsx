import { useSearchParams } from "react-router";
import { JobPicker } from "./compare/JobPicker";
import { MetricOverlay } from "./compare/MetricOverlay";
import { ResultOverlay } from "./compare/ResultOverlay";

/**
 * Overlay the same result file (or the same metric) from several jobs on one chart:
 * reruns, the jobs of a sweep, or jobs picked from the list.
 * `/compare?jobs=<id>,<id>&file=<path>` or `&metric=<name>`.
 */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const ids = (params.get("jobs") ?? "").split(",").filter(Boolean);
  const file = params.get("file") ?? "";
  const metric = params.get("metric") ?? "";
  const set = (changes: Record<string, string>) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });
  const toggle = (id: string, on: boolean) =>
    set({
      jobs: (on ? [...ids.filter((j) => j !== id), id] : ids.filter((j) => j !== id)).join(","),
    });
  // One source at a time: typing in one clears the other.
  const source = (key: "file" | "metric", label: string, placeholder: string) => (
    <input
      id={`compare-${key}`}
      aria-label={label}
      value={key === "file" ? file : metric}
      placeholder={placeholder}
      onChange={(e) => set({ file: "", metric: "", [key]: e.target.value })}
    />
  );

  return (
    <section className="page compare">
      <h1>Compare jobs</h1>
      <div className="compare-source card">
        <label htmlFor="compare-file">
          Result file {source("file", "result file", "out/reflectivity.dat")}
        </label>{" "}
        or metric {source("metric", "metric", "chi2")}
      </div>
      {ids.length === 0 ? (
        <p className="muted">Pick jobs below.</p>
      ) : file ? (
        <ResultOverlay ids={ids} path={file} />
      ) : metric ? (
        <MetricOverlay ids={ids} name={metric} />
      ) : (
        <p className="muted">Name a result file or a metric.</p>
      )}
      <JobPicker selected={ids} onToggle={toggle} />
    </section>
  );
}
