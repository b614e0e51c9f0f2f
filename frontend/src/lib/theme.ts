import { useCallback, useEffect, useSyncExternalStore } from "react";

export type ThemeChoice = "light" | "dark" | "system";
export type Theme = "light" | "dark";

const KEY = "drs-theme";
const listeners = new Set<() => void>();

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches
    ? "dark"
    : "light";
}

function subscribe(cb: () => void) {
  listeners.add(cb);
  const mq = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  mq?.addEventListener("change", cb);
  return () => {
    listeners.delete(cb);
    mq?.removeEventListener("change", cb);
  };
}

function snapshot(): string {
  return `${readChoice()}:${systemTheme()}`;
}

/** The effective theme (the saved choice, else the OS preference) and a toggle. */
export function useTheme(): { theme: Theme; choice: ThemeChoice; toggle: () => void } {
  const snap = useSyncExternalStore(subscribe, snapshot, () => "system:light");
  const [choice, system] = snap.split(":") as [ThemeChoice, Theme];
  const theme: Theme = choice === "system" ? system : choice;

  useEffect(() => {
    if (choice === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = choice;
  }, [choice]);

  const toggle = useCallback(() => {
    const next: Theme = theme === "dark" ? "light" : "dark";
    try {
      // Going back to what the OS prefers clears the override.
      if (next === systemTheme()) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch {
      // storage disabled: theme lasts for this page only
    }
    document.documentElement.dataset.theme = next;
    for (const cb of listeners) cb();
  }, [theme]);

  return { theme, choice, toggle };
}
