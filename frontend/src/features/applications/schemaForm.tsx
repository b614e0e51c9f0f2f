// The parameter form: @rjsf/core renders an application's JSON Schema, ./validator checks
// it in the browser with the same words the API answers with, and the server's own errors
// land on the same fields.
// Form's own module: the package index also exports a test registry that imports AJV.
import Form from "@rjsf/core/lib/components/Form.js";
import type { ErrorSchema, RJSFSchema, UiSchema } from "@rjsf/utils";
import type { ReactNode } from "react";
import { FileWidget } from "./FileWidget";
import { validator } from "./validator";

export type Values = Record<string, unknown>;
export type ParameterSchema = RJSFSchema & { properties?: Record<string, PropertySchema> };
export interface PropertySchema {
  type?: string;
  title?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export { show } from "./validator";

/** The API's `{"parameters": {"name": ["msg"]}}` as rjsf's error schema. */
export function parameterErrors(body: unknown): ErrorSchema | undefined {
  const errors = (body as { parameters?: unknown } | null)?.parameters;
  if (!errors || typeof errors !== "object" || Array.isArray(errors)) return undefined;
  const schema: Record<string, { __errors: string[] }> = {};
  for (const [name, messages] of Object.entries(errors as Record<string, unknown>)) {
    schema[name] = {
      __errors: Array.isArray(messages) ? messages.map(String) : [String(messages)],
    };
  }
  return schema as ErrorSchema;
}

export function uiSchemaFor(schema: ParameterSchema): UiSchema {
  const ui: UiSchema = { "ui:submitButtonOptions": { norender: true } };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.format === "file") ui[name] = { "ui:widget": FileWidget };
  }
  return ui;
}

/** The schema without the parameters that a sweep varies (they are listed apart). */
export function withoutVaried(schema: ParameterSchema, varied: readonly string[]): ParameterSchema {
  if (!varied.length) return schema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([name]) => !varied.includes(name)),
  );
  const required = ((schema.required as string[] | undefined) ?? []).filter(
    (name) => !varied.includes(name),
  );
  return { ...schema, properties, required };
}

/** The form keeps its own values (rjsf's state): `initial` fills it when it mounts (remount
 * with a new `key` to refill it); `onChange` reports each change, `onSubmit` the values
 * that passed validation. */
export function ParameterForm({
  schema,
  initial,
  onChange,
  onSubmit,
  extraErrors,
  children,
}: {
  schema: ParameterSchema;
  initial?: Values;
  onChange?: (values: Values) => void;
  onSubmit?: (values: Values) => void;
  extraErrors?: ErrorSchema | undefined;
  children?: ReactNode;
}) {
  return (
    <Form
      className="rjsf parameter-form"
      schema={schema}
      uiSchema={uiSchemaFor(schema)}
      {...(initial ? { formData: initial } : {})}
      validator={validator}
      showErrorList={false}
      noHtml5Validate
      {...(extraErrors ? { extraErrors } : {})}
      {...(onChange ? { onChange: (e) => onChange((e.formData ?? {}) as Values) } : {})}
      onSubmit={(e) => onSubmit?.((e.formData ?? {}) as Values)}
    >
      {children}
    </Form>
  );
}
