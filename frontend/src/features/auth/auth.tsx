import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { $api, onUnauthorized } from "../../api/client";
import { authCache, authQueries } from "./queries";

/** The signed-in user, or null when signed out. */
export function useMe() {
  const query = useQuery(authQueries.me());
  return { me: query.data ?? null, isLoading: query.isLoading, error: query.error };
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const mutation = $api.useMutation("post", "/api/auth/logout/", {
    onSettled: () => {
      queryClient.clear();
      navigate("/signin", { replace: true });
    },
  });
  return () => mutation.mutate({});
}

/** Central 401 handling: any API call that finds the session gone lands on sign-in. */
export function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  useEffect(() => {
    onUnauthorized(() => {
      if (window.location.pathname === "/signin") return;
      authCache.signedOut(queryClient);
      const next = window.location.pathname + window.location.search;
      navigate(`/signin?next=${encodeURIComponent(next)}`, { replace: true });
    });
    return () => onUnauthorized(null);
  }, [navigate, queryClient]);
  void location;
  return null;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { me, isLoading } = useMe();
  const location = useLocation();
  if (isLoading) {
    return (
      <div className="center-screen" role="status">
        <span className="spinner" />
        <span className="visually-hidden">Loading</span>
      </div>
    );
  }
  if (!me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
