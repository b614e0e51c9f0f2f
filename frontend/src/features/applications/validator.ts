// The launch form's validator: the JSON Schema subset an application may declare
// (backend applications/parameters.py), checked by plain code. AJV compiles schemas with
// `new Function`, which the SPA's Content-Security-Policy (no 'unsafe-eval') refuses.
// Messages are the API's own words, so the form reads the same before and after submitting.
import {
  type CustomValidator,
  createErrorHandler,
  type ErrorSchema,
  type ErrorTransformer,
  type FormContextType,
  type RJSFSchema,
  type RJSFValidationError,
  toErrorList,
  toErrorSchema,
  type UiSchema,
  unwrapErrorHandler,
  type ValidationData,
  type ValidatorType,
  validationDataMerge,
} from "@rjsf/utils";

type Values = Record<string, unknown>;
type Property = RJSFSchema;

export const TYPE_MESSAGES: Record<string, string> = {
  string: "Must be a string.",
  integer: "Must be an integer.",
  number: "Must be a number.",
  boolean: "Must be true or false.",
};

const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One value as the API writes it in messages and argv: booleans true/false. */
export function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function hasType(kind: unknown, value: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    default:
      return true; // the API refuses other types when the application is saved
  }
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value); // JSON Schema patterns are unanchored
  } catch {
    return true; // a pattern JavaScript cannot read is left to the API
  }
}

/** Why `value` does not fit one parameter's declaration ([] when it does), in the order
 * and words of the API's `value_errors`. */
export function valueErrors(prop: Property, value: unknown): string[] {
  const kind = prop.type;
  if (typeof kind === "string" && !hasType(kind, value)) return [TYPE_MESSAGES[kind] ?? ""];
  const errors: string[] = [];
  if (prop.enum && !prop.enum.some((choice) => choice === value)) {
    errors.push(`Must be one of: ${prop.enum.map(show).join(", ")}.`);
  }
  if (typeof value === "number") {
    if (prop.minimum != null && value < prop.minimum) {
      errors.push(`Must be at least ${show(prop.minimum)}.`);
    }
    if (prop.maximum != null && value > prop.maximum) {
      errors.push(`Must be at most ${show(prop.maximum)}.`);
    }
  }
  if (typeof value === "string" && prop.pattern != null && !matches(prop.pattern, value)) {
    errors.push(`Must match the pattern ${prop.pattern}.`);
  }
  if (!errors.length && prop.format === "file" && !FILE_ID.test(String(value))) {
    errors.push("Must be the id of an uploaded file.");
  }
  return errors;
}

function error(name: string, property: string, message: string): RJSFValidationError {
  return { name, property, message, stack: message, params: {}, schemaPath: "" };
}

/** Every error in a submission's values, as the API's `validate` finds them: unknown
 * names, missing required parameters (a default fills a missing value), bad values. */
export function formErrors(schema: RJSFSchema, formData: unknown): RJSFValidationError[] {
  if (typeof formData !== "object" || formData === null || Array.isArray(formData)) {
    return [error("type", ".", "Must be an object of parameter values.")];
  }
  const values = formData as Values;
  const properties = (schema.properties ?? {}) as Record<string, Property>;
  const required = schema.required ?? [];
  const errors = Object.keys(values)
    .filter((name) => !Object.hasOwn(properties, name))
    .map((name) => error("additionalProperties", `.${name}`, "Unknown parameter."));
  for (const [name, prop] of Object.entries(properties)) {
    const given = values[name];
    const value = given ?? prop.default;
    if (value == null) {
      if (required.includes(name)) {
        errors.push(error("required", `.${name}`, "This parameter is required."));
      }
      continue;
    }
    for (const message of valueErrors(prop, value)) {
      errors.push(error("value", `.${name}`, message));
    }
  }
  return errors;
}

function check(schema: RJSFSchema, value: unknown): RJSFValidationError[] {
  if (schema.type === "object") return formErrors(schema, value);
  return valueErrors(schema, value).map((message) => error("value", ".", message));
}

export class ParameterValidator<F extends FormContextType = FormContextType>
  implements ValidatorType<Values, RJSFSchema, F>
{
  validateFormData(
    formData: Values | undefined,
    schema: RJSFSchema,
    customValidate?: CustomValidator<Values, RJSFSchema, F>,
    transformErrors?: ErrorTransformer<Values, RJSFSchema, F>,
    uiSchema?: UiSchema<Values, RJSFSchema, F>,
  ): ValidationData<Values> {
    let errors = formErrors(schema, formData ?? {});
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    const data = { errors, errorSchema: toErrorSchema<Values>(errors) };
    if (!customValidate) return data;
    const handler = customValidate(formData, createErrorHandler<Values>(formData ?? {}), uiSchema);
    return validationDataMerge(data, unwrapErrorHandler(handler));
  }

  toErrorList(errorSchema?: ErrorSchema<Values>, fieldPath: string[] = []): RJSFValidationError[] {
    return toErrorList(errorSchema, fieldPath);
  }

  isValid(schema: RJSFSchema, formData: Values | undefined, _rootSchema: RJSFSchema): boolean {
    return check(schema, formData).length === 0;
  }

  rawValidation<Result = RJSFValidationError>(
    schema: RJSFSchema,
    formData?: Values,
  ): { errors?: Result[]; validationError?: Error } {
    const errors = check(schema, formData);
    return errors.length ? { errors: errors as Result[] } : {};
  }
}

export const validator = new ParameterValidator();
