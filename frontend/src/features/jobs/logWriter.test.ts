import { describe, expect, it } from "vitest";
import { LogWriter } from "./logWriter";

function harness(options: { maxLines?: number; maxChars?: number } = {}) {
  const frames: Array<() => void> = [];
  const writes: string[] = [];
  const pendingCallbacks: Array<() => void> = [];
  const writer = new LogWriter(
    {
      write(data, cb) {
        writes.push(data);
        pendingCallbacks.push(cb);
      },
    },
    { ...options, schedule: (cb) => frames.push(cb) },
  );
  const runFrame = () => frames.shift()?.();
  const parsed = () => pendingCallbacks.shift()?.();
  return { writer, frames, writes, runFrame, parsed };
}

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${from + i}\n`).join("");

describe("LogWriter", () => {
  it("writes nothing until the next frame, then one batch", () => {
    const h = harness();
    h.writer.push("a\n");
    h.writer.push("b\n");
    expect(h.writes).toEqual([]);
    expect(h.frames.length).toBe(1);
    h.runFrame();
    expect(h.writes).toEqual(["a\nb\n"]);
  });

  it("keeps one write in flight and schedules the next batch after the callback", () => {
    const h = harness({ maxLines: 10 });
    for (let i = 0; i < 35; i++) h.writer.push(`${i + 1}\n`);
    h.runFrame();
    expect(h.writes.length).toBe(1);
    h.writer.push("36\n");
    expect(h.frames.length).toBe(0); // still writing: no new frame yet
    h.parsed();
    expect(h.frames.length).toBe(1);
    while (h.frames.length) {
      h.runFrame();
      h.parsed();
    }
    expect(h.writes.join("")).toBe(lines(1, 36));
    expect(h.writes.map((w) => w.split("\n").length - 1)).toEqual([10, 10, 10, 6]);
    expect(h.writer.idle).toBe(true);
    expect(h.writer.written.lines).toBe(36);
  });

  it("handles a million lines in large batches", () => {
    const h = harness();
    const chunk = lines(1, 5000);
    for (let i = 0; i < 200; i++) h.writer.push(chunk);
    let frames = 0;
    while (h.frames.length) {
      frames++;
      h.runFrame();
      h.parsed();
    }
    expect(h.writer.written.lines).toBe(1_000_000);
    expect(frames).toBeLessThanOrEqual(110);
    expect(h.writer.queuedChars).toBe(0);
  });

  it("cuts an oversized chunk without losing or reordering text", () => {
    const h = harness({ maxChars: 10 });
    h.writer.push("0123456789abcdefghij-klm");
    h.writer.push("XYZ");
    while (h.frames.length) {
      h.runFrame();
      h.parsed();
    }
    expect(h.writes).toEqual(["0123456789", "abcdefghij", "-klmXYZ"]);
  });

  it("stops after dispose", () => {
    const h = harness();
    h.writer.push("a\n");
    h.writer.dispose();
    h.runFrame();
    expect(h.writes).toEqual([]);
  });

  it("starts with a small batch so the first lines paint at once, then ramps up", () => {
    const h = harness();
    for (let i = 0; i < 10; i++) h.writer.push(lines(i * 5000 + 1, (i + 1) * 5000));
    while (h.frames.length) {
      h.runFrame();
      h.parsed();
    }
    const sizes = h.writes.map((w) => w.split("\n").length - 1);
    expect(sizes.slice(0, 5)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(50_000);
  });
});
