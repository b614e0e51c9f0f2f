// The signed-in user's query (the session), shared by the guard, the header and sign-in.
import type { QueryClient } from "@tanstack/react-query";
import { $api, type User } from "../../api/client";

export const authQueries = {
  me: () => $api.queryOptions("get", "/api/auth/me/", {}, { retry: false, staleTime: 60_000 }),
};

const meKey = () => authQueries.me().queryKey;

export const authCache = {
  /** After sign-in: drop everything cached for whoever was signed in before. */
  signedIn: (qc: QueryClient, user: User) => {
    const key = meKey();
    qc.removeQueries({ predicate: (q) => q.queryKey[1] !== key[1] });
    qc.setQueryData(key, user);
  },
  /** The session is gone. */
  signedOut: (qc: QueryClient) => qc.removeQueries({ queryKey: meKey() }),
};
