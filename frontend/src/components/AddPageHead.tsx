/** A list page's heading with its "Add …" button, pressed while the add form is open. */
export function AddPageHead({
  title,
  addLabel,
  adding,
  onAdd,
}: {
  title: string;
  addLabel: string;
  adding: boolean;
  onAdd: () => void;
}) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      <div className="actions">
        <button type="button" className="btn primary" onClick={onAdd} aria-pressed={adding}>
          {addLabel}
        </button>
      </div>
    </div>
  );
}
