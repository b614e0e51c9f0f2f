"""The SSH runner (no HTTP here). One django-q2 task per job runs `engine.run_job`.

- `engine`   the lifecycle: admit (per-server slots, FIFO), claim the lease, connect,
             upload, start detached, follow, cancel/timeout, results, final status.
- `lease`    conditional-UPDATE leases, slot reservation and the reaper.
- `ssh`      connections: pinned host key only, SSRF guard, timeouts, keepalive.
- `remote`   the host abstraction (SSH: channels + SFTP; `local`: the worker host) and
             the shell scripts it runs (every user value through `shlex.quote`).
- `follow`   the transport: new bytes by offset plus the exit code, fed to a sink.
- `logsink`  batching, UTF-8-safe cuts, chunks + offsets in one transaction, publish.
- `results`  pattern selection and copying result files into Django storage.
- `services` scan-host-key, check, install/remove public key (called by the REST API).
"""
