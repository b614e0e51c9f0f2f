import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface PlotSeries {
  label: string;
  values: ArrayLike<number | null>;
  /** Half-widths of error bars, drawn as vertical lines around each point. */
  errors?: ArrayLike<number | null> | undefined;
}

export interface PlotProps {
  x: ArrayLike<number>;
  xLabel: string;
  series: PlotSeries[];
  logX?: boolean;
  logY?: boolean;
  /** x is seconds since the epoch: time ticks. */
  time?: boolean;
  height?: number;
  /** Draw points, not only lines (tables); a live metric draws lines. */
  points?: boolean;
  /** Join points across gaps (overlays whose x values differ from job to job). */
  spanGaps?: boolean;
  testId?: string;
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

/** Error bars: a vertical line per point, on the series' own scale. */
function errorBarsPlugin(errors: (ArrayLike<number | null> | undefined)[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        const xs = u.data[0];
        let drawn = 0;
        ctx.save();
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        errors.forEach((err, i) => {
          const ys = u.data[i + 1];
          if (!err || !ys || !u.series[i + 1]?.show) return;
          ctx.strokeStyle = COLORS[i % COLORS.length] as string;
          ctx.beginPath();
          const [first, last] = [
            u.series[0]?.idxs?.[0] ?? 0,
            u.series[0]?.idxs?.[1] ?? xs.length - 1,
          ];
          for (let j = first; j <= last; j++) {
            const x = xs[j];
            const y = ys[j];
            const e = err[j];
            if (x == null || y == null || e == null || !Number.isFinite(e)) continue;
            const cx = u.valToPos(x, "x", true);
            const lo = y - e;
            const top = u.valToPos(y + e, "y", true);
            // On a log axis a bar reaching zero or below runs to the plot's bottom.
            const bottom =
              lo > 0 || u.scales.y?.distr !== 3
                ? u.valToPos(lo, "y", true)
                : u.bbox.top + u.bbox.height;
            ctx.moveTo(cx, top);
            ctx.lineTo(cx, bottom);
            drawn++;
          }
          ctx.stroke();
        });
        ctx.restore();
        // What was drawn, for tests and the curious (a canvas has no DOM to inspect).
        u.root.dataset.errorBars = String(drawn);
      },
    },
  };
}

/**
 * A uPlot chart (canvas: 10^5-10^6 points stay interactive). Drag to zoom, double-click to
 * zoom out. Data changes update the chart in place; axis kinds rebuild it.
 */
export function Plot({
  x,
  xLabel,
  series,
  logX,
  logY,
  time,
  height = 260,
  points,
  spanGaps,
  testId,
}: PlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  // Set once the user drags a zoom; cleared by a double-click (uPlot's zoom-out).
  const zoomed = useRef(false);
  const labels = series.map((s) => s.label).join("\u0000");
  const hasErrors = series.some((s) => s.errors);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: {
        x: { time: Boolean(time), distr: logX ? 3 : 1 },
        y: { distr: logY ? 3 : 1 },
      },
      axes: [{ label: xLabel }, {}],
      series: [
        { label: xLabel },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length] as string,
          width: 1.5,
          points: { show: Boolean(points) },
          spanGaps: Boolean(spanGaps),
        })),
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSelect: [
          (u: uPlot) => {
            if (u.select.width > 0) zoomed.current = true;
          },
        ],
      },
      plugins: hasErrors ? [errorBarsPlugin(series.map((s) => s.errors))] : [],
    };
    const u = new uPlot(opts, toData(x, series, logX, logY), el);
    chart.current = u;
    zoomed.current = false;
    const unzoom = () => {
      zoomed.current = false;
    };
    el.addEventListener("dblclick", unzoom);
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      el.removeEventListener("dblclick", unzoom);
      u.destroy();
      chart.current = null;
    };
  }, [labels, logX, logY, time, height, xLabel, points, spanGaps, hasErrors]);

  useEffect(() => {
    const u = chart.current;
    if (!u) return;
    // A zoom the user chose stays while points keep arriving.
    u.setData(toData(x, series, logX, logY), !zoomed.current);
  }, [x, series, logX, logY]);

  return (
    <div
      ref={box}
      className="plot"
      data-testid={testId}
      data-log-x={Boolean(logX)}
      data-log-y={Boolean(logY)}
      data-points={x.length}
      data-series={series.length}
    />
  );
}

function toData(
  x: ArrayLike<number>,
  series: PlotSeries[],
  logX?: boolean,
  logY?: boolean,
): uPlot.AlignedData {
  // uPlot wants null for gaps; a log axis cannot show values <= 0.
  const clean = (v: ArrayLike<number | null>, log?: boolean) =>
    Array.from(v, (n) => (n == null || !Number.isFinite(n) || (log && n <= 0) ? null : n));
  const xs = Array.from(x, (n) => (logX && n <= 0 ? Number.NaN : n));
  return [xs, ...series.map((s) => clean(s.values, logY))] as uPlot.AlignedData;
}
