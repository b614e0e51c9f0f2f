import { useState } from "react";

/** Delete, then "Delete for good" or "Keep": nothing is deleted by a single click. */
export function DeleteWithConfirm({ onDelete }: { onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="btn small danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <>
      <button type="button" className="btn small danger" onClick={onDelete}>
        Delete for good
      </button>
      <button type="button" className="btn small ghost" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </>
  );
}
