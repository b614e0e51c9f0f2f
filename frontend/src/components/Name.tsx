/** Explicit bidi controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, ALM LRM RLM). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u061C\u200E\u200F]/g;

/**
 * A user-chosen name (job title, file path) as it really is: its bidi controls shown as
 * `<U+202E>` so that "\u202Egnp.exe" cannot pass for "exe.png", and the whole isolated
 * (`<bdi>`) so that right-to-left text in it cannot reorder what surrounds it.
 */
export function visibleBidi(text: string): string {
  return text.replace(
    BIDI_CONTROLS,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}>`,
  );
}

export function Name({ text }: { text: string }) {
  return <bdi className="name">{visibleBidi(text)}</bdi>;
}
