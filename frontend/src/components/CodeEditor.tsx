import { type KeyboardEvent, useRef } from "react";

const INDENT = "    ";

/** Apply Tab / Shift+Tab to a textarea's value; returns the new value and selection. */
export function indentText(
  value: string,
  start: number,
  end: number,
  outdent: boolean,
): { value: string; start: number; end: number } {
  const lineStart = value.lastIndexOf("\n", start - 1) + 1;
  if (!outdent && start === end) {
    return {
      value: value.slice(0, start) + INDENT + value.slice(end),
      start: start + 4,
      end: start + 4,
    };
  }
  // Block (out)dent of every line the selection touches.
  const blockEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
  const lines = value.slice(lineStart, blockEnd).split("\n");
  let firstDelta = 0;
  let total = 0;
  const changed = lines.map((line, i) => {
    if (outdent) {
      const remove = line.match(/^( {1,4}|\t)/)?.[0].length ?? 0;
      if (i === 0) firstDelta = -remove;
      total -= remove;
      return line.slice(remove);
    }
    if (i === 0) firstDelta = INDENT.length;
    total += INDENT.length;
    return INDENT + line;
  });
  const next = value.slice(0, lineStart) + changed.join("\n") + value.slice(blockEnd);
  return {
    value: next,
    start: Math.max(lineStart, start + firstDelta),
    end: Math.max(lineStart, end + total),
  };
}

/** A monospace program editor: Tab indents, Shift+Tab outdents, Esc then Tab leaves. */
export function CodeEditor({
  value,
  onChange,
  id,
  rows = 14,
  ...aria
}: {
  value: string;
  onChange: (value: string) => void;
  id?: string;
  rows?: number;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}) {
  const escaped = useRef(false);
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") {
      escaped.current = true;
      return;
    }
    if (e.key !== "Tab" || escaped.current || e.ctrlKey || e.altKey || e.metaKey) {
      escaped.current = false;
      return;
    }
    e.preventDefault();
    const el = e.currentTarget;
    const next = indentText(el.value, el.selectionStart, el.selectionEnd, e.shiftKey);
    onChange(next.value);
    requestAnimationFrame(() => el.setSelectionRange(next.start, next.end));
  };
  return (
    <textarea
      id={id}
      className="code-editor"
      value={value}
      rows={rows}
      spellCheck={false}
      autoCapitalize="off"
      autoComplete="off"
      autoCorrect="off"
      wrap="off"
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={onKeyDown}
      {...aria}
    />
  );
}
