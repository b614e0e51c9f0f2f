import { useEffect, useState } from "react";

const MAX_CHILDREN = 500;

/** JSON as a collapsible tree: objects and arrays fold, the first two levels open. */
export function JsonTree({ url }: { url: string }) {
  const [value, setValue] = useState<
    { ok: true; data: unknown } | { ok: false; error: string } | null
  >(null);
  useEffect(() => {
    const abort = new AbortController();
    fetch(url, { credentials: "same-origin", signal: abort.signal })
      .then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        setValue({ ok: true, data: JSON.parse(await r.text()) as unknown });
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted)
          setValue({ ok: false, error: e instanceof Error ? e.message : "failed" });
      });
    return () => abort.abort();
  }, [url]);
  if (value == null) return <p className="muted">Loading…</p>;
  if (!value.ok) return <p className="error-banner">Cannot show this JSON: {value.error}</p>;
  return (
    <div className="json-tree mono small" data-testid="json-tree">
      <JsonNode name={null} value={value.data} depth={0} />
    </div>
  );
}

function JsonNode({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const label = name == null ? null : <span className="json-key">{name}: </span>;
  if (value === null || typeof value !== "object") {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? "null" : typeof value}`}>
          {JSON.stringify(value)}
        </span>
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <details open={depth < 2}>
      <summary>
        {label}
        <span className="muted">{summary}</span>
      </summary>
      <div className="json-children">
        {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
          <JsonNode key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > MAX_CHILDREN && (
          <div className="muted">… {entries.length - MAX_CHILDREN} more</div>
        )}
      </div>
    </details>
  );
}
