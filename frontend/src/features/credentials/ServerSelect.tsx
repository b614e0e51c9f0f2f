import type { UseFormRegisterReturn } from "react-hook-form";
import type { Server } from "../../api/client";
import { ServerOptions } from "../../components/ChoiceOptions";
import { Field } from "../../components/Field";

/** The server a credential is for. */
export function ServerSelect({
  servers,
  field,
  error,
}: {
  servers: Server[];
  field: UseFormRegisterReturn;
  error?: string | undefined;
}) {
  return (
    <Field label="Server" error={error}>
      {(p) => (
        <select {...p} {...field}>
          <ServerOptions servers={servers} />
        </select>
      )}
    </Field>
  );
}
