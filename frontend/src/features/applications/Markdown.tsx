import MarkdownToJsx from "markdown-to-jsx";

/** An application's description: Markdown, raw HTML in it shown as text. */
export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={`markdown${className ? ` ${className}` : ""}`}>
      <MarkdownToJsx options={{ disableParsingRawHTML: true }}>{text}</MarkdownToJsx>
    </div>
  );
}
