import { describe, expect, it } from "vitest";
import { defaultAxes, delimiterFor, parseTable } from "./parseTable";

describe("parseTable", () => {
  it("reads whitespace columns named by the last comment", () => {
    const t = parseTable(
      "# reflectivity\n# Q R dR\n0.01 1.0 0.1\n\n0.02   0.5\t0.05\n",
      "whitespace",
    );
    expect(t.columns).toEqual(["Q", "R", "dR"]);
    expect(t.rows).toBe(2);
    expect(Array.from(t.data[0] ?? [])).toEqual([0.01, 0.02]);
    expect(Array.from(t.data[2] ?? [])).toEqual([0.1, 0.05]);
    expect(defaultAxes(t)).toEqual({ x: 0, ys: [1], err: 2 });
  });

  it("takes a header row, NaN for gaps and padding for ragged rows", () => {
    const t = parseTable('step,"loss",acc\n1,0.5,NaN\n2,,0.7\n3\n4,0.1,0.9,42\n', ",");
    expect(t.columns).toEqual(["step", "loss", "acc", "column 4"]);
    expect(t.rows).toBe(4);
    expect(Array.from(t.data[1] ?? [])).toEqual([0.5, Number.NaN, Number.NaN, 0.1]);
    expect(Array.from(t.data[2] ?? [])).toEqual([Number.NaN, 0.7, Number.NaN, 0.9]);
    expect(Array.from(t.data[3] ?? [])).toEqual([Number.NaN, Number.NaN, Number.NaN, 42]);
  });

  it("ignores a comment that does not match the row width, and CRLF", () => {
    const t = parseTable("# made by fit v2\r\n1\t2\r\n3\t4\r\n", "\t");
    expect(t.columns).toEqual(["column 1", "column 2"]);
    expect(Array.from(t.data[1] ?? [])).toEqual([2, 4]);
  });

  it("knows the delimiter from the name", () => {
    expect(delimiterFor("out/a.CSV")).toBe(",");
    expect(delimiterFor("b.tsv")).toBe("\t");
    expect(delimiterFor("c.dat")).toBe("whitespace");
  });

  it("parses a million rows", () => {
    const lines = ["# x y"];
    for (let i = 0; i < 1_000_000; i++) lines.push(`${i} ${i * 0.5}`);
    const t = parseTable(lines.join("\n"), "whitespace");
    expect(t.rows).toBe(1_000_000);
    expect(t.data[1]?.[999_999]).toBe(499_999.5);
    expect(t.columns).toEqual(["x", "y"]);
  });
});
