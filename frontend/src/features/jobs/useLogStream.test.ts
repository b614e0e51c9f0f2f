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
    const c = new LogStreamController({ jobId: JOB, push: (t) => out.push(t) }).start();
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
    const c = new LogStreamController({ jobId: JOB, push: (t) => out.push(t) }).start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive(chunk(1, "stderr"));
    expect(out).toEqual(["\x1b[31mn=1\n\x1b[39m"]);
    c.stop();
  });

  it("stop() closes the socket and never reconnects", () => {
    const c = new LogStreamController({ jobId: JOB, push: () => {} }).start();
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
});
