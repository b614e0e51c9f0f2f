import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { $api, type Interpreter, type Schemas, type Server } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { ResourcesFields } from "../jobs/ResourcesFields";
import { type ResourceValues, resourcesBody, resourcesValues } from "../jobs/resources";
import { serverInvalidation } from "./queries";

interface ServerValues {
  name: string;
  kind: Schemas["ServerKindEnum"];
  hostname: string;
  port: string;
  jobs_directory: string;
  interpreters: string[];
  max_concurrent_jobs: string;
  enabled: boolean;
  scheduler: Schemas["SchedulerEnum"];
  default_resources: ResourceValues;
}

const FIELDS = [
  "name",
  "kind",
  "hostname",
  "port",
  "jobs_directory",
  "interpreters",
  "max_concurrent_jobs",
  "enabled",
  "scheduler",
  "default_resources",
] as const;

export function ServerForm({
  server,
  interpreters,
  onDone,
}: {
  server?: Server;
  interpreters: Interpreter[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [general, setGeneral] = useState<string[]>([]);
  const { register, handleSubmit, setError, clearErrors, watch, formState } = useForm<ServerValues>(
    {
      defaultValues: {
        name: server?.name ?? "",
        kind: server?.kind ?? "ssh",
        hostname: server?.hostname ?? "",
        port: String(server?.port ?? 22),
        jobs_directory: server?.jobs_directory ?? ".drs/jobs",
        interpreters: (server?.interpreters ?? []).map(String),
        max_concurrent_jobs: String(server?.max_concurrent_jobs ?? 4),
        enabled: server?.enabled ?? true,
        scheduler: server?.scheduler ?? "direct",
        default_resources: resourcesValues(server?.default_resources),
      },
    },
  );
  const errors = formState.errors;
  const kind = watch("kind");
  const scheduler = watch("scheduler");
  const onError = (error: unknown) => setGeneral(applyApiErrors(error, FIELDS, setError));
  const onSuccess = () => {
    void serverInvalidation.servers(queryClient);
    onDone();
  };
  const create = $api.useMutation("post", "/api/servers/", { onSuccess, onError });
  const update = $api.useMutation("patch", "/api/servers/{id}/", { onSuccess, onError });

  const submit = handleSubmit((v) => {
    setGeneral([]);
    const body = {
      name: v.name,
      kind: v.kind,
      hostname: v.hostname,
      port: Number(v.port),
      // Blank means "the server's default" for a new server.
      ...(v.jobs_directory.trim() || server ? { jobs_directory: v.jobs_directory.trim() } : {}),
      interpreters: v.interpreters.map(Number),
      max_concurrent_jobs: Number(v.max_concurrent_jobs),
      enabled: v.enabled,
      scheduler: v.scheduler,
      default_resources: v.scheduler === "direct" ? {} : resourcesBody(v.default_resources),
    };
    if (server) update.mutate({ params: { path: { id: server.id } }, body });
    else create.mutate({ body });
  });
  const pending = create.isPending || update.isPending;

  return (
    <form
      className="form"
      onSubmit={(e) => {
        // The API's error on the whole object belongs to no input: clear it by hand.
        clearErrors("default_resources");
        void submit(e);
      }}
      noValidate
      aria-label={server ? `Edit ${server.name}` : "Add server"}
    >
      <FormErrors messages={general} />
      <div className="grid-2">
        <Field label="Name" error={errors.name?.message}>
          {(p) => <input {...p} {...register("name")} />}
        </Field>
        <Field label="Kind" error={errors.kind?.message}>
          {(p) => (
            <select {...p} {...register("kind")}>
              <option value="ssh">SSH</option>
              <option value="local">Local (worker host)</option>
            </select>
          )}
        </Field>
      </div>
      {kind === "ssh" && (
        <div className="grid-2">
          <Field label="Hostname" error={errors.hostname?.message}>
            {(p) => <input {...p} {...register("hostname")} />}
          </Field>
          <Field label="Port" error={errors.port?.message}>
            {(p) => <input {...p} {...register("port")} inputMode="numeric" />}
          </Field>
        </div>
      )}
      <div className="grid-2">
        <Field
          label="Jobs directory"
          error={errors.jobs_directory?.message}
          hint="Relative paths start at the login home."
        >
          {(p) => <input {...p} {...register("jobs_directory")} className="mono" />}
        </Field>
        <Field label="Max concurrent jobs" error={errors.max_concurrent_jobs?.message}>
          {(p) => <input {...p} {...register("max_concurrent_jobs")} inputMode="numeric" />}
        </Field>
      </div>
      <Field
        label="Scheduler"
        error={errors.scheduler?.message}
        hint="Direct: a detached process on the host. Slurm: sbatch on a login node."
      >
        {(p) => (
          <select {...p} {...register("scheduler")}>
            <option value="direct">Direct</option>
            <option value="slurm">Slurm</option>
          </select>
        )}
      </Field>
      {scheduler !== "direct" && (
        <ResourcesFields
          legend="Default resources"
          hint="What a job asks for unless it says otherwise."
          field={(key) => register(`default_resources.${key}`)}
          error={errors.default_resources?.message}
        />
      )}
      <fieldset className={`field${errors.interpreters ? " has-error" : ""}`}>
        <legend>Interpreters</legend>
        <div className="checks">
          {interpreters.length === 0 && (
            <span className="muted small">No interpreters defined yet.</span>
          )}
          {interpreters.map((i) => (
            <label key={i.id} className="check">
              <input type="checkbox" value={String(i.id)} {...register("interpreters")} />
              {i.name}
            </label>
          ))}
        </div>
        {errors.interpreters && (
          <small className="field-error">{errors.interpreters.message}</small>
        )}
      </fieldset>
      <label className="check">
        <input type="checkbox" {...register("enabled")} /> Enabled
      </label>
      <FormFooter submit={server ? "Save" : "Add server"} disabled={pending} onCancel={onDone} />
    </form>
  );
}
