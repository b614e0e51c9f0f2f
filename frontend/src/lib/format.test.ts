import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, parseEnvironment, parseLines } from "./format";

describe("format helpers", () => {
  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MiB");
  });
  it("formats durations", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(0.25)).toBe("250 ms");
    expect(formatDuration(75)).toBe("1 min 15 s");
  });
  it("parses environment lines", () => {
    expect(parseEnvironment("A=1\n\n# c\nB=x=y\n")).toEqual({ value: { A: "1", B: "x=y" } });
    expect(parseEnvironment("A=1\nnope").error).toBe("Line 2: write NAME=value.");
  });
  it("parses list lines", () => {
    expect(parseLines("a\n\n b \r\n")).toEqual(["a", " b "]);
  });
});
