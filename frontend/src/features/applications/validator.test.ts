import type { RJSFSchema } from "@rjsf/utils";
import { describe, expect, it } from "vitest";
import { validator } from "./validator";

const SCHEMA: RJSFSchema = {
  type: "object",
  properties: {
    label: { type: "string", pattern: "^[a-z ]+$" },
    count: { type: "integer", minimum: 1, maximum: 10 },
    q: { type: "number", minimum: 0, maximum: 1, default: 0.5 },
    model: { type: "string", enum: ["one", "two"], default: "one" },
    verbose: { type: "boolean" },
    data: { type: "string", format: "file" },
  },
  required: ["label", "data"],
};
const FILE = "0b7c6a3e-8a45-4c1e-9f0e-2f6d1d7b9a10";
const VALID = { label: "a b", data: FILE };

/** The messages by parameter name, as the form shows them. */
function messages(formData: Record<string, unknown>): Record<string, string[] | undefined> {
  const { errorSchema } = validator.validateFormData(formData, SCHEMA);
  return Object.fromEntries(
    Object.entries(errorSchema).map(([name, entry]) => [
      name,
      (entry as { __errors?: string[] }).__errors,
    ]),
  );
}

describe("ParameterValidator", () => {
  it("accepts valid values, defaults filling what is missing", () => {
    const result = validator.validateFormData(
      { ...VALID, count: 10, q: 0, verbose: false },
      SCHEMA,
    );
    expect(result.errors).toEqual([]);
    expect(validator.isValid(SCHEMA, VALID, SCHEMA)).toBe(true);
  });

  it("asks for required parameters in the API's words", () => {
    expect(messages({ label: null })).toEqual({
      label: ["This parameter is required."],
      data: ["This parameter is required."],
    });
  });

  it("names the expected type", () => {
    expect(messages({ ...VALID, label: 3, count: 1.5, q: "x", verbose: "yes" })).toEqual({
      label: ["Must be a string."],
      count: ["Must be an integer."],
      q: ["Must be a number."],
      verbose: ["Must be true or false."],
    });
    expect(messages({ ...VALID, count: true })).toEqual({ count: ["Must be an integer."] });
  });

  it("checks bounds, choices and patterns", () => {
    expect(messages({ ...VALID, count: 0, q: 1.5, model: "three", label: "A" })).toEqual({
      label: ["Must match the pattern ^[a-z ]+$."],
      count: ["Must be at least 1."],
      q: ["Must be at most 1."],
      model: ["Must be one of: one, two."],
    });
  });

  it("checks that a file parameter holds a file id", () => {
    expect(messages({ ...VALID, data: "notes.txt" })).toEqual({
      data: ["Must be the id of an uploaded file."],
    });
  });

  it("refuses names the schema does not declare", () => {
    expect(messages({ ...VALID, extra: 1 })).toEqual({ extra: ["Unknown parameter."] });
  });

  it("validates one parameter on its own (rjsf's isValid on a sub-schema)", () => {
    const q = (SCHEMA.properties as Record<string, RJSFSchema>).q as RJSFSchema;
    expect(validator.isValid(q, 0.2 as never, SCHEMA)).toBe(true);
    expect(validator.isValid(q, 2 as never, SCHEMA)).toBe(false);
    expect(validator.rawValidation(q, 2 as never).errors).toHaveLength(1);
  });

  it("applies transformErrors and customValidate like rjsf's own validators", () => {
    const result = validator.validateFormData(
      { ...VALID, count: 0 },
      SCHEMA,
      (formData, errors) => {
        if (formData?.label === "a b") errors.label?.addError("Taken.");
        return errors;
      },
      (errors) => errors.map((e) => ({ ...e, message: `! ${e.message}` })),
    );
    expect(result.errors.map((e) => e.message)).toEqual(["! Must be at least 1.", "Taken."]);
    expect(validator.toErrorList(result.errorSchema).map((e) => e.stack)).toEqual([
      ".count ! Must be at least 1.",
      ".label Taken.",
    ]);
  });
});
