import { api, type Result } from "../../api/client";
import { delimiterFor, type NumericTable, parseTable, tableFromRows } from "./parseTable";

/** Files up to this size are read whole and parsed here; larger ones are down-sampled on
 * the server (the browser never downloads 500 MB to draw 2,000 pixels). */
export const CLIENT_PARSE_BYTES = 4 * 1024 * 1024;
export const SERVER_POINTS = 5000;

export interface LoadedTable {
  table: NumericTable;
  /** Data rows in the whole file (more than `table.rows` when sampled). */
  totalRows: number;
  sampled: boolean;
}

export async function loadTable(
  jobId: string,
  result: Pick<Result, "id" | "path" | "size" | "download_url">,
  signal?: AbortSignal,
  maxPoints: number = SERVER_POINTS,
): Promise<LoadedTable> {
  if (result.size <= CLIENT_PARSE_BYTES) {
    const response = await fetch(result.download_url, { credentials: "same-origin", signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const table = parseTable(await response.text(), delimiterFor(result.path));
    return { table, totalRows: table.rows, sampled: false };
  }
  const { data } = await api.GET("/api/jobs/{id}/results/{result_id}/table/", {
    params: { path: { id: jobId, result_id: result.id }, query: { max_points: maxPoints } },
    signal,
  });
  if (!data) throw new Error("no table");
  return {
    table: tableFromRows(data.columns, data.rows as (number | null)[][]),
    totalRows: data.total_rows,
    sampled: data.sampled,
  };
}
