import type { Interpreter } from "../../api/client";
import { InterpreterForm } from "./InterpreterForm";
import { InterpreterRow } from "./InterpreterRow";

export function InterpretersPanel({ interpreters }: { interpreters: Interpreter[] }) {
  return (
    <div className="card">
      <h2>Interpreters</h2>
      <ul className="plain-list">
        {interpreters.map((i) => (
          <InterpreterRow key={i.id} interpreter={i} />
        ))}
      </ul>
      <h3>Add interpreter</h3>
      <InterpreterForm />
    </div>
  );
}
