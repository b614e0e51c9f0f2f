import { useQuery } from "@tanstack/react-query";

/**
 * How many applications the API offers (0 when it has none, or no applications endpoint).
 * A plain fetch, not the generated client: the endpoint belongs to the applications
 * feature and may be absent from this build's schema.
 */
export function useApplicationCount(): number {
  const query = useQuery({
    queryKey: ["firstrun", "applications"],
    queryFn: async () => {
      const response = await fetch("/api/applications/?page_size=1", {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return 0;
      const body = (await response.json()) as { count?: number; results?: unknown[] };
      return body.count ?? body.results?.length ?? 0;
    },
    retry: false,
    staleTime: 60_000,
  });
  return query.data ?? 0;
}
