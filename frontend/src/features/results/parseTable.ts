// Numeric tables as scientists write them: CSV, TSV, or whitespace-separated columns
// (`.dat`, `.txt`) with `#` comments. The same rules as the server's down-sampling reader
// (backend/drs/jobs/tables.py), so a small file parsed here and a large one sampled there
// show the same columns.

export interface NumericTable {
  /** One name per column ("column 3" when the file names none). */
  columns: string[];
  /** Column-major values; NaN where a cell is missing or not a number. */
  data: Float64Array[];
  rows: number;
}

export type Delimiter = "," | "\t" | "whitespace";

export function delimiterFor(path: string): Delimiter {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return ",";
  if (lower.endsWith(".tsv")) return "\t";
  return "whitespace";
}

const MAX_COLUMNS = 64;
const WS = /\s+/;

function split(line: string, delimiter: Delimiter): string[] {
  if (delimiter === "whitespace") return line.trim().split(WS);
  return line.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, ""));
}

/** A cell as a number: NaN when empty or not numeric (so `NaN`, `-`, `n/a` all read as gaps). */
export function cellNumber(cell: string): number {
  if (cell === "") return Number.NaN;
  const n = Number(cell);
  return Number.isFinite(n) ? n : Number.NaN;
}

/**
 * Parse a numeric table. The last `#` comment before the first data row names the columns
 * when it has as many words as that row has cells; so does a first row with no number.
 * Blank lines are skipped, short rows padded with NaN, extra cells widen the table.
 */
export function parseTable(text: string, delimiter: Delimiter): NumericTable {
  let columns: string[] = [];
  let lastComment: string[] = [];
  // Growable columns: values land in chunks so 1 M rows cost no array of arrays.
  let cols: number[][] = [];
  let rows = 0;
  let start = 0;
  const length = text.length;
  while (start <= length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = length;
    const raw = text.slice(start, end);
    start = end + 1;
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#")) {
      lastComment = split(line.replace(/^#+/, "").trim(), delimiter);
      continue;
    }
    const cells = split(line, delimiter);
    if (cells.length > MAX_COLUMNS) cells.length = MAX_COLUMNS;
    if (rows === 0 && columns.length === 0) {
      if (cells.every((c) => Number.isNaN(cellNumber(c)))) {
        columns = cells;
        continue;
      }
      if (lastComment.length === cells.length) columns = lastComment;
    }
    while (cols.length < cells.length) {
      const filler: number[] = new Array(rows).fill(Number.NaN);
      cols.push(filler);
    }
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c] as number[];
      col.push(c < cells.length ? cellNumber(cells[c] as string) : Number.NaN);
    }
    rows++;
  }
  const width = Math.max(cols.length, columns.length);
  while (cols.length < width) cols.push(new Array(rows).fill(Number.NaN));
  const names = Array.from({ length: width }, (_, i) => columns[i] || `column ${i + 1}`);
  const data = cols.map((c) => Float64Array.from(c));
  cols = [];
  return { columns: names, data, rows };
}

/** A table from the server's down-sampled rows (`null` for a gap). */
export function tableFromRows(columns: string[], rows: (number | null)[][]): NumericTable {
  const data = columns.map((_, c) => {
    const col = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) col[r] = rows[r]?.[c] ?? Number.NaN;
    return col;
  });
  return { columns, data, rows: rows.length };
}

/** The columns best plotted first: x the first column, y the second, error the third
 * when its name says so (`dR`, `err`, `sigma`, `error`). */
export function defaultAxes(table: NumericTable): { x: number; ys: number[]; err: number | null } {
  const n = table.columns.length;
  if (n <= 1) return { x: -1, ys: n ? [0] : [], err: null };
  const third = table.columns[2] ?? "";
  const err = n >= 3 && /^(d|err|sigma|error|unc)/i.test(third) ? 2 : null;
  return { x: 0, ys: [1], err };
}
