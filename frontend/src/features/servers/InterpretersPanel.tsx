import type { Interpreter } from "../../api/client";
import { InterpreterForm } from "./InterpreterForm";
import { InterpreterRow } from "./InterpreterRow";

export function InterpretersPanel({ interpreters }: { interpreters: Interpreter[] }) {
  return (
    <div className="card" id="interpreters">
      <h2>Interpreters</h2>
      <p className="muted small">
        Add an interpreter here, then tick it in each server's Edit form: a job may use only the
        interpreters its server offers.
      </p>
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
