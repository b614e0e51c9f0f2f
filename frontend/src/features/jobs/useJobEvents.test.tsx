import { QueryClient, QueryClientProvider, QueryObserver } from "@tanstack/react-query";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../test/fakeWebSocket";
import { jobQueries, NO_JOB_FILTERS } from "./queries";
import { useJobEvents } from "./useJobEvents";

const JOB = "00000000-0000-4000-8000-000000000001";
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });

describe("useJobEvents", () => {
  let status = "running";
  let client: QueryClient;
  const fetched: string[] = [];

  beforeEach(() => {
    FakeWebSocket.reset();
    fetched.length = 0;
    status = "running";
    client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const path = new URL(request.url).pathname;
        fetched.push(path);
        if (path === `/api/jobs/${JOB}/`) return json({ id: JOB, status });
        if (path === `/api/jobs/${JOB}/results/`) return json([]);
        return json({ next: null, previous: null, results: [{ id: JOB, status }] });
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );

  it("re-reads every job query after a reconnect (events may have been missed)", async () => {
    const filters = NO_JOB_FILTERS;
    // A job page and a list page are on screen (observed queries).
    const unsubscribe = [
      new QueryObserver(client, jobQueries.detail(JOB)).subscribe(() => {}),
      new QueryObserver(client, jobQueries.list(filters)).subscribe(() => {}),
    ];
    await waitFor(() => expect(fetched).toHaveLength(2));
    const { result } = renderHook(
      () =>
        useJobEvents({
          WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
          minDelay: 1,
        }),
      { wrapper },
    );
    act(() => FakeWebSocket.last().open());
    expect(result.current).toBe("open");
    const before = fetched.length;
    // The first connection triggers nothing: the pages just loaded.
    await new Promise((r) => setTimeout(r, 20));
    expect(fetched.length).toBe(before);

    // The job ends while the socket is down: its event is lost.
    status = "succeeded";
    act(() => FakeWebSocket.last().drop());
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    act(() => FakeWebSocket.last().open());

    // Both the list and the job page are marked stale and read again.
    await waitFor(() =>
      expect(client.getQueryData<{ status: string }>(jobQueries.detail(JOB).queryKey)?.status).toBe(
        "succeeded",
      ),
    );
    expect(client.getQueryState(jobQueries.list(filters).queryKey)?.isInvalidated).toBe(false);
    expect(fetched.slice(before)).toEqual(
      expect.arrayContaining([`/api/jobs/${JOB}/`, "/api/jobs/"]),
    );
    for (const u of unsubscribe) u();
  });

  it("applies a job event to the job page and the lists", async () => {
    const filters = NO_JOB_FILTERS;
    await client.fetchQuery(jobQueries.detail(JOB));
    await client.fetchQuery(jobQueries.list(filters));
    renderHook(
      () => useJobEvents({ WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket }),
      { wrapper },
    );
    act(() => {
      FakeWebSocket.last().open();
      FakeWebSocket.last().receive({ type: "job", job: { id: JOB, status: "failed" } });
    });
    expect(client.getQueryData<{ status: string }>(jobQueries.detail(JOB).queryKey)?.status).toBe(
      "failed",
    );
    const list = client.getQueryData<{ results: { status: string }[] }>(
      jobQueries.list(filters).queryKey,
    );
    expect(list?.results[0]?.status).toBe("failed");
  });
});
