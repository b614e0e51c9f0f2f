#!/bin/sh
# Install the host key and the demo user's authorized key that DRS made (DEMO_KEYS).
set -eu
keys=${DEMO_KEYS:-/demo-keys}
for _ in $(seq 120); do
  [ -s "$keys/ssh_host_ed25519_key" ] && [ -s "$keys/authorized_keys" ] && break
  sleep 1
done
install -m 0600 -o root -g root "$keys/ssh_host_ed25519_key" /etc/ssh/ssh_host_ed25519_key
install -d -m 0700 -o demo -g demo /home/demo/.ssh
install -m 0600 -o demo -g demo "$keys/authorized_keys" /home/demo/.ssh/authorized_keys
exec /usr/sbin/sshd -D -e
