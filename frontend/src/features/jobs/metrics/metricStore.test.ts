import { describe, expect, it } from "vitest";
import { MetricStore } from "./metricStore";

const point = (n: number, values: Record<string, number>) => ({
  type: "metric" as const,
  n,
  time: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  values,
});

describe("MetricStore", () => {
  it("keeps columns aligned, ignores repeats and charts against step", () => {
    const s = new MetricStore();
    expect(s.add(point(1, { step: 1, loss: 3 }))).toBe(true);
    expect(s.add(point(2, { step: 2, loss: 2, acc: 0.5 }))).toBe(true);
    expect(s.add(point(2, { step: 2, loss: 2 }))).toBe(false); // a resumed connection
    expect(s.add(point(3, { step: 3 }))).toBe(true);
    expect(s.count).toBe(3);
    expect(s.columns.get("loss")).toEqual([3, 2, null]);
    expect(s.columns.get("acc")).toEqual([null, 0.5, null]);
    expect(s.axis()).toEqual({ label: "step", values: [1, 2, 3], time: false });
    expect(s.metrics()).toEqual(["acc", "loss"]);
  });

  it("falls back to time when a point has no step", () => {
    const s = new MetricStore();
    s.add(point(1, { step: 1, loss: 3 }));
    s.add(point(2, { loss: 2 }));
    expect(s.axis().label).toBe("time");
    expect(s.metrics()).toEqual(["loss", "step"]);
  });
});
