import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { $api, type Interpreter } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { serverInvalidation, serverQueries } from "./queries";

interface InterpreterValues {
  name: string;
  path: string;
  /** One entry per argv item: spaces and quotes stay inside an argument. */
  arguments: { value: string }[];
  /** New interpreters only: the servers to offer it on (ids), ticked in the same step. */
  servers?: string[];
}

const FIELDS = ["name", "path", "arguments"] as const;

/** Interpreters that run a program file as DRS passes it (path, arguments, the file). */
const PRESETS: InterpreterValues[] = [
  { name: "python3", path: "/usr/bin/env", arguments: [{ value: "python3" }, { value: "-u" }] },
  { name: "bash", path: "/usr/bin/env", arguments: [{ value: "bash" }] },
  { name: "Rscript", path: "/usr/bin/env", arguments: [{ value: "Rscript" }] },
];
const EMPTY: InterpreterValues = { name: "", path: "", arguments: [] };

/** Add an interpreter, or edit one; its arguments are a list, one argument per box. */
export function InterpreterForm({
  interpreter,
  onDone,
}: {
  interpreter?: Interpreter;
  onDone?: () => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const [general, setGeneral] = useState<string[]>([]);
  const defaults: InterpreterValues = interpreter
    ? {
        name: interpreter.name,
        path: interpreter.path,
        arguments: (interpreter.arguments ?? []).map((value) => ({ value })),
      }
    : EMPTY;
  const { register, control, handleSubmit, setError, reset, formState } =
    useForm<InterpreterValues>({ defaultValues: defaults });
  const args = useFieldArray({ control, name: "arguments" });
  const errors = formState.errors;
  const onError = (error: unknown) => setGeneral(applyApiErrors(error, FIELDS, setError));
  const onSuccess = () => {
    void serverInvalidation.interpreters(queryClient);
    if (!interpreter) reset(EMPTY);
    onDone?.();
  };
  const servers = useQuery({ ...serverQueries.servers(), enabled: !interpreter });
  const chosenServers = useRef<string[]>([]);
  const offer = $api.useMutation("patch", "/api/servers/{id}/");
  const create = $api.useMutation("post", "/api/interpreters/", {
    onSuccess: async (created) => {
      const chosen = new Set(chosenServers.current);
      try {
        for (const s of servers.data?.results ?? []) {
          if (!chosen.has(String(s.id))) continue;
          const ids = [...(s.interpreters ?? []), created.id];
          await offer.mutateAsync({ params: { path: { id: s.id } }, body: { interpreters: ids } });
        }
      } catch (error) {
        onError(error);
      }
      onSuccess();
    },
    onError,
  });
  const update = $api.useMutation("put", "/api/interpreters/{id}/", { onSuccess, onError });
  const label = interpreter ? `Edit interpreter ${interpreter.name}` : "Add interpreter";

  const submit = handleSubmit((v) => {
    setGeneral([]);
    const body = { name: v.name, path: v.path, arguments: v.arguments.map((a) => a.value) };
    // With a single checkbox, react-hook-form gives its value or false, not a list.
    const picked: unknown = v.servers ?? [];
    chosenServers.current = (Array.isArray(picked) ? picked : [picked]).filter(
      (s): s is string => typeof s === "string",
    );
    if (interpreter) update.mutate({ params: { path: { id: interpreter.id } }, body });
    else create.mutate({ body });
  });

  return (
    <form className="form interpreter-form" noValidate aria-label={label} onSubmit={submit}>
      <FormErrors messages={general} />
      {!interpreter && (
        <div className="row-line">
          <span className="muted small">Presets:</span>
          {PRESETS.map((p) => (
            <button key={p.name} type="button" className="btn small" onClick={() => reset(p)}>
              {[p.path, ...p.arguments.map((a) => a.value)].join(" ").replace("/usr/bin/env ", "")}
            </button>
          ))}
        </div>
      )}
      <p className="muted small">
        DRS runs <code>path arguments… program-file job-arguments…</code>: the program file is
        appended, so the interpreter must be a program that runs a file (not{" "}
        <code>/usr/bin/env</code> alone).
      </p>
      <div className="grid-2">
        <Field label="Name" error={errors.name?.message}>
          {(p) => <input {...p} {...register("name")} placeholder="python3" />}
        </Field>
        <Field label="Path" error={errors.path?.message}>
          {(p) => (
            <input {...p} {...register("path")} className="mono" placeholder="/usr/bin/env" />
          )}
        </Field>
      </div>
      <fieldset className={`field${errors.arguments ? " has-error" : ""}`}>
        <legend>Arguments</legend>
        <small className="hint">One argument per box, passed as is (no shell splitting).</small>
        {args.fields.map((field, i) => (
          <div key={field.id} className="arg-row">
            <label className="visually-hidden" htmlFor={`${id}-arg-${i}`}>
              Argument {i + 1}
            </label>
            <input
              id={`${id}-arg-${i}`}
              className="mono"
              {...register(`arguments.${i}.value` as const)}
            />
            <button
              type="button"
              className="btn ghost small"
              aria-label={`Remove argument ${i + 1}`}
              onClick={() => args.remove(i)}
            >
              ✕
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="btn small" onClick={() => args.append({ value: "" })}>
            Add argument
          </button>
        </div>
        {errors.arguments && (
          <small className="field-error" role="alert">
            {errors.arguments.message ?? errors.arguments.root?.message}
          </small>
        )}
      </fieldset>
      {!interpreter && (servers.data?.results ?? []).length > 0 && (
        <fieldset className="field">
          <legend>Offer it on</legend>
          <div className="row-line">
            {(servers.data?.results ?? []).map((s) => (
              <label key={s.id} className="log-option">
                <input type="checkbox" value={String(s.id)} {...register("servers")} />
                {s.name}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <FormFooter
        submit={interpreter ? "Save interpreter" : "Add interpreter"}
        primary={false}
        onCancel={onDone}
      />
    </form>
  );
}
