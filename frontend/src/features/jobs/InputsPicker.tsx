import { useRef, useState } from "react";
import { uploadFile } from "../files/queries";
import { type DraftInput, nextKey } from "./inputs/draftInput";
import { InputList } from "./inputs/InputList";
import { ResultChooser } from "./inputs/ResultChooser";

/** Files dropped or picked (each uploaded at once, with a progress bar), or results of
 * an earlier job; each with the path it gets in the job directory. */
export function InputsPicker({
  value,
  onChange,
}: {
  value: DraftInput[];
  onChange: (update: (items: DraftInput[]) => DraftInput[]) => void;
}) {
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [choosing, setChoosing] = useState(false);

  const patch = (key: string, change: Partial<DraftInput>) =>
    onChange((items) => items.map((i) => (i.key === key ? { ...i, ...change } : i)));

  const add = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = nextKey();
      onChange((items) => [
        ...items,
        { key, label: file.name, path: file.name, size: file.size, progress: 0 },
      ]);
      uploadFile(file, (share) => patch(key, { progress: share }))
        .then((stored) => patch(key, { file: stored.id, progress: 1 }))
        .catch((e: Error) => patch(key, { error: e.message }));
    }
  };

  return (
    <fieldset className="inputs-picker">
      <legend>Inputs</legend>
      <p className="muted small">
        Files staged into the job directory before the program starts, at the path shown.
      </p>
      <section
        className={`dropzone${dragging ? " active" : ""}`}
        aria-label="Drop files here"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer.files);
        }}
      >
        Drop files here or{" "}
        <button type="button" className="btn small" onClick={() => picker.current?.click()}>
          Choose files…
        </button>{" "}
        <button type="button" className="btn small" onClick={() => setChoosing(!choosing)}>
          Use a result of an earlier job…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Input files"
          onChange={(e) => {
            add(e.target.files);
            e.target.value = "";
          }}
        />
      </section>
      {choosing && (
        <ResultChooser
          onPick={(picked) => {
            onChange((items) => [...items, ...picked]);
            setChoosing(false);
          }}
        />
      )}
      <InputList value={value} onChange={onChange} />
    </fieldset>
  );
}
