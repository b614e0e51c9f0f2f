import { useMemo, useState } from "react";
import { Plot } from "../../components/Plot";
import type { NumericTable } from "./parseTable";
import { defaultAxes } from "./parseTable";

export interface AxesChoice {
  x: number;
  ys: number[];
  err: number | null;
  logX: boolean;
  logY: boolean;
}

export function useAxes(
  table: NumericTable | null,
): [AxesChoice, (next: Partial<AxesChoice>) => void] {
  const initial = useMemo<AxesChoice>(
    () => ({
      ...(table ? defaultAxes(table) : { x: -1, ys: [], err: null }),
      logX: false,
      logY: false,
    }),
    [table],
  );
  const [choice, setChoice] = useState<{ base: AxesChoice; value: AxesChoice }>({
    base: initial,
    value: initial,
  });
  const value = choice.base === initial ? choice.value : initial;
  return [value, (next) => setChoice({ base: initial, value: { ...value, ...next } })];
}

const LOG_AXES = [
  ["logX", "log x"],
  ["logY", "log y"],
] as const;

function columnOptions(columns: string[]) {
  return columns.map((c, i) => (
    <option key={`${c}-${i}`} value={i}>
      {c}
    </option>
  ));
}

/** Pick the x column, several y columns, an error column, log axes. */
export function AxesPicker({
  columns,
  choice,
  onChange,
}: {
  columns: string[];
  choice: AxesChoice;
  onChange: (next: Partial<AxesChoice>) => void;
}) {
  return (
    <div className="axes-picker">
      <label>
        x{" "}
        <select
          aria-label="x column"
          value={choice.x}
          onChange={(e) => onChange({ x: Number(e.target.value) })}
        >
          <option value={-1}>row number</option>
          {columnOptions(columns)}
        </select>
      </label>
      <fieldset>
        <legend>y</legend>
        {columns.map((c, i) => (
          <label key={`${c}-${i}`}>
            <input
              type="checkbox"
              aria-label={`y ${c}`}
              checked={choice.ys.includes(i)}
              onChange={(e) =>
                onChange({
                  ys: e.target.checked ? [...choice.ys, i] : choice.ys.filter((y) => y !== i),
                })
              }
            />{" "}
            {c}
          </label>
        ))}
      </fieldset>
      <label>
        error bars{" "}
        <select
          aria-label="error column"
          value={choice.err ?? -1}
          onChange={(e) =>
            onChange({ err: Number(e.target.value) < 0 ? null : Number(e.target.value) })
          }
        >
          <option value={-1}>none</option>
          {columnOptions(columns)}
        </select>
      </label>
      {LOG_AXES.map(([key, label]) => (
        <label key={key}>
          <input
            type="checkbox"
            aria-label={label}
            checked={choice[key]}
            onChange={(e) => onChange({ [key]: e.target.checked })}
          />{" "}
          {label}
        </label>
      ))}
    </div>
  );
}

/** x and y series of a table, sorted by x (uPlot draws along ascending x). */
export function tableSeries(table: NumericTable, choice: AxesChoice) {
  const order = Array.from({ length: table.rows }, (_, i) => i);
  const xs = choice.x >= 0 ? (table.data[choice.x] as Float64Array) : null;
  if (xs) order.sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const pick = (col: Float64Array | undefined) =>
    order.map((i) => (col ? (col[i] as number) : Number.NaN));
  const x = xs ? pick(xs) : order.map((i) => i);
  const err = choice.err != null ? pick(table.data[choice.err]) : undefined;
  const series = choice.ys.map((y) => ({
    label: table.columns[y] ?? `column ${y + 1}`,
    values: pick(table.data[y]),
    errors: err,
  }));
  // Rows without an x cannot be placed.
  const keep = x.map((v) => Number.isFinite(v));
  if (keep.every(Boolean)) return { x, series };
  return {
    x: x.filter((_, i) => keep[i]),
    series: series.map((s) => ({
      ...s,
      values: s.values.filter((_, i) => keep[i]),
      errors: s.errors?.filter((_, i) => keep[i]),
    })),
  };
}

export function TablePlot({ table }: { table: NumericTable }) {
  const [choice, setChoice] = useAxes(table);
  const { x, series } = useMemo(() => tableSeries(table, choice), [table, choice]);
  return (
    <div className="table-plot">
      <AxesPicker columns={table.columns} choice={choice} onChange={setChoice} />
      <Plot
        x={x}
        xLabel={choice.x >= 0 ? (table.columns[choice.x] ?? "x") : "row"}
        series={series}
        logX={choice.logX}
        logY={choice.logY}
        points
        testId="table-plot"
      />
    </div>
  );
}
