import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "../../components/Field";
import type { ResourceKey } from "./resources";

const LABELS: Record<ResourceKey, { label: string; hint?: string }> = {
  partition: { label: "Partition" },
  account: { label: "Account" },
  cpus_per_task: { label: "CPUs per task" },
  memory_mb: { label: "Memory (MB)", hint: "Per node." },
  gpus: { label: "GPUs" },
  nodes: { label: "Nodes" },
};

/** The batch scheduler's request: blank fields take the server's defaults. */
export function ResourcesFields({
  field,
  error,
  legend = "Resources",
  hint,
}: {
  field: (key: ResourceKey) => UseFormRegisterReturn;
  error?: string | undefined;
  legend?: string;
  hint?: string;
}) {
  return (
    <fieldset className={`field resources${error ? " has-error" : ""}`}>
      <legend>{legend}</legend>
      {hint && <small className="hint">{hint}</small>}
      <div className="grid-3">
        {(Object.keys(LABELS) as ResourceKey[]).map((key) => (
          <Field key={key} label={LABELS[key].label} hint={LABELS[key].hint}>
            {(p) => (
              <input
                {...p}
                {...field(key)}
                inputMode={key === "partition" || key === "account" ? "text" : "numeric"}
                autoComplete="off"
              />
            )}
          </Field>
        ))}
      </div>
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}
