import { type RefObject, useLayoutEffect } from "react";

/** Rows of a log box however short the log (room for "No output yet" and a button). */
const MIN_PX = 120;
/** Space kept below the box so its bottom border and the page's next heading show. */
const BELOW_PX = 12;

/**
 * Sets `--log-fit` on the element: the height from its top (in the page, scrolled to the
 * top) to the bottom of the viewport, so the newest lines of a log show on the first
 * screen whatever the device. CSS caps the box at that height; a short log keeps a short
 * box.
 */
export function useFitHeight(ref: RefObject<HTMLElement | null>) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const px = Math.max(MIN_PX, Math.floor(window.innerHeight - top - BELOW_PX));
      // A reader at the tail stays there when the box shrinks (a banner appeared above).
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
      el.style.setProperty("--log-fit", `${px}px`);
      if (atBottom) el.scrollTop = el.scrollHeight;
    };
    fit();
    // The header above can change height (a banner appears): refit when the page does.
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(fit);
    observer?.observe(document.body);
    window.addEventListener("resize", fit);
    return () => {
      observer?.disconnect();
      window.removeEventListener("resize", fit);
    };
  }, [ref]);
}
