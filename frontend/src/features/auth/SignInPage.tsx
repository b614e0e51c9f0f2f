import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Navigate, useSearchParams } from "react-router";
import { $api, api } from "../../api/client";
import { mapApiErrors } from "../../api/errors";
import { ThemeToggle } from "../../components/ThemeToggle";
import { useMe } from "./auth";
import { authCache } from "./queries";

function safeNext(next: string | null): string {
  // Only same-site paths: never let ?next= send the user elsewhere.
  return next?.startsWith("/") && !next.startsWith("//") && next !== "/" ? next : "/jobs";
}

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const queryClient = useQueryClient();
  const { me, isLoading } = useMe();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // GET /api/auth/me/ sets the CSRF cookie the login POST needs.
    api.GET("/api/auth/me/").catch(() => undefined);
  }, []);

  const login = $api.useMutation("post", "/api/auth/login/", {
    onSuccess: (user) => {
      // Other users' data must not survive a sign-in; the render below then redirects.
      authCache.signedIn(queryClient, user);
    },
    onError: (body) => {
      const mapped = mapApiErrors(body, []);
      setError(
        mapped.general.map((m) => m.replace(/^(password|username): /, "")).join(" ") ||
          "Sign-in failed.",
      );
    },
  });

  if (!isLoading && me) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    login.mutate({ body: { username, password } });
  };

  return (
    <main className="signin">
      <div className="signin-card card">
        <div className="signin-head">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Sign in to DRS</h1>
          <ThemeToggle />
        </div>
        <p className="muted">Run long jobs on remote servers and watch them live.</p>
        <form onSubmit={submit} className="form" noValidate>
          <label className="field">
            <span>Username</span>
            <input
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              // biome-ignore lint/a11y/noAutofocus: the sign-in page has one job
              autoFocus
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          {error && (
            <p className="error-banner" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn primary" disabled={login.isPending}>
            {login.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
