import { describe, expect, it } from "vitest";
import { plainText, renderAnsi, styleAfter } from "./ansi";
import { chunksToLines } from "./logWindow";

describe("renderAnsi", () => {
  it("turns SGR colours and attributes into styled segments", () => {
    const segs = renderAnsi("\x1b[32mgreen\x1b[0m and \x1b[1;38;5;196mbold red\x1b[0m");
    expect(segs.map((s) => s.text)).toEqual(["green", " and ", "bold red"]);
    expect(segs[0]?.style).toEqual({ fg: "var(--ansi-green)" });
    expect(segs[1]?.style).toBeNull();
    expect(segs[2]?.style).toEqual({ bold: true, fg: "rgb(255, 0, 0)" });
    expect(renderAnsi("\x1b[38;2;1;2;3mx")[0]?.style).toEqual({ fg: "rgb(1, 2, 3)" });
  });

  it("keeps the last drawing of a line redrawn with \\r", () => {
    expect(plainText("progress  10%\rprogress  50%\rprogress 100%")).toBe("progress 100%");
    expect(plainText("done\r")).toBe("done");
    // tqdm-style: colour set before the redraws still applies.
    const segs = renderAnsi("\x1b[33m 1/3\r 2/3\r 3/3");
    expect(segs).toEqual([{ text: " 3/3", style: { fg: "var(--ansi-yellow)" } }]);
  });

  it("drops other escape sequences and control characters", () => {
    expect(plainText("a\x1b[2Kb\x1b]0;title\x07c\x1b[?25ld\x07e")).toBe("abcde");
  });

  it("carries a colour over lines until it is reset", () => {
    const carry = styleAfter("\x1b[31mstart", null);
    expect(carry).toEqual({ fg: "var(--ansi-red)" });
    expect(renderAnsi("middle", carry)[0]?.style).toEqual({ fg: "var(--ansi-red)" });
    expect(styleAfter("end\x1b[0m", carry)).toBeNull();
    const lines = chunksToLines([
      {
        seq: 1,
        stream: "stdout",
        line: 0,
        time: "",
        data: "\x1b[31mred\nstill red\n\x1b[0mplain\n",
      },
    ]);
    expect(lines.map((l) => renderAnsi(l.text, l.carry)[0]?.style?.fg ?? null)).toEqual([
      "var(--ansi-red)",
      "var(--ansi-red)",
      null,
    ]);
  });
});
