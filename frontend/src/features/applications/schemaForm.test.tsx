import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ParameterForm, type ParameterSchema, type Values } from "./schemaForm";

const SCHEMA: ParameterSchema = {
  type: "object",
  properties: {
    label: { type: "string", title: "Label" },
    q: { type: "number", title: "Q", minimum: 0, maximum: 1, default: 0.5 },
    model: { type: "string", title: "Model", enum: ["one", "two"], default: "one" },
  },
  required: ["label"],
};

function Harness({ onSubmit }: { onSubmit: (v: Values) => void }) {
  return (
    <ParameterForm schema={SCHEMA} onSubmit={onSubmit}>
      <button type="submit">Launch</button>
    </ParameterForm>
  );
}

describe("ParameterForm", () => {
  it("shows the API's words, then submits once the values are fixed", async () => {
    const onSubmit = vi.fn();
    const { container } = render(<Harness onSubmit={onSubmit} />);
    const q = container.querySelector("#root_q") as HTMLInputElement;
    fireEvent.change(q, { target: { value: "2" } });
    fireEvent.blur(q);
    fireEvent.click(screen.getByRole("button", { name: "Launch" }));
    expect(await screen.findByText("Must be at most 1.")).toBeTruthy();
    expect(await screen.findByText("This parameter is required.")).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(container.querySelector("#root_label") as HTMLInputElement, {
      target: { value: "a b" },
    });
    fireEvent.change(q, { target: { value: "0.25" } });
    fireEvent.blur(q);
    const model = container.querySelector("#root_model") as HTMLSelectElement;
    fireEvent.focus(model);
    fireEvent.change(model, { target: { value: "1" } });
    fireEvent.blur(model);
    fireEvent.click(screen.getByRole("button", { name: "Launch" }));
    await vi.waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({ label: "a b", q: 0.25, model: "two" }),
    );
  });
});
