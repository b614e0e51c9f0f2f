import type { Result } from "../../api/client";

/** Text files up to 256 KiB and images up to 4 MiB preview in the page; the rest download. */
export const TEXT_PREVIEW_BYTES = 256 * 1024;
export const IMAGE_PREVIEW_BYTES = 4 * 1024 * 1024;

const TEXT = /\.(txt|log|out|err|csv|tsv|json|ya?ml|md|ini|cfg|conf|toml|xml|py|sh|dat)$/i;
const IMAGE = /\.(png|jpe?g|gif|webp|svg)$/i;

export function previewKind(result: Pick<Result, "path" | "size">): "text" | "image" | null {
  if (TEXT.test(result.path) && result.size <= TEXT_PREVIEW_BYTES) return "text";
  if (IMAGE.test(result.path) && result.size <= IMAGE_PREVIEW_BYTES) return "image";
  return null;
}
