import { type ReactNode, useState } from "react";
import { errorMessage } from "../api/errors";

/**
 * A page of cards with an "Add …" form above them: the head, `intro`, the form in a card
 * while adding, then one `children(item)` per loaded item, or `empty` when there is none.
 */
export function AddListPage<T>({
  title,
  addLabel,
  intro,
  form,
  query,
  empty,
  children,
}: {
  title: string;
  addLabel: string;
  intro: ReactNode;
  form: (onDone: () => void) => ReactNode;
  query: { isError: boolean; error: unknown; data?: { results: T[] } | undefined };
  empty: string;
  children: (item: T) => ReactNode;
}) {
  const [adding, setAdding] = useState(false);
  const items = query.data?.results;
  return (
    <section className="page">
      <div className="page-head">
        <h1>{title}</h1>
        <div className="actions">
          {/* Pressed while the add form is open. */}
          <button
            type="button"
            className="btn primary"
            onClick={() => setAdding(true)}
            aria-pressed={adding}
          >
            {addLabel}
          </button>
        </div>
      </div>
      {intro}
      {adding && (
        <div className="card">
          <h2>{addLabel}</h2>
          {form(() => setAdding(false))}
        </div>
      )}
      {query.isError && (
        <p className="error-banner" role="alert">
          {errorMessage(query.error)}
        </p>
      )}
      {items?.length === 0 && !adding && <p className="muted">{empty}</p>}
      {items?.map((item) => children(item))}
    </section>
  );
}
