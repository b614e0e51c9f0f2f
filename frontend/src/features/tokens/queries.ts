// The API tokens feature's queries and invalidations.
import type { QueryClient } from "@tanstack/react-query";
import { $api } from "../../api/client";

export const tokenQueries = {
  list: () => $api.queryOptions("get", "/api/auth/tokens/"),
};

export const tokenInvalidation = {
  list: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: tokenQueries.list().queryKey.slice(0, 2) }),
};
