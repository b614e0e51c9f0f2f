// A job's metric points, column by column, as charts want them.

export interface MetricFrame {
  type: "metric";
  n: number;
  time: string;
  values: Record<string, number>;
}

export class MetricStore {
  /** n of the last point held: where a reconnect resumes (`metrics_after`). */
  last = 0;
  count = 0;
  times: number[] = [];
  readonly columns = new Map<string, (number | null)[]>();
  /** Bumped on every change, so views can tell a new state from the old. */
  version = 0;
  /** Every point so far has a numeric `step` (kept here: a chart asks on every frame). */
  private stepEverywhere = true;

  add(frame: MetricFrame): boolean {
    if (frame.n <= this.last) return false; // already held (a resumed connection)
    this.last = frame.n;
    this.times.push(Date.parse(frame.time) / 1000);
    for (const [key, value] of Object.entries(frame.values)) {
      let column = this.columns.get(key);
      if (!column) {
        column = new Array<number | null>(this.count).fill(null);
        this.columns.set(key, column);
      }
      column.push(typeof value === "number" ? value : null);
    }
    if (typeof frame.values.step !== "number") this.stepEverywhere = false;
    this.count++;
    for (const column of this.columns.values()) {
      if (column.length < this.count) column.push(null);
    }
    this.version++;
    return true;
  }

  /** x for the charts: `step` when every point has one, else the time. */
  axis(): { label: string; values: number[]; time: boolean } {
    const step = this.columns.get("step");
    if (step && this.stepEverywhere) {
      return { label: "step", values: step as number[], time: false };
    }
    return { label: "time", values: this.times, time: true };
  }

  /** The metrics to chart: every key but the x axis. */
  metrics(): string[] {
    const x = this.axis().label;
    return [...this.columns.keys()].filter((k) => k !== x).sort();
  }
}
