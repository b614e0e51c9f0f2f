import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import type { JobSummary } from "../../../api/client";
import { jobQueries, NO_JOB_FILTERS } from "../../jobs/queries";

/** The jobs to compare: a searchable list of the user's jobs, each with a checkbox. */
export function JobPicker({
  selected,
  onToggle,
}: {
  selected: string[];
  onToggle: (id: string, on: boolean) => void;
}) {
  const [search, setSearch] = useState("");
  const list = useQuery(jobQueries.list({ ...NO_JOB_FILTERS, search }));
  const rows: JobSummary[] = list.data?.results ?? [];
  return (
    <fieldset className="job-picker card">
      <legend>Jobs</legend>
      <input
        aria-label="search jobs"
        placeholder="Search titles"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <ul>
        {rows.map((j) => (
          <li key={j.id}>
            <label>
              <input
                type="checkbox"
                aria-label={`compare ${j.title || j.id}`}
                checked={selected.includes(j.id)}
                onChange={(e) => onToggle(j.id, e.target.checked)}
              />{" "}
              {j.title || j.id.slice(0, 8)} <span className="muted small">{j.status}</span>
            </label>{" "}
            <Link className="small" to={`/jobs/${j.id}`}>
              open
            </Link>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
