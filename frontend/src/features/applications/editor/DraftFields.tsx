import type { ReactNode } from "react";
import type { Interpreter, Server } from "../../../api/client";
import { CodeEditor } from "../../../components/CodeEditor";
import { Field } from "../../../components/Field";
import type { Draft } from "./applicationDraft";

/** What each group of the editor's fields gets: the draft, a setter, the errors. */
interface DraftProps {
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
  errors: Record<string, string>;
}

/** Name, title and description: what users see in the list. */
export function IdentityFields({ draft, set, errors }: DraftProps) {
  return (
    <>
      <div className="grid-2">
        <Field label="Name" error={errors.name} hint="A slug: letters, digits, - and _.">
          {(p) => <input {...p} value={draft.name} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <Field label="Title" error={errors.title}>
          {(p) => (
            <input {...p} value={draft.title} onChange={(e) => set("title", e.target.value)} />
          )}
        </Field>
      </div>
      <DraftText
        {...{ draft, set, errors }}
        name="description"
        label="Description"
        rows={3}
        mono={false}
      >
        Markdown.
      </DraftText>
    </>
  );
}

/** What runs: interpreter, timeout, program, arguments and environment. */
export function ProgramFields({
  draft,
  set,
  errors,
  interpreters,
}: DraftProps & { interpreters: Interpreter[] }) {
  return (
    <>
      <div className="grid-2">
        <Field label="Interpreter" error={errors.interpreter}>
          {(p) => (
            <select
              {...p}
              value={draft.interpreter}
              onChange={(e) => set("interpreter", e.target.value)}
            >
              <option value="">Choose…</option>
              {interpreters.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Timeout (seconds)" error={errors.timeout_seconds} hint="Empty: no limit.">
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={draft.timeout_seconds}
              onChange={(e) => set("timeout_seconds", e.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Program" error={errors.program}>
        {(p) => (
          <CodeEditor
            {...p}
            value={draft.program}
            onChange={(v: string) => set("program", v)}
            rows={10}
          />
        )}
      </Field>
      <div className="grid-2">
        <DraftText {...{ draft, set, errors }} name="arguments" label="Arguments" rows={4}>
          {"One per line; {name} is a parameter's value, {{ and }} are braces."}
        </DraftText>
        <DraftText {...{ draft, set, errors }} name="environment" label="Environment" rows={4}>
          NAME=value, one per line.
        </DraftText>
      </div>
    </>
  );
}

/** The parameters as a JSON Schema; `schemaError` is the draft's own (not JSON). */
export function ParametersField({
  draft,
  set,
  errors,
  schemaError,
}: DraftProps & { schemaError: string | null }) {
  return (
    <DraftText
      {...{ draft, set, errors }}
      name="parameters"
      label="Parameters (JSON Schema)"
      error={errors.parameters ?? schemaError ?? undefined}
      rows={12}
    >
      string, integer, number, boolean; enum, minimum, maximum, pattern, default; "format": "file"
      for an input file.
    </DraftText>
  );
}

/** Result patterns, the servers it may run on, and whether users see it. */
export function AvailabilityFields({
  draft,
  set,
  errors,
  servers,
}: DraftProps & { servers: Server[] }) {
  return (
    <>
      <div className="grid-2">
        <DraftText
          {...{ draft, set, errors }}
          name="result_patterns"
          label="Result patterns"
          rows={2}
        >
          Globs, one per line.
        </DraftText>
        <fieldset className="field">
          <legend>Servers (none checked: any)</legend>
          {servers.map((s) => (
            <label key={s.id} className="log-option">
              <input
                type="checkbox"
                checked={draft.servers.includes(s.id)}
                onChange={(e) =>
                  set(
                    "servers",
                    e.target.checked
                      ? [...draft.servers, s.id]
                      : draft.servers.filter((x) => x !== s.id),
                  )
                }
              />
              {s.name}
            </label>
          ))}
          {errors.servers && <small className="field-error">{errors.servers}</small>}
        </fieldset>
      </div>
      <label className="log-option">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(e) => set("enabled", e.target.checked)}
        />
        Enabled (users see and launch it)
      </label>
    </>
  );
}

type TextKey = { [K in keyof Draft]: Draft[K] extends string ? K : never }[keyof Draft];

/** A textarea for one of the draft's text fields (monospace unless `mono` is false). */
function DraftText({
  draft,
  set,
  errors,
  name,
  label,
  error = errors[name],
  children: hint,
  rows,
  mono = true,
}: DraftProps & {
  name: TextKey;
  label: string;
  error?: string | undefined;
  /** The hint under the field. */
  children?: ReactNode;
  rows: number;
  mono?: boolean;
}) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(p) => (
        <textarea
          {...p}
          className={mono ? "mono" : undefined}
          rows={rows}
          value={draft[name]}
          onChange={(e) => set(name, e.target.value)}
        />
      )}
    </Field>
  );
}
