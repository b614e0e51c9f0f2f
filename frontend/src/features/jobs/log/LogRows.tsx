import type { Virtualizer } from "@tanstack/react-virtual";
import { LogRow } from "./LogRow";
import type { LogController } from "./logController";

type Line = LogController["window"]["lines"][number];

/** The rendered slice of the log's window: only the rows in (or near) view. */
export function LogRows({
  virtualizer,
  lines,
  wrap,
  timestamps,
  highlight,
  query,
  onLink,
}: {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  lines: Line[];
  wrap: boolean;
  timestamps: boolean;
  highlight: number | null;
  query: string;
  onLink: (n: number) => void;
}) {
  const items = virtualizer.getVirtualItems();
  return (
    <div className="log-rows" style={{ height: virtualizer.getTotalSize() }}>
      <div
        className="log-rows-inner"
        style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}
      >
        {items.map((item) => {
          const line = lines[item.index];
          if (!line) return null;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={wrap ? virtualizer.measureElement : undefined}
            >
              <LogRow
                line={line}
                text={line.text}
                timestamps={timestamps}
                highlighted={highlight === line.n}
                query={query}
                onLink={onLink}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
