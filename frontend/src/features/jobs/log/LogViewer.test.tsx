import { cleanup, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LogViewer } from "./LogViewer";

const page = (jobId: string) => ({
  results: [
    {
      seq: 1,
      stream: "stdout",
      offset: 0,
      time: "2026-12-02T12:00:00Z",
      line: 0,
      data: `first line of ${jobId}\nsecond\n`,
    },
  ],
  next_after: 1,
  first_seq: 1,
  has_earlier: false,
  complete: true,
  last_seq: 1,
  line_count: 2,
});

describe("LogViewer", () => {
  const asked: string[] = [];
  beforeEach(() => {
    asked.length = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const url = new URL(request.url);
        asked.push(url.pathname + url.search);
        const jobId = url.pathname.split("/")[3] ?? "";
        return new Response(JSON.stringify(page(jobId)), {
          headers: { "Content-Type": "application/json" },
        });
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("opens at the tail, also under StrictMode's double mount, and follows a new job id", async () => {
    const { rerender } = render(
      <StrictMode>
        <LogViewer jobId="a" live={false} />
      </StrictMode>,
    );
    expect(await screen.findByText("complete")).toBeTruthy();
    expect(screen.getByTestId("log-counts").textContent).toBe("2 lines");
    expect(asked.some((a) => a.startsWith("/api/jobs/a/logs/?") && a.includes("tail="))).toBe(true);
    rerender(
      <StrictMode>
        <LogViewer jobId="b" live={false} />
      </StrictMode>,
    );
    await vi.waitFor(() => expect(asked.some((a) => a.startsWith("/api/jobs/b/logs/"))).toBe(true));
    expect(await screen.findByText("complete")).toBeTruthy();
  });
});
