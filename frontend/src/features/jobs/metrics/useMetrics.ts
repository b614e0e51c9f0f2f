import { useEffect, useRef, useState } from "react";
import { ReconnectingSocket, wsUrl } from "../../../api/ws";
import { type MetricFrame, MetricStore } from "./metricStore";

// The log socket sends chunks with seq > `after`: past any seq, it sends metrics only.
const NO_LOG = "999999999999999999";

/**
 * A job's metric points, live: the log websocket's `metric` messages (every point after
 * `metrics_after`, stored ones first), resumed where it left off after a reconnect. The
 * view re-renders at most once per animation frame however fast points arrive.
 */
export function useMetrics(jobId: string): { store: MetricStore; version: number; ended: boolean } {
  const store = useRef(new MetricStore());
  const [version, setVersion] = useState(0);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    const s = new MetricStore();
    store.current = s;
    setVersion(0);
    setEnded(false);
    let frame = 0;
    const socket = new ReconnectingSocket({
      url: () => wsUrl(`/ws/jobs/${jobId}/logs/?after=${NO_LOG}&metrics_after=${s.last}`),
      onMessage: (message) => {
        const m = message as { type?: string } & Partial<MetricFrame>;
        if (m.type === "metric") {
          if (s.add(m as MetricFrame) && !frame) {
            frame = requestAnimationFrame(() => {
              frame = 0;
              setVersion(s.version);
            });
          }
        } else if (m.type === "end") {
          socket.close();
          setVersion(s.version);
          setEnded(true);
        }
      },
    });
    return () => {
      if (frame) cancelAnimationFrame(frame);
      socket.close();
    };
  }, [jobId]);
  return { store: store.current, version, ended };
}
