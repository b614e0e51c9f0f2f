import { Suspense } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { urls } from "./api/client";
import { RouteErrorBoundary } from "./components/RouteErrorBoundary";
import { ThemeToggle } from "./components/ThemeToggle";
import { useMe, useSignOut } from "./features/auth/auth";
import { useJobEvents } from "./features/jobs/useJobEvents";
import { setNotifyUser } from "./features/notifications/browserNotify";

/** The main navigation after "Jobs" (which matches its own path only). */
const NAV = [
  ["/jobs/new", "New job"],
  ["/applications", "Applications"],
  ["/servers", "Servers"],
  ["/credentials", "Credentials"],
  ["/files", "Files"],
  ["/schedules", "Schedules"],
  ["/webhooks", "Webhooks"],
  ["/settings", "Settings"],
] as const;

export function Layout() {
  const { me } = useMe();
  setNotifyUser(me?.username ?? null);
  const signOut = useSignOut();
  const live = useJobEvents();
  const location = useLocation();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/jobs" className="brand" aria-label="DRS home">
            <span className="brand-mark" aria-hidden="true" />
            <span>DRS</span>
          </NavLink>
          <nav className="nav" aria-label="Main">
            <NavLink to="/jobs" end>
              Jobs
            </NavLink>
            {NAV.map(([to, label]) => (
              <NavLink key={to} to={to}>
                {label}
              </NavLink>
            ))}
            <a href={urls.docs} target="_blank" rel="noreferrer">
              API docs
            </a>
          </nav>
          <div className="topbar-end">
            <span
              className={`live-dot ${live}`}
              title={live === "open" ? "Live updates on" : "Live updates reconnecting"}
              role="img"
              aria-label={live === "open" ? "Live updates on" : "Live updates reconnecting"}
            />
            <ThemeToggle />
            <span className="user" title={me?.is_staff ? "staff" : undefined}>
              {me?.username}
              {me?.is_staff && <span className="tag">staff</span>}
            </span>
            <button type="button" className="btn ghost" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <RouteErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<p className="page muted">Loading…</p>}>
            <Outlet />
          </Suspense>
        </RouteErrorBoundary>
      </main>
    </div>
  );
}
