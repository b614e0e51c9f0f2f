import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { $api, type Schemas, type Server } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { credentialInvalidation } from "./queries";
import { ServerSelect } from "./ServerSelect";

interface CredentialValues {
  server: string;
  name: string;
  username: string;
  kind: Schemas["CredentialKindEnum"];
  private_key: string;
  passphrase: string;
  password: string;
}

const FIELDS = [
  "server",
  "name",
  "username",
  "kind",
  "private_key",
  "passphrase",
  "password",
] as const;

/** Add a credential: a private key (with optional passphrase) or a password. */
export function CredentialForm({ servers, onDone }: { servers: Server[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [general, setGeneral] = useState<string[]>([]);
  const { register, handleSubmit, setError, watch, formState } = useForm<CredentialValues>({
    defaultValues: {
      server: servers.length === 1 ? String(servers[0]?.id) : "",
      name: "",
      username: "",
      kind: "key",
      private_key: "",
      passphrase: "",
      password: "",
    },
  });
  const errors = formState.errors;
  const kind = watch("kind");
  const create = $api.useMutation("post", "/api/credentials/", {
    onSuccess: () => {
      void credentialInvalidation.list(queryClient);
      onDone();
    },
    onError: (error) => setGeneral(applyApiErrors(error, FIELDS, setError)),
  });
  const submit = handleSubmit((v) => {
    setGeneral([]);
    create.mutate({
      body: {
        server: Number(v.server),
        name: v.name,
        username: v.username,
        kind: v.kind,
        ...(v.kind === "key"
          ? { private_key: v.private_key, passphrase: v.passphrase }
          : { password: v.password }),
      },
    });
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Add credential">
      <FormErrors messages={general} />
      <div className="grid-3">
        <ServerSelect servers={servers} field={register("server")} error={errors.server?.message} />
        <Field label="Username" error={errors.username?.message}>
          {(p) => <input {...p} {...register("username")} autoComplete="off" />}
        </Field>
        <Field label="Name" error={errors.name?.message} hint="Optional label.">
          {(p) => <input {...p} {...register("name")} />}
        </Field>
      </div>
      <fieldset className="field">
        <legend>Kind</legend>
        <div className="checks">
          <label className="check">
            <input type="radio" value="key" {...register("kind")} /> Private key
          </label>
          <label className="check">
            <input type="radio" value="password" {...register("kind")} /> Password
          </label>
        </div>
      </fieldset>
      {kind === "key" ? (
        <>
          <Field
            label="Private key"
            error={errors.private_key?.message}
            hint="OpenSSH or PEM text."
          >
            {(p) => (
              <textarea
                {...p}
                {...register("private_key")}
                className="mono"
                rows={6}
                spellCheck={false}
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              />
            )}
          </Field>
          <Field
            label="Passphrase"
            error={errors.passphrase?.message}
            hint="Only if the key has one."
          >
            {(p) => <input {...p} {...register("passphrase")} type="password" autoComplete="off" />}
          </Field>
        </>
      ) : (
        <Field label="Password" error={errors.password?.message}>
          {(p) => (
            <input {...p} {...register("password")} type="password" autoComplete="new-password" />
          )}
        </Field>
      )}
      <FormFooter submit={"Save credential"} disabled={create.isPending} onCancel={onDone} />
    </form>
  );
}
