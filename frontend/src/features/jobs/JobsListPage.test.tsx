import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JobsListPage } from "./JobsListPage";

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });

function job(n: number) {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    title: `job ${n}`,
    owner: "alice",
    server: 1,
    server_name: "hpc",
    status: n % 2 ? "running" : "succeeded",
    exit_code: n % 2 ? null : 0,
    duration_seconds: 1,
    created_at: "2026-01-01T00:00:00Z",
  };
}

/** The machine running tests is shared: wait generously (a wait that succeeds is fast). */
const SLOW = { timeout: 10_000 };

describe("JobsListPage", () => {
  let queries: URLSearchParams[] = [];
  beforeEach(() => {
    queries = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const url = new URL(request.url);
        if (url.pathname === "/api/servers/")
          return json({ count: 1, results: [{ id: 1, name: "hpc" }] });
        queries.push(url.searchParams);
        // Cursor pages: the cursor is the number of jobs before the page.
        const start = Number(url.searchParams.get("cursor") ?? "0");
        const size = Number(url.searchParams.get("page_size"));
        const results = Array.from({ length: size }, (_, i) => job(start + i + 1));
        const link = (c: number) => `http://testserver/api/jobs/?cursor=${c}`;
        return json({
          next: start + size < 60 ? link(start + size) : null,
          previous: start > 0 ? link(Math.max(0, start - size)) : null,
          results,
        });
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const renderPage = () =>
    render(
      <QueryClientProvider
        client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <MemoryRouter initialEntries={["/jobs"]}>
          <JobsListPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );

  it("pages by cursor, filters by several statuses, server, dates, and searches", async () => {
    renderPage();
    await screen.findByText("job 1", {}, SLOW);
    expect((screen.getByRole("button", { name: /Newer/ }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    fireEvent.click(screen.getByRole("button", { name: /Older/ }));
    await screen.findByText("job 26", {}, SLOW);
    expect(queries.at(-1)?.get("cursor")).toBe("25");

    fireEvent.click(screen.getByLabelText("running"));
    await waitFor(() => expect(queries.at(-1)?.getAll("status")).toEqual(["running"]), SLOW);
    expect(queries.at(-1)?.get("cursor")).toBeNull(); // a new filter starts at the top
    fireEvent.click(screen.getByLabelText("failed"));
    await waitFor(
      () => expect(queries.at(-1)?.getAll("status")).toEqual(["running", "failed"]),
      SLOW,
    );

    fireEvent.change(screen.getByLabelText("Created from"), { target: { value: "2026-01-02" } });
    await waitFor(() => expect(queries.at(-1)?.get("created_after")).toBeTruthy(), SLOW);

    fireEvent.change(await screen.findByLabelText("Server", {}, SLOW), { target: { value: "1" } });
    await waitFor(() => expect(queries.at(-1)?.get("server")).toBe("1"), SLOW);

    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "needle" } });
    await waitFor(() => expect(queries.at(-1)?.get("search")).toBe("needle"), SLOW);
  }, 60_000);
});
