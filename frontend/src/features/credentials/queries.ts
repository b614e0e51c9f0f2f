// The credentials feature's queries and invalidations.
import type { QueryClient } from "@tanstack/react-query";
import { $api } from "../../api/client";

export const credentialQueries = {
  list: () =>
    $api.queryOptions("get", "/api/credentials/", { params: { query: { page_size: 200 } } }),
};

export const credentialInvalidation = {
  list: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: credentialQueries.list().queryKey.slice(0, 2) }),
};
