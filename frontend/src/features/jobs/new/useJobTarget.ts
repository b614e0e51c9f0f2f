import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import type { UseFormReturn } from "react-hook-form";
import { credentialQueries } from "../../credentials/queries";
import { serverQueries } from "../../servers/queries";
import type { JobForm } from "./jobForm";

/**
 * Where a job runs: the servers, the chosen server's credentials and interpreters, and
 * sensible defaults as the lists arrive or the server changes. A job's credential that is
 * not the user's own (staff rerunning someone else's job) is replaced by theirs.
 */
export function useJobTarget(form: UseFormReturn<JobForm>) {
  const { watch, setValue } = form;
  const servers = useQuery(serverQueries.servers());
  const credentials = useQuery(credentialQueries.list());
  const interpreters = useQuery(serverQueries.interpreters());
  const server = watch("server");
  const credential = watch("credential");
  const interpreter = watch("interpreter");

  const enabledServers = (servers.data?.results ?? []).filter((s) => s.enabled !== false);
  const selectedServer = enabledServers.find((s) => String(s.id) === server);
  const batch = selectedServer?.scheduler !== undefined && selectedServer.scheduler !== "direct";
  const serverCredentials = (credentials.data?.results ?? []).filter(
    (c) => String(c.server) === server,
  );
  const serverInterpreters = useMemo(() => {
    // Only what the chosen server offers: the backend refuses any other interpreter.
    const allowed = selectedServer?.interpreters ?? [];
    return (interpreters.data?.results ?? []).filter((i) => allowed.includes(i.id));
  }, [interpreters.data, selectedServer]);

  useEffect(() => {
    if (!server && enabledServers.length === 1) setValue("server", String(enabledServers[0]?.id));
  }, [server, enabledServers, setValue]);
  useEffect(() => {
    if (!credentials.data) return;
    if (!serverCredentials.some((c) => String(c.id) === credential)) {
      setValue("credential", serverCredentials[0] ? String(serverCredentials[0].id) : "");
    }
  }, [serverCredentials, credential, credentials.data, setValue]);
  useEffect(() => {
    if (!interpreters.data) return;
    if (!serverInterpreters.some((i) => String(i.id) === interpreter)) {
      setValue("interpreter", serverInterpreters[0] ? String(serverInterpreters[0].id) : "");
    }
  }, [serverInterpreters, interpreter, interpreters.data, setValue]);

  return {
    loaded: Boolean(servers.data && credentials.data && interpreters.data),
    credentialsLoaded: Boolean(credentials.data),
    server,
    enabledServers,
    selectedServer,
    batch,
    serverCredentials,
    serverInterpreters,
  };
}

export type JobTarget = ReturnType<typeof useJobTarget>;
