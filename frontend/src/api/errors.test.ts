import { describe, expect, it } from "vitest";
import { ApiError, errorKind, errorMessage, mapApiErrors } from "./errors";

describe("mapApiErrors", () => {
  const fields = ["server", "program", "environment", "arguments", "timeout_seconds"] as const;

  it("puts field errors next to their fields", () => {
    const mapped = mapApiErrors(
      {
        program: ["This field may not be blank."],
        timeout_seconds: ["Ensure this value is greater than or equal to 1."],
      },
      fields,
    );
    expect(mapped.fields).toEqual({
      program: "This field may not be blank.",
      timeout_seconds: "Ensure this value is greater than or equal to 1.",
    });
    expect(mapped.general).toEqual([]);
  });

  it("flattens nested errors of dict and list fields", () => {
    const mapped = mapApiErrors(
      { environment: { "1BAD": ["Invalid name."] }, arguments: { "0": ["Not a valid string."] } },
      fields,
    );
    expect(mapped.fields.environment).toBe("1BAD: Invalid name.");
    expect(mapped.fields.arguments).toBe("0: Not a valid string.");
  });

  it("sends detail, non-field and unknown-field errors to the banner", () => {
    const mapped = mapApiErrors(
      {
        detail: "Not found.",
        non_field_errors: ["Server is disabled."],
        credential: ["Wrong server."],
      },
      fields,
    );
    expect(mapped.fields).toEqual({});
    expect(mapped.general).toEqual([
      "Not found.",
      "Server is disabled.",
      "credential: Wrong server.",
    ]);
  });

  it("copes with empty and odd bodies", () => {
    expect(mapApiErrors(undefined, fields).general.length).toBe(1);
    expect(mapApiErrors(["x", "y"], fields).general).toEqual(["x", "y"]);
    expect(errorMessage({ detail: "Nope." })).toBe("Nope.");
    expect(errorMessage(new Error("boom"))).toBe("boom");
  });
});

describe("errorKind", () => {
  it("tells not found, not allowed, offline and server errors apart", () => {
    expect(errorKind(new ApiError(404, { detail: "Not found." }))).toBe("not-found");
    expect(errorKind(new ApiError(403, { detail: "No." }))).toBe("forbidden");
    expect(errorKind(new ApiError(0, null))).toBe("offline");
    expect(errorKind(new ApiError(502, null))).toBe("server");
    expect(errorKind(new TypeError("Failed to fetch dynamically imported module: /x.js"))).toBe(
      "offline",
    );
    expect(errorKind(new Error("render bug"))).toBe("unexpected");
  });

  it("maps an ApiError's body onto fields like a plain body", () => {
    const mapped = mapApiErrors(new ApiError(400, { name: ["Taken."] }), ["name"]);
    expect(mapped.fields).toEqual({ name: "Taken." });
    expect(errorMessage(new ApiError(409, { detail: "Jobs use this server." }))).toBe(
      "Jobs use this server.",
    );
    expect(errorMessage(new ApiError(500, null))).toMatch(/server failed/);
  });
});
