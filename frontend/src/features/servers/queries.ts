// The servers feature's queries (servers, interpreters) and their invalidations.
import type { QueryClient } from "@tanstack/react-query";
import { $api } from "../../api/client";

const LIST = { params: { query: { page_size: 200 } } } as const;

export const serverQueries = {
  servers: () => $api.queryOptions("get", "/api/servers/", LIST),
  interpreters: () => $api.queryOptions("get", "/api/interpreters/", LIST),
};

export const serverInvalidation = {
  servers: (qc: QueryClient) =>
    qc.invalidateQueries({ queryKey: serverQueries.servers().queryKey.slice(0, 2) }),
  interpreters: (qc: QueryClient) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: serverQueries.interpreters().queryKey.slice(0, 2) }),
      // Server cards show interpreter names.
      qc.invalidateQueries({ queryKey: serverQueries.servers().queryKey.slice(0, 2) }),
    ]),
};
