import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { NumericTable } from "./parseTable";

const ROW_HEIGHT = 24;

/** Every row of a table, rendered only where visible (a million rows scroll smoothly). */
export function VirtualTable({ table }: { table: NumericTable }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: table.rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const template = `4rem repeat(${table.columns.length}, minmax(6rem, 1fr))`;
  return (
    <div className="virtual-table" data-testid="virtual-table">
      <div className="virtual-table-head mono small" style={{ gridTemplateColumns: template }}>
        <span>#</span>
        {table.columns.map((c, i) => (
          <span key={`${c}-${i}`}>{c}</span>
        ))}
      </div>
      <div ref={scroller} className="virtual-table-body" style={{ height: 320, overflow: "auto" }}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((row) => (
            <div
              key={row.key}
              className="virtual-table-row mono small"
              style={{
                position: "absolute",
                top: 0,
                transform: `translateY(${row.start}px)`,
                height: ROW_HEIGHT,
                width: "100%",
                display: "grid",
                gridTemplateColumns: template,
              }}
            >
              <span className="muted">{row.index + 1}</span>
              {table.data.map((col, c) => (
                <span key={table.columns[c] ?? c}>{formatCell(col[row.index])}</span>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

function formatCell(value: number | undefined): string {
  return value == null || Number.isNaN(value) ? "–" : String(value);
}
