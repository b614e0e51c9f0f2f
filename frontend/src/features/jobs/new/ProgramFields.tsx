import { Controller, type UseFormReturn } from "react-hook-form";
import { CodeEditor } from "../../../components/CodeEditor";
import { Field } from "../../../components/Field";
import { parseEnvironment } from "../../../lib/format";
import type { JobForm } from "./jobForm";

/** What runs: the program, its arguments and its environment. */
export function ProgramFields({ form }: { form: UseFormReturn<JobForm> }) {
  const { register, control, formState } = form;
  const errors = formState.errors;
  return (
    <>
      <Field
        label="Program"
        error={errors.program?.message}
        hint="Tab indents; press Esc then Tab to move on."
      >
        {(p) => (
          <Controller
            control={control}
            name="program"
            render={({ field }) => (
              <CodeEditor {...p} value={field.value} onChange={field.onChange} rows={16} />
            )}
          />
        )}
      </Field>
      <div className="grid-2">
        <Field label="Arguments" error={errors.arguments?.message} hint="One per line.">
          {(p) => <textarea {...p} {...register("arguments")} className="mono" rows={3} />}
        </Field>
        <Field
          label="Environment"
          error={errors.environment?.message}
          hint="NAME=value, one per line."
        >
          {(p) => (
            <textarea
              {...p}
              {...register("environment", {
                validate: (v) => parseEnvironment(v).error ?? true,
              })}
              className="mono"
              rows={3}
            />
          )}
        </Field>
      </div>
    </>
  );
}

/** How it runs and what it keeps: timeout, log policy, result patterns. */
export function RunOptionsFields({ form }: { form: UseFormReturn<JobForm> }) {
  const { register, formState } = form;
  const errors = formState.errors;
  return (
    <div className="grid-3">
      <Field
        label="Timeout (seconds)"
        error={errors.timeout_seconds?.message}
        hint="Empty: no limit."
      >
        {(p) => (
          <input
            {...p}
            {...register("timeout_seconds", {
              validate: (v) => v.trim() === "" || /^\d+$/.test(v.trim()) || "Whole seconds.",
            })}
            inputMode="numeric"
          />
        )}
      </Field>
      <Field label="Log policy" error={errors.log_policy?.message}>
        {(p) => (
          <select {...p} {...register("log_policy")}>
            <option value="live">Live: stream and keep every byte</option>
            <option value="total">Total: keep the output when the job ends</option>
            <option value="none">None: keep no output</option>
          </select>
        )}
      </Field>
      <Field
        label="Result patterns"
        error={errors.result_patterns?.message}
        hint="Globs, one per line; !glob excludes; last match wins."
      >
        {(p) => <textarea {...p} {...register("result_patterns")} className="mono" rows={3} />}
      </Field>
    </div>
  );
}
