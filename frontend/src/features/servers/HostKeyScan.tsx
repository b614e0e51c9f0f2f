import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api, type Schemas, type Server } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { FixHint } from "../../components/FixHint";
import { serverInvalidation } from "./queries";

export function HostKeyScan({ server }: { server: Server }) {
  const queryClient = useQueryClient();
  const [scanned, setScanned] = useState<Schemas["HostKey"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const scan = $api.useMutation("post", "/api/servers/{id}/scan-host-key/", {
    onSuccess: (data) => setScanned(data),
    onError: (e) => setError(errorMessage(e)),
  });
  const pin = $api.useMutation("patch", "/api/servers/{id}/", {
    onSuccess: () => {
      setScanned(null);
      void serverInvalidation.servers(queryClient);
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const matches = Boolean(scanned && server.host_key_fingerprint === scanned.fingerprint);
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={scan.isPending}
        onClick={() => {
          setError(null);
          setScanned(null);
          scan.mutate({ params: { path: { id: server.id } } });
        }}
      >
        {scan.isPending ? "Scanning…" : "Scan host key"}
      </button>
      {error && (
        <div className="error-banner full" role="alert">
          <p>{error}</p>
          <FixHint message={error} />
        </div>
      )}
      {scanned && (
        <section className="scan-result full" aria-label="Scanned host key">
          <p>
            The host presented this key. Compare the fingerprint with{" "}
            <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the server before
            approving.
          </p>
          <p className="fingerprint mono" data-testid="scanned-fingerprint">
            {scanned.fingerprint}
          </p>
          {matches && (
            <p className="ok-banner" data-testid="scan-matches">
              This is the key pinned now: nothing to approve.
            </p>
          )}
          {server.host_key && !matches && (
            <p className="warn">This differs from the key pinned now. Approving replaces it.</p>
          )}
          <details>
            <summary>Public key</summary>
            <pre className="code small">{scanned.key}</pre>
          </details>
          <div className="card-actions">
            {!matches && (
              <button
                type="button"
                className="btn primary"
                disabled={pin.isPending}
                onClick={() =>
                  pin.mutate({
                    params: { path: { id: server.id } },
                    body: { host_key: scanned.key },
                  })
                }
              >
                Approve and pin
              </button>
            )}
            <button type="button" className="btn ghost" onClick={() => setScanned(null)}>
              {matches ? "Close" : "Discard"}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
