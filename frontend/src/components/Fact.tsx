import type { ReactNode } from "react";

/** One term and its value in a `<dl className="facts">`; `wide` spans the row. */
export function Fact({
  term,
  wide = false,
  className,
  children,
}: {
  term: string;
  wide?: boolean;
  /** The value's class. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={wide ? "wide" : undefined}>
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
