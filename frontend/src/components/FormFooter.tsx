import type { ReactNode } from "react";
import { Link } from "react-router";
import { FixHint } from "./FixHint";

/** The messages of a form's failed submit that belong to no field, above the fields. */
export function FormErrors({ messages, fixHint }: { messages: string[]; fixHint?: boolean }) {
  if (messages.length === 0) return null;
  return (
    <div className="error-banner" role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
      {fixHint && <FixHint message={messages.join(" ")} />}
    </div>
  );
}

/**
 * A form's buttons: submit, then Cancel as a button (`onCancel`) or a link back
 * (`cancelTo`), or none; `children` go after them (a status, a secondary action).
 */
export function FormFooter({
  submit,
  disabled,
  primary = true,
  onCancel,
  cancelTo,
  children,
}: {
  submit: ReactNode;
  disabled?: boolean;
  primary?: boolean;
  onCancel?: () => void;
  cancelTo?: string;
  children?: ReactNode;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className={primary ? "btn primary" : "btn"} disabled={disabled}>
        {submit}
      </button>
      {cancelTo !== undefined ? (
        <Link to={cancelTo} className="btn ghost">
          Cancel
        </Link>
      ) : (
        onCancel && (
          <button type="button" className="btn ghost" onClick={onCancel}>
            Cancel
          </button>
        )
      )}
      {children}
    </div>
  );
}
