import type { Result } from "../../api/client";

/** Text files up to 256 KiB and images up to 4 MiB preview in the page; the rest download. */
export const TEXT_PREVIEW_BYTES = 256 * 1024;
export const IMAGE_PREVIEW_BYTES = 4 * 1024 * 1024;

const TEXT = /\.(txt|log|out|err|csv|tsv|json|ya?ml|md|ini|cfg|conf|toml|xml|py|sh|dat)$/i;
const IMAGE = /\.(png|jpe?g|gif|webp|svg)$/i;

// Numeric tables plot at any size (large ones are down-sampled on the server); JSON
// shows as a tree up to 8 MiB.
const TABLE = /\.(csv|tsv|dat)$/i;
const JSON_FILE = /\.json$/i;
export const JSON_PREVIEW_BYTES = 8 * 1024 * 1024;

export type PreviewKind = "text" | "image" | "table" | "json";

export function previewKind(result: Pick<Result, "path" | "size">): PreviewKind | null {
  if (TABLE.test(result.path)) return "table";
  if (JSON_FILE.test(result.path) && result.size <= JSON_PREVIEW_BYTES) return "json";
  if (TEXT.test(result.path) && result.size <= TEXT_PREVIEW_BYTES) return "text";
  if (IMAGE.test(result.path) && result.size <= IMAGE_PREVIEW_BYTES) return "image";
  return null;
}
