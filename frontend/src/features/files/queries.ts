// The files feature's queries and its one upload call (XMLHttpRequest: fetch cannot
// report upload progress).
import type { QueryClient } from "@tanstack/react-query";
import { $api, readCookie, type Schemas } from "../../api/client";

export type StoredFile = Schemas["File"];

export const fileQueries = {
  list: () => $api.queryOptions("get", "/api/files/", { params: { query: { page_size: 200 } } }),
};

export const fileInvalidation = {
  list: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: fileQueries.list().queryKey.slice(0, 2) }),
};

/** POST one file to /api/files/; `onProgress` gets the share sent (0..1). */
export function uploadFile(
  file: File,
  onProgress: (share: number) => void,
  signal?: AbortSignal,
): Promise<StoredFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/files/");
    const token = readCookie("csrftoken");
    if (token) xhr.setRequestHeader("X-CSRFToken", token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201) {
        onProgress(1);
        resolve(body as StoredFile);
        return;
      }
      const detail = (body as { detail?: unknown; file?: unknown } | null)?.detail;
      reject(
        new Error(typeof detail === "string" ? detail : `Upload failed (HTTP ${xhr.status}).`),
      );
    };
    xhr.onerror = () => reject(new Error("Upload failed: the server could not be reached."));
    xhr.onabort = () => reject(new Error("Upload cancelled."));
    signal?.addEventListener("abort", () => xhr.abort());
    const body = new FormData();
    body.append("file", file, file.name);
    xhr.send(body);
  });
}
