import type { WidgetProps } from "@rjsf/utils";
import { useState } from "react";
import { readCookie } from "../../api/client";

/** A file parameter: upload a file (the Files API stores it, its id is the value), or
 * paste the id of a file uploaded before. */
export function FileWidget({ id, value, onChange, disabled, readonly, rawErrors }: WidgetProps) {
  const [state, setState] = useState<{ busy: boolean; error: string; name: string }>({
    busy: false,
    error: "",
    name: "",
  });
  const upload = async (file: File) => {
    setState({ busy: true, error: "", name: file.name });
    const body = new FormData();
    body.append("file", file);
    try {
      const response = await fetch("/api/files/", {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": readCookie("csrftoken") ?? "" },
      });
      if (response.status === 404) throw new Error("This server does not accept uploads yet.");
      const data = (await response.json()) as { id?: string; detail?: string; file?: string[] };
      if (!response.ok || !data.id) {
        throw new Error(data.detail ?? data.file?.join(" ") ?? `HTTP ${response.status}`);
      }
      onChange(data.id);
      setState({ busy: false, error: "", name: file.name });
    } catch (error) {
      setState({ busy: false, error: (error as Error).message, name: "" });
    }
  };
  return (
    <div className="file-widget">
      <input
        id={`${id}-upload`}
        type="file"
        aria-label="Upload a file"
        disabled={disabled || readonly || state.busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <input
        id={id}
        className="mono"
        placeholder="or the id of an uploaded file"
        value={typeof value === "string" ? value : ""}
        aria-invalid={Boolean(rawErrors?.length)}
        disabled={disabled || readonly}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
      />
      {state.busy && <small className="hint">Uploading {state.name}…</small>}
      {!state.busy && state.name && value && <small className="hint">{state.name} uploaded.</small>}
      {state.error && (
        <small className="field-error" role="alert">
          {state.error}
        </small>
      )}
    </div>
  );
}
