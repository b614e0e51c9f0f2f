/** The "Enabled" checkbox of a card's actions. */
export function EnabledSwitch({
  checked,
  onChange,
}: {
  checked: boolean | undefined;
  onChange: (enabled: boolean) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />{" "}
      Enabled
    </label>
  );
}
