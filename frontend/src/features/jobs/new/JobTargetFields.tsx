import type { UseFormReturn } from "react-hook-form";
import { Link } from "react-router";
import { CredentialOptions } from "../../../components/ChoiceOptions";
import { Field } from "../../../components/Field";
import type { JobForm } from "./jobForm";
import type { JobTarget } from "./useJobTarget";

/** Server, credential and interpreter: each select offers only what fits the server. */
export function JobTargetFields({
  form,
  target,
}: {
  form: UseFormReturn<JobForm>;
  target: JobTarget;
}) {
  const { register, formState } = form;
  const errors = formState.errors;
  const { server, enabledServers, selectedServer, serverCredentials, serverInterpreters } = target;
  return (
    <div className="grid-3">
      <Field
        label="Server"
        error={errors.server?.message}
        hint={
          enabledServers.length === 0 ? (
            <>
              No server yet: <Link to="/servers">add one on the Servers page</Link> (staff).
            </>
          ) : undefined
        }
      >
        {(p) => (
          <select {...p} {...register("server", { required: "Choose a server." })}>
            <option value="">Choose…</option>
            {enabledServers.map((s) => (
              <option key={s.id} value={s.id} disabled={!s.host_key && s.kind !== "local"}>
                {s.name}
                {!s.host_key && s.kind !== "local" ? " (host key not pinned)" : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Credential"
        error={errors.credential?.message}
        hint={
          server && target.credentialsLoaded && serverCredentials.length === 0 ? (
            <>
              None for this server yet: <Link to="/credentials">add one</Link>.
            </>
          ) : undefined
        }
      >
        {(p) => (
          <select
            {...p}
            {...register("credential", {
              required: "Choose a credential (add one on the Credentials page).",
            })}
          >
            <CredentialOptions credentials={serverCredentials} />
          </select>
        )}
      </Field>
      <Field
        label="Interpreter"
        error={errors.interpreter?.message}
        hint={
          selectedServer && serverInterpreters.length === 0 ? (
            <>
              This server offers none yet: staff tick them on the{" "}
              <Link to="/servers">Servers page</Link> (Edit).
            </>
          ) : undefined
        }
      >
        {(p) => (
          <select {...p} {...register("interpreter", { required: "Choose an interpreter." })}>
            <option value="">Choose…</option>
            {serverInterpreters.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
