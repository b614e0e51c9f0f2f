"""The SSH runner (no HTTP here). Runner processes (`manage.py runner`, started by
`manage.py workers`) each drive many jobs on one asyncio loop.

- `process`  the runner: dispatch queue, claims, cancel hints, one tick for leases and cancels,
             the reaper scan, heartbeat, graceful stop (leases released at once).
- `jobrun`   one job's life: connect, start detached (idempotent), follow, cancel and
             timeout (TERM, grace, KILL), results, final status; bounded reconnects.
- `pool`     SSH connections per (server, credential, pinned key), channel budget, idle
             close, one follower per host.
- `agent_main` the follower agent that runs on the host (stdlib Python, inotify); it also
             launches jobs on a connection where it runs; `agent` its runner side;
             `follow` SFTP polling for hosts without python3.
- `logsink`  per-job batching with UTF-8-safe cuts; the shared persister (many jobs'
             chunks in one transaction, then publish).
- `lease`    conditional-UPDATE leases, per-server admission (FIFO) and the reaper.
- `dispatch` job ids to runners over a Redis list (hints; the lease decides).
- `ssh`      connections: pinned host key only (RSA via SHA-2), SSRF guard, keepalive.
- `remote`   the host abstraction (SSH / local) and the /bin/sh scripts it runs (every
             user value through `shlex.quote`).
- `results`  pattern selection and copying result files into Django storage.
- `services` scan-host-key, check, install/remove public key (called by the REST API).
"""
