import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ALL_STATUSES, statusLabel } from "../../../components/StatusBadge";
import { serverQueries } from "../../servers/queries";
import type { JobFiltersState } from "./useJobFilters";

const DATE_BOUNDS = [
  ["from", "Created from"],
  ["until", "until"],
] as const;

/** Search, server, dates and statuses; on a phone they fold behind a button (CSS). */
export function JobFiltersForm({ state }: { state: JobFiltersState }) {
  const { filters, filtered, searchText, setSearchText, setValue, shownStatuses } = state;
  const servers = useQuery(serverQueries.servers());
  // On a phone the filters fold behind a button (CSS): the jobs come first.
  const [filtersOpen, setFiltersOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn small filters-toggle"
        aria-expanded={filtersOpen}
        onClick={() => setFiltersOpen((v) => !v)}
      >
        {filtersOpen ? "Hide filters" : filtered ? "Filters (on)" : "Filters"}
      </button>
      <form
        className={`filters${filtersOpen ? " open" : ""}`}
        aria-label="Filter jobs"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="field inline">
          <span>Search</span>
          <input
            type="search"
            placeholder="Title"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </label>
        <label className="field inline">
          <span>Server</span>
          <select value={filters.server ?? ""} onChange={(e) => setValue("server", e.target.value)}>
            <option value="">Any</option>
            {servers.data?.results.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {DATE_BOUNDS.map(([key, label]) => (
          <label key={key} className="field inline">
            <span>{label}</span>
            <input
              type="date"
              value={filters[key]}
              onChange={(e) => setValue(key, e.target.value)}
            />
          </label>
        ))}
        <fieldset className="status-filter">
          <legend>Status</legend>
          {ALL_STATUSES.map((s) => (
            <label key={s} className={`chip${shownStatuses.includes(s) ? " on" : ""}`}>
              <input
                type="checkbox"
                checked={shownStatuses.includes(s)}
                onChange={(e) => state.toggleStatus(s, e.target.checked)}
              />
              {statusLabel(s)}
            </label>
          ))}
        </fieldset>
        {filtered && (
          <button type="button" className="btn ghost small" onClick={state.clear}>
            Clear filters
          </button>
        )}
      </form>
    </>
  );
}
