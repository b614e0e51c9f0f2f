// Sweep mode: the values a parameter takes, typed by its schema and checked in the API's
// words, and how many jobs the combinations make.
import { type PropertySchema, show } from "./schemaForm";

export interface Parsed {
  values: unknown[];
  errors: string[];
}

export function parseValues(prop: PropertySchema, text: string): Parsed {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  const values: unknown[] = [];
  const errors: string[] = [];
  for (const item of items) {
    const [value, error] = typed(prop, item);
    if (error) {
      errors.push(`${item}: ${error}`);
      continue;
    }
    const problem = check(prop, value);
    if (problem) errors.push(`${show(value)}: ${problem}`);
    else values.push(value);
  }
  if (!items.length) errors.push("List at least one value, separated by commas.");
  return { values, errors };
}

function typed(prop: PropertySchema, item: string): [unknown, string | null] {
  if (prop.type === "integer") {
    return /^-?\d+$/.test(item) ? [Number(item), null] : [null, "Must be an integer."];
  }
  if (prop.type === "number") {
    const n = Number(item);
    return Number.isFinite(n) ? [n, null] : [null, "Must be a number."];
  }
  if (prop.type === "boolean") {
    if (item === "true" || item === "false") return [item === "true", null];
    return [null, "Must be true or false."];
  }
  return [item, null];
}

function check(prop: PropertySchema, value: unknown): string | null {
  if (prop.enum && !prop.enum.includes(value)) {
    return `Must be one of: ${prop.enum.map(show).join(", ")}.`;
  }
  if (typeof value === "number") {
    if (prop.minimum != null && value < prop.minimum) return `Must be at least ${prop.minimum}.`;
    if (prop.maximum != null && value > prop.maximum) return `Must be at most ${prop.maximum}.`;
  }
  if (typeof value === "string" && prop.pattern && !new RegExp(prop.pattern, "u").test(value)) {
    return `Must match the pattern ${prop.pattern}.`;
  }
  return null;
}

export function jobCount(lists: readonly unknown[][]): number {
  return lists.length ? lists.reduce((n, list) => n * list.length, 1) : 0;
}
