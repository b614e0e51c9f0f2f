import { describe, expect, it } from "vitest";
import { indentText } from "./CodeEditor";

describe("indentText", () => {
  it("inserts four spaces at the caret", () => {
    expect(indentText("ab", 1, 1, false)).toEqual({ value: "a    b", start: 5, end: 5 });
  });
  it("indents every selected line", () => {
    const r = indentText("a\nb\nc", 0, 3, false);
    expect(r.value).toBe("    a\n    b\nc");
  });
  it("outdents", () => {
    const r = indentText("    a\n  b\nc", 0, 9, true);
    expect(r.value).toBe("a\nb\nc");
  });
});
