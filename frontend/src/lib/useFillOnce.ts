import { useEffect, useRef } from "react";

/**
 * `fill(data)` the first time `data` has loaded (and `ready`): a form takes loaded values
 * once, and is the user's afterwards.
 */
export function useFillOnce<T>(data: T | undefined, fill: (data: T) => void, ready = true): void {
  const filled = useRef(false);
  const latest = useRef(fill);
  latest.current = fill;
  useEffect(() => {
    if (ready && data && !filled.current) {
      filled.current = true;
      latest.current(data);
    }
  }, [ready, data]);
}
