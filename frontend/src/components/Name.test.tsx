import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Name, visibleBidi } from "./Name";

describe("Name", () => {
  it("shows bidi controls instead of obeying them", () => {
    expect(visibleBidi("\u202Egnp.exe")).toBe("<U+202E>gnp.exe");
    expect(visibleBidi("a\u2067b\u2069\u200Fc")).toBe("a<U+2067>b<U+2069><U+200F>c");
    expect(visibleBidi("plain name.png")).toBe("plain name.png");
    // Right-to-left letters themselves are text, not controls: kept as they are.
    expect(visibleBidi("تقرير.csv")).toBe("تقرير.csv");
  });

  it("isolates the name in a bdi element", () => {
    const { container } = render(<Name text={"\u202Egnp.exe"} />);
    const bdi = container.querySelector("bdi");
    expect(bdi?.textContent).toBe("<U+202E>gnp.exe");
  });
});
