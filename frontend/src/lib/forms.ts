// react-hook-form glue: API errors (through the one mapping in api/errors.ts) land on their
// fields with setError; the rest is returned for a banner.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { mapApiErrors } from "../api/errors";

export function applyApiErrors<T extends FieldValues>(
  error: unknown,
  fields: readonly Path<T>[],
  setError: UseFormSetError<T>,
): string[] {
  const mapped = mapApiErrors(error, fields);
  let first = true;
  for (const [field, message] of Object.entries(mapped.fields)) {
    setError(field as Path<T>, { type: "server", message }, { shouldFocus: first });
    first = false;
  }
  return mapped.general;
}
