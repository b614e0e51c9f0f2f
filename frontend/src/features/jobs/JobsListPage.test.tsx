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
        const page = Number(url.searchParams.get("page") ?? "1");
        const size = Number(url.searchParams.get("page_size"));
        const results = Array.from({ length: size }, (_, i) => job((page - 1) * size + i + 1));
        return json({ count: 60, results });
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

  it("pages, filters by status and server, and searches", async () => {
    renderPage();
    await screen.findByText("job 1");
    expect(screen.getByText(/Page 1 of 3/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /Older/ }));
    await screen.findByText("job 26");
    expect(queries.at(-1)?.get("page")).toBe("2");

    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "running" } });
    await waitFor(() => expect(queries.at(-1)?.getAll("status")).toEqual(["running"]));
    expect(queries.at(-1)?.get("page")).toBe("1"); // a new filter starts on page 1

    fireEvent.change(await screen.findByLabelText("Server"), { target: { value: "1" } });
    await waitFor(() => expect(queries.at(-1)?.get("server")).toBe("1"));

    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "needle" } });
    await waitFor(() => expect(queries.at(-1)?.get("search")).toBe("needle"), { timeout: 2000 });
  });
});
