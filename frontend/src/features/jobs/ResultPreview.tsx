import { useEffect, useState } from "react";
import type { Result } from "../../api/client";
import { ResultViewer } from "../results/ResultViewer";
import { type PreviewKind, TEXT_PREVIEW_BYTES } from "./previewKind";

/** The contents of a small result file, shown inline (text capped, images scaled down). */
export function ResultPreview({
  jobId,
  result,
  kind,
}: {
  jobId: string;
  result: Result;
  kind: PreviewKind;
}) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (kind !== "text") return;
    const abort = new AbortController();
    fetch(result.download_url, { credentials: "same-origin", signal: abort.signal })
      .then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const body = await r.text();
        setText(body.slice(0, TEXT_PREVIEW_BYTES));
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : "failed");
      });
    return () => abort.abort();
  }, [result.download_url, kind]);
  if (kind === "table" || kind === "json") {
    return <ResultViewer jobId={jobId} result={result} kind={kind} />;
  }
  if (kind === "image") {
    // Small images (a plot thumbnail, 80×60) are scaled up to a readable size, crisp;
    // the link opens the file at its own size to zoom with the browser.
    return (
      <a href={result.download_url} target="_blank" rel="noreferrer" title="Open full size">
        <img className="result-image" src={result.download_url} alt={result.path} />
      </a>
    );
  }
  if (error) return <p className="error-banner">Preview failed: {error}</p>;
  if (text == null) return <p className="muted">Loading…</p>;
  return (
    <pre className="code result-text" data-testid="result-preview">
      {text}
    </pre>
  );
}
