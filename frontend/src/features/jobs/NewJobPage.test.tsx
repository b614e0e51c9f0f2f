import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NewJobPage } from "./NewJobPage";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const list = (results: unknown[]) => ({
  count: results.length,
  next: null,
  previous: null,
  results,
});

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/jobs/new"]}>
        <Routes>
          <Route path="/jobs/new" element={<NewJobPage />} />
          <Route path="/jobs/:id" element={<p>job page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

/** The error text the field's control points at with aria-describedby. */
function describedErrors(label: string): string {
  const control = screen.getByLabelText(label);
  const ids = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  return ids
    .map((id) => document.getElementById(id))
    .filter((el) => el?.classList.contains("field-error"))
    .map((el) => el?.textContent)
    .join(" ");
}

describe("NewJobPage", () => {
  let posted: unknown[] = [];
  let answer: Response;

  beforeEach(() => {
    posted = [];
    // biome-ignore lint/suspicious/noDocumentCookie: jsdom: set the cookie Django would set
    document.cookie = "csrftoken=tok123";
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const url = new URL(request.url);
        if (request.method === "POST" && url.pathname === "/api/jobs/") {
          posted.push({ body: await request.json(), csrf: request.headers.get("X-CSRFToken") });
          return answer;
        }
        if (url.pathname === "/api/servers/")
          return json(
            list([
              {
                id: 1,
                name: "hpc",
                kind: "ssh",
                host_key: "ssh-ed25519 AAAA",
                enabled: true,
                interpreters: [7],
              },
            ]),
          );
        if (url.pathname === "/api/credentials/")
          return json(
            list([
              {
                id: 3,
                server: 1,
                name: "",
                username: "alice",
                kind: "key",
                public_key: "",
                created_at: "",
              },
            ]),
          );
        if (url.pathname === "/api/interpreters/")
          return json(
            list([{ id: 7, name: "python3", path: "/usr/bin/env", arguments: ["python3"] }]),
          );
        return json({ detail: "Not found." }, 404);
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("shows API field errors next to their fields", async () => {
    answer = json(
      {
        program: ["This field may not be blank."],
        environment: { "1BAD": ["Invalid variable name."] },
        timeout_seconds: ["Ensure this value is greater than or equal to 1."],
        non_field_errors: ["The server is disabled."],
      },
      400,
    );
    renderPage();
    // Defaults fill in once the lists load.
    await waitFor(() =>
      expect((screen.getByLabelText("Credential") as HTMLSelectElement).value).toBe("3"),
    );
    expect((screen.getByLabelText("Interpreter") as HTMLSelectElement).value).toBe("7");

    fireEvent.change(screen.getByLabelText("Environment"), { target: { value: "1BAD=x" } });
    fireEvent.change(screen.getByLabelText("Arguments"), { target: { value: "a b\nc" } });
    fireEvent.change(screen.getByLabelText("Timeout (seconds)"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Submit job" }));

    await waitFor(() => expect(describedErrors("Program")).toBe("This field may not be blank."));
    expect(describedErrors("Environment")).toBe("1BAD: Invalid variable name.");
    expect(describedErrors("Timeout (seconds)")).toBe(
      "Ensure this value is greater than or equal to 1.",
    );
    expect(screen.getByLabelText("Program").getAttribute("aria-invalid")).toBe("true");
    expect(document.querySelector(".error-banner")?.textContent).toContain(
      "The server is disabled.",
    );

    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      csrf: "tok123",
      body: {
        server: 1,
        credential: 3,
        interpreter: 7,
        arguments: ["a b", "c"],
        environment: { "1BAD": "x" },
        timeout_seconds: 0,
        log_policy: "live",
      },
    });
  });

  it("catches a malformed environment line before submitting", async () => {
    renderPage();
    await waitFor(() =>
      expect((screen.getByLabelText("Credential") as HTMLSelectElement).value).toBe("3"),
    );
    fireEvent.change(screen.getByLabelText("Environment"), { target: { value: "A=1\nnonsense" } });
    fireEvent.click(screen.getByRole("button", { name: "Submit job" }));
    await waitFor(() => expect(describedErrors("Environment")).toBe("Line 2: write NAME=value."));
    expect(posted).toHaveLength(0);
    // Editing the field clears its error.
    fireEvent.change(screen.getByLabelText("Environment"), { target: { value: "A=1" } });
    await waitFor(() => expect(describedErrors("Environment")).toBe(""));
  });

  it("goes to the new job on success", async () => {
    answer = json({ id: "abc", status: "queued" }, 201);
    renderPage();
    await waitFor(() =>
      expect((screen.getByLabelText("Credential") as HTMLSelectElement).value).toBe("3"),
    );
    fireEvent.click(screen.getByRole("button", { name: "Submit job" }));
    await screen.findByText("job page");
  });
});
