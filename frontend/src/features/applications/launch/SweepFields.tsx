import { useMemo, useState } from "react";
import { Field } from "../../../components/Field";
import type { ParameterSchema } from "../schemaForm";
import { jobCount, parseValues } from "../sweep";

/** A sweep: which parameters vary, their values as typed and as parsed, the job count. */
export function useSweep(schema: ParameterSchema) {
  const [sweep, setSweep] = useState(false);
  const [vary, setVary] = useState<Record<string, string>>({});
  const properties = schema.properties ?? {};
  const varied = sweep ? Object.keys(vary).filter((n) => vary[n] !== undefined) : [];
  const parsed = useMemo(
    () =>
      Object.fromEntries(
        varied.map((n) => [n, parseValues(properties[n] ?? {}, vary[n] ?? "")] as const),
      ),
    [varied, properties, vary],
  );
  const count = jobCount(varied.map((n) => parsed[n]?.values ?? []));
  const invalid = varied.some((n) => parsed[n]?.errors.length);
  /** The values of each varied parameter, as the API takes them. */
  const lists = () => Object.fromEntries(varied.map((n) => [n, parsed[n]?.values ?? []]));
  return { sweep, setSweep, vary, setVary, properties, varied, parsed, count, invalid, lists };
}

export type Sweep = ReturnType<typeof useSweep>;

/** The sweep switch and, when on, a values box per parameter that may vary. */
export function SweepFields({ sweep: s, error }: { sweep: Sweep; error?: string }) {
  const { sweep, setSweep, vary, setVary, properties, varied, parsed, count } = s;
  return (
    <>
      <label className="log-option">
        <input type="checkbox" checked={sweep} onChange={(e) => setSweep(e.target.checked)} />
        Sweep: one job per combination of values
      </label>
      {sweep && (
        <fieldset className="field sweep-vary">
          <legend>Vary</legend>
          {Object.entries(properties)
            .filter(([, prop]) => prop.format !== "file")
            .map(([n, prop]) => (
              <div key={n} className="vary-row">
                <label className="log-option">
                  <input
                    type="checkbox"
                    checked={vary[n] !== undefined}
                    onChange={(e) =>
                      setVary((old) => {
                        const next = { ...old };
                        if (e.target.checked) next[n] = "";
                        else delete next[n];
                        return next;
                      })
                    }
                  />
                  {prop.title ?? n}
                </label>
                {vary[n] !== undefined && (
                  <Field
                    label={`Values of ${prop.title ?? n}`}
                    error={parsed[n]?.errors.join(" ") || undefined}
                    hint="Separated by commas."
                  >
                    {(p) => (
                      <input
                        {...p}
                        value={vary[n]}
                        onChange={(e) => setVary((old) => ({ ...old, [n]: e.target.value }))}
                      />
                    )}
                  </Field>
                )}
              </div>
            ))}
          <p className="sweep-count" aria-live="polite">
            {varied.length ? `${count} job${count === 1 ? "" : "s"}` : "Choose what varies."}
          </p>
          {error && (
            <small className="field-error" role="alert">
              {error}
            </small>
          )}
        </fieldset>
      )}
    </>
  );
}
