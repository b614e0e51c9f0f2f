import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../../test/fakeWebSocket";
import { LogController } from "./logController";
import { LogWindow } from "./logWindow";

// A job log of `total` chunks, each one line "line <n>\n" (chunk seq s holds line s-1),
// served like the API does: tail, before, after, with has_earlier / complete / last_seq.
function fakeLogApi(total: number, { complete = true } = {}) {
  const chunk = (seq: number) => ({
    seq,
    stream: seq % 10 === 0 ? "stderr" : "stdout",
    offset: 0,
    time: "2026-12-02T12:00:00Z",
    line: seq - 1,
    data: `line ${seq}\n`,
  });
  const calls: URLSearchParams[] = [];
  const answer = (from: number, to: number) => {
    const results = [];
    for (let s = Math.max(1, from); s <= Math.min(total, to); s++) results.push(chunk(s));
    const last = results[results.length - 1]?.seq ?? Math.min(total, from - 1);
    return {
      results,
      next_after: last,
      first_seq: results[0]?.seq ?? null,
      has_earlier: (results[0]?.seq ?? 1) > 1,
      complete: complete && last >= total,
      last_seq: total,
      line_count: total,
    };
  };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const q = new URL(request.url).searchParams;
      calls.push(q);
      const limit = Number(q.get("limit") ?? q.get("tail") ?? 100);
      let body: unknown;
      if (q.has("tail")) body = answer(total - limit + 1, total);
      else if (q.has("before")) {
        const before = Number(q.get("before"));
        body = answer(before - limit, before - 1);
      } else {
        const after = Number(q.get("after") ?? 0);
        body = answer(after + 1, after + limit);
      }
      return new Response(JSON.stringify(body), {
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  return { calls };
}

/** A live controller whose websockets are FakeWebSockets. */
const liveController = (options: { retryDelay?: number } = {}) =>
  new LogController({
    jobId: "j",
    live: true,
    onChange: () => {},
    WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
    ...options,
  });

const numbers = (w: LogWindow) => w.lines.map((l) => l.n + 1);

describe("LogController paging", () => {
  beforeEach(() => FakeWebSocket.reset());
  afterEach(() => vi.unstubAllGlobals());

  it("opens at the tail and pages up to line 1 on demand", async () => {
    const { calls } = fakeLogApi(2500);
    const c = new LogController({ jobId: "j", live: false, onChange: () => {} });
    await c.openTail();
    // One request: the last page (tail=1000 chunks), not the whole log.
    expect(calls).toHaveLength(1);
    expect(calls[0]?.get("tail")).toBe("1000");
    expect(numbers(c.window).at(-1)).toBe(2500);
    expect(numbers(c.window)[0]).toBe(1501);
    expect(c.window.hasEarlier).toBe(true);
    expect(c.ended).not.toBeNull(); // complete: nothing to follow

    expect(await c.loadEarlier()).toBe(1000);
    expect(calls.at(-1)?.get("before")).toBe("1501");
    expect(numbers(c.window)[0]).toBe(501);
    expect(await c.loadEarlier()).toBe(500);
    expect(numbers(c.window)[0]).toBe(1);
    expect(c.window.hasEarlier).toBe(false);
    expect(await c.loadEarlier()).toBe(0); // nothing more: no request
    expect(calls).toHaveLength(3);
    // Every line exactly once, in order.
    expect(numbers(c.window)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  });

  it("keeps the window bounded: paging up drops the tail, paging down brings it back", async () => {
    fakeLogApi(5000);
    const c = new LogController({ jobId: "j", live: false, onChange: () => {}, maxLines: 1500 });
    await c.openTail();
    expect(c.window.lines).toHaveLength(1000);
    await c.loadEarlier();
    expect(c.window.lines).toHaveLength(1500);
    expect(numbers(c.window)[0]).toBe(3001);
    expect(numbers(c.window).at(-1)).toBe(4500);
    expect(c.window.atTail).toBe(false);
    await c.loadLater();
    expect(numbers(c.window).at(-1)).toBe(5000);
    expect(c.window.atTail).toBe(true);
    expect(c.window.hasEarlier).toBe(true);
  });

  it("jumps to a seq far from the tail and reads on from there", async () => {
    fakeLogApi(50_000);
    const c = new LogController({ jobId: "j", live: false, onChange: () => {} });
    await c.openTail();
    await c.openAround(7);
    expect(c.window.indexOf(6)).not.toBe(-1); // line 7 is loaded
    expect(numbers(c.window)[0]).toBe(1);
    expect(c.window.atTail).toBe(false);
    expect(await c.openLine(30_000 - 1)).toBe(true);
    expect(c.window.indexOf(30_000 - 1)).not.toBe(-1);
  });

  it("follows live from the tail's last seq, and resumes after a drop with no repeat", async () => {
    fakeLogApi(100, { complete: false });
    const c = liveController();
    await c.openTail();
    const ws = FakeWebSocket.last();
    expect(ws.url).toContain("/ws/jobs/j/logs/?after=100");
    ws.open();
    const msg = (seq: number) => ({
      type: "log",
      seq,
      stream: "stdout",
      offset: 0,
      line: seq - 1,
      time: "2026-12-02T12:00:01Z",
      data: `line ${seq}\n`,
    });
    ws.receive(msg(101));
    ws.receive(msg(102));
    c.flush();
    ws.drop();
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 3000 });
    const again = FakeWebSocket.last();
    expect(again.url).toContain("after=102");
    again.open();
    again.receive(msg(102)); // a repeat is dropped
    again.receive(msg(103));
    again.receive({ type: "end", status: "succeeded", exit_code: 0 });
    expect(numbers(c.window).slice(-4)).toEqual([100, 101, 102, 103]);
    expect(c.stats.duplicates).toBe(1);
    expect(c.state).toBe("ended");
  });

  it("says so when a gap cannot be filled", async () => {
    fakeLogApi(10, { complete: false });
    const c = liveController();
    await c.openTail();
    const skip = { type: "log", seq: 15, stream: "stdout", line: 14, data: "x\n", time: "" };
    for (let i = 0; i < 3; i++) {
      const ws = FakeWebSocket.last();
      ws.open();
      ws.receive(skip);
      if (i < 2) await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(i + 2));
    }
    c.flush();
    expect(c.gaps).toEqual([{ from: 11, to: 14 }]);
    expect(numbers(c.window).at(-1)).toBe(15);
  });
});

describe("LogController without websockets", () => {
  beforeEach(() => FakeWebSocket.reset());
  afterEach(() => vi.unstubAllGlobals());

  it("polls the REST endpoint after refused handshakes, then ends", async () => {
    let total = 50;
    fakeLogApi(50, { complete: false });
    const c = liveController({ retryDelay: 5 });
    await c.openTail();
    // Three handshakes refused (closed before opening): the viewer polls instead.
    for (let i = 1; i <= 3; i++) {
      await vi.waitFor(() => expect(FakeWebSocket.instances.length).toBeGreaterThanOrEqual(i));
      FakeWebSocket.instances[i - 1]?.drop();
    }
    await vi.waitFor(() => expect(c.state).toBe("polling"));
    total = 60;
    fakeLogApi(total, { complete: true });
    await vi.waitFor(() => expect(c.state).toBe("ended"));
    c.flush();
    expect(numbers(c.window)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

describe("LogWindow", () => {
  it("joins a line split across chunks, also when paging up", () => {
    const w = new LogWindow();
    w.reset(
      [
        { seq: 3, stream: "stdout", line: 1, time: "", data: "tail\nnext" },
        { seq: 4, stream: "stderr", line: 2, time: "", data: " more\n" },
      ],
      { hasEarlier: true, atTail: true },
    );
    w.prepend(
      [
        { seq: 1, stream: "stdout", line: 0, time: "", data: "first\nhe" },
        { seq: 2, stream: "stdout", line: 1, time: "", data: "ad and " },
      ],
      false,
    );
    expect(w.lines.map((l) => l.text)).toEqual(["first", "head and tail", "next more"]);
    expect(w.lines.map((l) => l.n)).toEqual([0, 1, 2]);
  });
});
