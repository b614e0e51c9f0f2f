// A small ANSI renderer for one log line: SGR colours and attributes become styled spans,
// other escape sequences (cursor moves, erase line, OSC titles) are dropped, and `\r`
// redraws keep only what a terminal would end up showing (the last non-empty redraw),
// so a progress bar collapses to its final state.

export interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Segment {
  text: string;
  style: Style | null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ESCAPE = /\x1b(?:\[([0-?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

const BASIC = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

function color256(n: number): string {
  if (n < 8) return `var(--ansi-${BASIC[n]})`;
  if (n < 16) return `var(--ansi-bright-${BASIC[n - 8]})`;
  if (n < 232) {
    const v = n - 16;
    const c = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${c(Math.floor(v / 36))}, ${c(Math.floor(v / 6) % 6)}, ${c(v % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

/** Applies SGR parameters to a style (mutates and returns it). */
export function applySgr(style: Style, params: string): Style {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => Number(p) || 0);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c === 0) {
      for (const key of Object.keys(style)) delete style[key as keyof Style];
    } else if (c === 1) style.bold = true;
    else if (c === 2) style.dim = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 7) style.inverse = true;
    else if (c === 22) {
      delete style.bold;
      delete style.dim;
    } else if (c === 23) delete style.italic;
    else if (c === 24) delete style.underline;
    else if (c === 27) delete style.inverse;
    else if (c >= 30 && c <= 37) style.fg = `var(--ansi-${BASIC[c - 30]})`;
    else if (c === 39) delete style.fg;
    else if (c >= 40 && c <= 47) style.bg = `var(--ansi-${BASIC[c - 40]})`;
    else if (c === 49) delete style.bg;
    else if (c >= 90 && c <= 97) style.fg = `var(--ansi-bright-${BASIC[c - 90]})`;
    else if (c >= 100 && c <= 107) style.bg = `var(--ansi-bright-${BASIC[c - 100]})`;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? "fg" : "bg";
      if (codes[i + 1] === 5) {
        style[key] = color256(codes[i + 2] ?? 0);
        i += 2;
      } else if (codes[i + 1] === 2) {
        style[key] = `rgb(${codes[i + 2] ?? 0}, ${codes[i + 3] ?? 0}, ${codes[i + 4] ?? 0})`;
        i += 4;
      }
    }
  }
  return style;
}

/** What a terminal shows for a line that redraws itself with `\r`. */
function lastRedraw(text: string): { prefix: string; shown: string } {
  if (!text.includes("\r")) return { prefix: "", shown: text };
  const parts = text.split("\r");
  let last = parts.length - 1;
  // A trailing `\r` (as in `\r\n` or a bar that ends with it) keeps the previous drawing.
  while (last > 0 && (parts[last] as string).replace(ESCAPE, "") === "") last--;
  return { prefix: parts.slice(0, last).join(""), shown: parts.slice(last).join("") };
}

/** Splits a line into styled segments. `carry` is the style active at the line's start. */
export function renderAnsi(text: string, carry: Style | null = null): Segment[] {
  const { prefix, shown } = lastRedraw(text);
  const style: Style = { ...(carry ?? {}) };
  // Escapes in overwritten redraws still change the style of what follows.
  if (prefix.includes("\x1b")) {
    for (const m of prefix.matchAll(ESCAPE)) if (m[2] === "m") applySgr(style, m[1] ?? "");
  }
  const out: Segment[] = [];
  const push = (piece: string) => {
    const clean = piece.replace(CONTROL, "");
    if (!clean) return;
    const s = Object.keys(style).length ? { ...style } : null;
    out.push({ text: clean, style: s });
  };
  if (!shown.includes("\x1b")) {
    push(shown);
    return out;
  }
  let at = 0;
  for (const m of shown.matchAll(ESCAPE)) {
    push(shown.slice(at, m.index));
    if (m[2] === "m") applySgr(style, m[1] ?? "");
    at = (m.index ?? 0) + m[0].length;
  }
  push(shown.slice(at));
  return out;
}

/** The style in force after a line (for lines whose colour runs over several lines). */
export function styleAfter(text: string, carry: Style | null): Style | null {
  if (!text.includes("\x1b")) return carry;
  const style: Style = { ...(carry ?? {}) };
  for (const m of text.matchAll(ESCAPE)) if (m[2] === "m") applySgr(style, m[1] ?? "");
  return Object.keys(style).length ? style : null;
}

/** Plain text of a line as shown (no escapes), e.g. for copy and tests. */
export function plainText(text: string): string {
  return renderAnsi(text)
    .map((s) => s.text)
    .join("");
}
