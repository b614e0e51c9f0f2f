// The parameter form: @rjsf/core renders an application's JSON Schema, AJV checks it in the
// browser with the same words the API answers with (messages below), and the server's
// own errors land on the same fields.
import Form from "@rjsf/core";
import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import type { ReactNode } from "react";
import { FileWidget } from "./FileWidget";

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const validator = customizeValidator({ customFormats: { file: UUID } });

const TYPE_MESSAGES: Record<string, string> = {
  string: "Must be a string.",
  integer: "Must be an integer.",
  number: "Must be a number.",
  boolean: "Must be true or false.",
};

/** One value as the API writes it in messages and argv: booleans true/false. */
export function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** AJV's messages in the API's words (backend applications/parameters.py). */
export function transformErrors(errors: RJSFValidationError[]): RJSFValidationError[] {
  return errors.map((error) => {
    const p = (error.params ?? {}) as Record<string, unknown>;
    const fallback = error.message ?? error.stack;
    const message: string = (() => {
      switch (error.name) {
        case "required":
          return "This parameter is required.";
        case "type":
          return TYPE_MESSAGES[String(p.type)] ?? fallback;
        case "enum":
          return `Must be one of: ${((p.allowedValues as unknown[]) ?? []).map(show).join(", ")}.`;
        case "minimum":
          return `Must be at least ${show(p.limit)}.`;
        case "maximum":
          return `Must be at most ${show(p.limit)}.`;
        case "pattern":
          return `Must match the pattern ${String(p.pattern)}.`;
        case "format":
          return p.format === "file" ? "Must be the id of an uploaded file." : fallback;
        default:
          return fallback;
      }
    })();
    return { ...error, message, stack: message };
  });
}

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
      transformErrors={transformErrors}
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
