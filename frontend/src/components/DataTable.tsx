import type { ReactNode } from "react";

/**
 * A table of rows with a header of column names; `actions` adds a last column for row
 * buttons, named for screen readers only. `card` frames it (not inside a card already).
 */
export function DataTable({
  columns,
  actions = false,
  card = true,
  className,
  label,
  children,
}: {
  columns: string[];
  actions?: boolean;
  card?: boolean;
  className?: string;
  /** The table's accessible name. */
  label?: string;
  children: ReactNode;
}) {
  return (
    <div className={card ? "table-wrap card" : "table-wrap"}>
      <table className={className ? `table ${className}` : "table"} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
