import { describe, expect, it } from "vitest";
import { LogResume } from "./logStream";

const log = (seq: number, data = `line ${seq}\n`, stream = "stdout") => ({
  type: "log",
  seq,
  stream,
  offset: 0,
  data,
});

describe("LogResume", () => {
  it("accepts chunks in order and remembers the last seq", () => {
    const r = new LogResume();
    expect(r.path("abc")).toBe("/ws/jobs/abc/logs/?after=0");
    expect(r.accept(log(1)).kind).toBe("chunk");
    expect(r.accept(log(2)).kind).toBe("chunk");
    expect(r.lastSeq).toBe(2);
    expect(r.path("abc")).toBe("/ws/jobs/abc/logs/?after=2");
  });

  it("drops chunks already seen after a reconnect", () => {
    const r = new LogResume();
    for (const seq of [1, 2, 3]) r.accept(log(seq));
    // A reconnect that (wrongly or from a race) replays 2 and 3 shows nothing twice.
    expect(r.accept(log(2)).kind).toBe("duplicate");
    expect(r.accept(log(3)).kind).toBe("duplicate");
    expect(r.accept(log(4)).kind).toBe("chunk");
    expect(r.lastSeq).toBe(4);
  });

  it("reports a gap instead of showing out-of-order chunks", () => {
    const r = new LogResume(5);
    expect(r.accept(log(7))).toEqual({ kind: "gap", expected: 6, got: 7 });
    expect(r.lastSeq).toBe(5);
    expect(r.accept(log(6)).kind).toBe("chunk");
  });

  it("gives every line exactly once across drops", () => {
    // Simulate a server that resends from `after` on every reconnect, and drops the
    // socket at random points.
    const all = Array.from({ length: 200 }, (_, i) => log(i + 1));
    const r = new LogResume();
    const shown: number[] = [];
    let connections = 0;
    while (r.lastSeq < all.length && connections < 100) {
      connections++;
      const after = Number(new URL(`http://x${r.path("j")}`).searchParams.get("after"));
      // The server may overlap by a few chunks (subscribe-then-backfill race).
      const start = Math.max(0, after - 3);
      const stop = Math.min(all.length, start + 17 + ((connections * 7) % 23));
      for (const message of all.slice(start, stop)) {
        const accepted = r.accept(message);
        if (accepted.kind === "chunk") shown.push(accepted.chunk.seq);
      }
    }
    expect(shown).toEqual(all.map((m) => m.seq));
  });

  it("records the end message", () => {
    const r = new LogResume();
    const accepted = r.accept({ type: "end", status: "succeeded", exit_code: 0 });
    expect(accepted.kind).toBe("end");
    expect(r.ended).toEqual({ type: "end", status: "succeeded", exit_code: 0 });
  });

  it("ignores junk", () => {
    const r = new LogResume();
    expect(r.accept(null).kind).toBe("ignored");
    expect(r.accept({ type: "job" }).kind).toBe("ignored");
    expect(r.accept("text").kind).toBe("ignored");
  });
});
