import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../test/fakeWebSocket";
import { LogStreamController } from "./useLogStream";

const JOB = "7b0c1f5e-0000-4000-8000-000000000001";
const chunk = (seq: number, stream = "stdout") => ({
  type: "log",
  seq,
  stream,
  offset: 0,
  data: `n=${seq}\n`,
});

describe("LogStreamController", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
    vi.stubGlobal("WebSocket", FakeWebSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("resumes after a drop with after=<last seq> and shows every chunk once", () => {
    const out: string[] = [];
    const ended = vi.fn();
    const c = new LogStreamController({
      jobId: JOB,
      push: (t) => out.push(t),
      onEnd: ended,
      restBackfill: false,
    }).start();

    const first = FakeWebSocket.last();
    expect(first.url).toBe(`ws://localhost:3000/ws/jobs/${JOB}/logs/?after=0`);
    first.open();
    for (const seq of [1, 2, 3]) first.receive(chunk(seq));
    first.drop();

    vi.advanceTimersByTime(1000);
    const second = FakeWebSocket.last();
    expect(second).not.toBe(first);
    expect(second.url).toContain("?after=3");
    second.open();
    // A server that overlaps a little on resume: 3 again, then on.
    for (const seq of [3, 4, 5]) second.receive(chunk(seq));
    second.receive({ type: "end", status: "succeeded", exit_code: 0 });

    expect(out.join("")).toBe("n=1\nn=2\nn=3\nn=4\nn=5\n");
    expect(c.stats).toMatchObject({
      chunks: 5,
      duplicates: 1,
      reconnects: 1,
      lastSeq: 5,
      state: "ended",
    });
    expect(ended).toHaveBeenCalledWith({ type: "end", status: "succeeded", exit_code: 0 });
    expect(second.closed).toBe(true);
    // No reconnect after the end.
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances.length).toBe(2);
  });

  it("reconnects on a gap instead of showing a hole", () => {
    const out: string[] = [];
    const c = new LogStreamController({
      jobId: JOB,
      push: (t) => out.push(t),
      restBackfill: false,
    }).start();
    const first = FakeWebSocket.last();
    first.open();
    first.receive(chunk(1));
    first.receive(chunk(3)); // 2 is missing: never shown out of order
    expect(first.closed).toBe(true);
    vi.advanceTimersByTime(1000);
    const second = FakeWebSocket.last();
    expect(second.url).toContain("?after=1");
    second.open();
    second.receive(chunk(2));
    second.receive(chunk(3));
    expect(out.join("")).toBe("n=1\nn=2\nn=3\n");
    expect(c.stats.gaps).toBe(1);
    c.stop();
  });

  it("tints stderr", () => {
    const out: string[] = [];
    const c = new LogStreamController({
      jobId: JOB,
      push: (t) => out.push(t),
      restBackfill: false,
    }).start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive(chunk(1, "stderr"));
    expect(out).toEqual(["\x1b[31mn=1\n\x1b[39m"]);
    c.stop();
  });

  it("stop() closes the socket and never reconnects", () => {
    const c = new LogStreamController({ jobId: JOB, push: () => {}, restBackfill: false }).start();
    const ws = FakeWebSocket.last();
    ws.open();
    c.stop();
    expect(ws.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances.length).toBe(1);
  });

  it("falls back to REST paging when websockets are refused", async () => {
    const pages = [
      {
        results: [{ seq: 1, stream: "stdout", offset: 0, time: "", data: "a\n" }],
        next_after: 1,
        complete: false,
      },
      {
        results: [{ seq: 2, stream: "stdout", offset: 2, time: "", data: "b\n" }],
        next_after: 2,
        complete: true,
      },
    ];
    const fetchMock = vi.fn(async (request: Request) => {
      const after = Number(new URL(request.url).searchParams.get("after"));
      const page = pages[after] ?? { results: [], next_after: after, complete: true };
      return new Response(JSON.stringify(page), {
        headers: { "Content-Type": "application/json" },
      });
    });
    vi.stubGlobal("fetch", fetchMock);
    const out: string[] = [];
    const ended = vi.fn();
    const c = new LogStreamController({
      jobId: JOB,
      push: (t) => out.push(t),
      onEnd: ended,
      maxSocketFailures: 2,
      restBackfill: false,
    }).start();
    // Two handshakes refused (closed before open).
    FakeWebSocket.last().drop();
    await vi.advanceTimersByTimeAsync(2000);
    FakeWebSocket.last().drop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(c.stats.state).toBe("ended");
    expect(out.join("")).toBe("a\nb\n");
    expect(ended).toHaveBeenCalled();
    const urls = fetchMock.mock.calls.map(([r]) => new URL(r.url).search);
    expect(urls[0]).toContain("after=0");
    expect(urls[1]).toContain("after=1");
  });

  it("backfills stored chunks over REST, then follows live from the last seq", async () => {
    const stored = Array.from({ length: 40 }, (_, i) => ({
      seq: i + 1,
      stream: "stdout",
      offset: 0,
      time: "",
      data: `n=${i + 1}\n`,
    }));
    const fetchMock = vi.fn(async (request: Request) => {
      const q = new URL(request.url).searchParams;
      const after = Number(q.get("after"));
      const limit = Number(q.get("limit"));
      const results = stored.filter((c) => c.seq > after).slice(0, limit);
      const page = { results, next_after: results.at(-1)?.seq ?? after, complete: false };
      return new Response(JSON.stringify(page), {
        headers: { "Content-Type": "application/json" },
      });
    });
    vi.stubGlobal("fetch", fetchMock);
    const out: string[] = [];
    const c = new LogStreamController({ jobId: JOB, push: (t) => out.push(t) }).start();
    expect(c.stats.state).toBe("loading");
    await vi.advanceTimersByTimeAsync(10);
    // A small first page for fast first lines, then big ones until caught up.
    const limits = fetchMock.mock.calls.map(([r]) =>
      Number(new URL(r.url).searchParams.get("limit")),
    );
    expect(limits).toEqual([4, 50]);
    const ws = FakeWebSocket.last();
    expect(ws.url).toContain("?after=40");
    ws.open();
    ws.receive(chunk(40)); // overlap: dropped
    ws.receive(chunk(41));
    ws.receive({ type: "end", status: "succeeded", exit_code: 0 });
    expect(out.join("")).toBe(Array.from({ length: 41 }, (_, i) => `n=${i + 1}\n`).join(""));
    expect(c.stats).toMatchObject({ chunks: 41, duplicates: 1, state: "ended" });
  });

  it("needs no websocket for a finished job", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              results: [{ seq: 1, stream: "stderr", offset: 0, time: "", data: "x\n" }],
              next_after: 1,
              complete: true,
            }),
            { headers: { "Content-Type": "application/json" } },
          ),
      ),
    );
    const ended = vi.fn();
    const out: string[] = [];
    const c = new LogStreamController({
      jobId: JOB,
      push: (t) => out.push(t),
      onEnd: ended,
    }).start();
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeWebSocket.instances.length).toBe(0);
    expect(ended).toHaveBeenCalled();
    expect(c.stats.state).toBe("ended");
    expect(out).toEqual(["\x1b[31mx\n\x1b[39m"]);
  });

  it("pauses REST paging while the terminal has a large backlog", async () => {
    let backlog = 9_000_000;
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ results: [], next_after: 0, complete: false }), {
          headers: { "Content-Type": "application/json" },
        }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const c = new LogStreamController({
      jobId: JOB,
      push: () => {},
      backlog: () => backlog,
    }).start();
    await vi.advanceTimersByTimeAsync(500);
    expect(fetchMock).not.toHaveBeenCalled();
    backlog = 0;
    await vi.advanceTimersByTimeAsync(100);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    c.stop();
  });
});
