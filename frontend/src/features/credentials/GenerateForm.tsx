import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { $api, type Credential, type Server } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { credentialInvalidation } from "./queries";
import { ServerSelect } from "./ServerSelect";

interface GenerateValues {
  server: string;
  name: string;
  username: string;
  password: string;
}

const FIELDS = ["server", "name", "username", "password"] as const;

/** Create an ed25519 key and install it on the server with a one-time password. */
export function GenerateForm({ servers, onDone }: { servers: Server[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [general, setGeneral] = useState<string[]>([]);
  const [created, setCreated] = useState<Credential | null>(null);
  const { register, handleSubmit, setError, setValue, formState } = useForm<GenerateValues>({
    defaultValues: {
      server: servers.length === 1 ? String(servers[0]?.id) : "",
      name: "",
      username: "",
      password: "",
    },
  });
  const errors = formState.errors;
  const generate = $api.useMutation("post", "/api/credentials/generate/", {
    onSuccess: (data) => {
      setValue("password", "");
      setCreated(data);
      void credentialInvalidation.list(queryClient);
    },
    onError: (error) => setGeneral(applyApiErrors(error, FIELDS, setError)),
  });
  if (created) {
    return (
      <div className="ok-banner" role="status">
        <p>
          Key installed for <strong>{created.username}</strong>. Public key:
        </p>
        <code className="mono small pubkey-block">{created.public_key}</code>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );
  }
  const submit = handleSubmit((v) => {
    setGeneral([]);
    generate.mutate({
      body: { server: Number(v.server), username: v.username, name: v.name, password: v.password },
    });
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Generate and deploy a key">
      <p className="muted small">
        DRS creates an ed25519 key pair, logs in once with the password below to add the public key
        to
        <code> ~/.ssh/authorized_keys</code>, and forgets the password.
      </p>
      <FormErrors messages={general} />
      <div className="grid-2">
        <ServerSelect servers={servers} field={register("server")} error={errors.server?.message} />
        <Field label="Name" error={errors.name?.message} hint="Optional label.">
          {(p) => <input {...p} {...register("name")} />}
        </Field>
        <Field label="Username" error={errors.username?.message}>
          {(p) => <input {...p} {...register("username")} autoComplete="off" />}
        </Field>
        <Field
          label="One-time password"
          error={errors.password?.message}
          hint="Used once, never stored."
        >
          {(p) => <input {...p} {...register("password")} type="password" autoComplete="off" />}
        </Field>
      </div>
      <FormFooter
        submit={generate.isPending ? "Deploying…" : "Generate and deploy"}
        disabled={generate.isPending}
        onCancel={onDone}
      />
    </form>
  );
}
