#!/bin/sh
# Install the host key and the demo user's authorized key that DRS made (DEMO_KEYS), make
# this cluster's munge key once, then start munged, slurmctld, slurmd and sshd. The Slurm
# daemons log to the container's output (`docker compose logs slurm`).
set -eu
keys=${DEMO_KEYS:-/demo-keys}
for _ in $(seq 120); do
  [ -s "$keys/slurm_ssh_host_ed25519_key" ] && [ -s "$keys/slurm_authorized_keys" ] && break
  sleep 1
done
install -m 0600 -o root -g root "$keys/slurm_ssh_host_ed25519_key" /etc/ssh/ssh_host_ed25519_key
install -d -m 0700 -o demo -g demo /home/demo/.ssh
install -m 0600 -o demo -g demo "$keys/slurm_authorized_keys" /home/demo/.ssh/authorized_keys

if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile /etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
install -d -m 0755 -o munge -g munge /run/munge
runuser -u munge -- /usr/sbin/munged

# The job completion log, which DRS reads with `sacct -c` to learn how a job ended that
# the queue has forgotten: sacct opens it for appending, so its reader needs write access
# (the demo user's group here; a real cluster has slurmdbd instead).
[ -e /var/log/slurm/jobcomp.txt ] || install -m 0664 -g demo /dev/null /var/log/slurm/jobcomp.txt
/usr/sbin/slurmctld -D &
/usr/sbin/slurmd -D -N localhost &
exec /usr/sbin/sshd -D -e
