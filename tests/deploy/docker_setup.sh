#!/usr/bin/env bash
# Prepares this machine for `make docker-test`: Debian's docker.io and docker-compose,
# a dockerd on link-local addresses, and the locally made base image (no Docker Hub here).
set -euo pipefail

BASE_IMAGE=${DRS_TEST_BASE_IMAGE:-drs-test-base}
DOCKER=/usr/bin/docker   # Debian's client, matching Debian's dockerd

if ! [ -x /usr/sbin/dockerd ] || ! [ -x /usr/bin/docker-compose ] || ! [ -x /usr/sbin/debootstrap ]; then
  echo "docker-test: installing docker.io, docker-compose, debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    docker.io docker-compose debootstrap >/dev/null
fi

if ! $DOCKER info >/dev/null 2>&1; then
  echo "docker-test: starting dockerd (link-local bridge and address pools)"
  mkdir -p /var/log
  # Link-local ranges only, so no container traffic goes to private networks.
  nohup /usr/sbin/dockerd --bip 169.254.123.1/24 \
    --default-address-pool base=169.254.124.0/22,size=26 \
    >/var/log/drs-dockerd.log 2>&1 &
  for _ in $(seq 60); do
    $DOCKER info >/dev/null 2>&1 && break
    sleep 1
  done
  $DOCKER info >/dev/null 2>&1 || { tail -30 /var/log/drs-dockerd.log; exit 1; }
fi

if ! $DOCKER image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  echo "docker-test: making base image $BASE_IMAGE with debootstrap (once; ~1 min)"
  dir=$(mktemp -d /var/tmp/drs-base.XXXXXX)
  trap 'rm -rf "$dir"' EXIT
  debootstrap --variant=minbase bookworm "$dir" >/dev/null
  # Slim it like the official images: no apt lists, docs or caches.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/locale/*
  # This machine's TLS goes through the host's CA bundle (an intercepting egress proxy
  # here): builds on the test base trust the same bundle. Users' images come from the
  # official Python image and get none of this.
  changes=()
  if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    cp /etc/ssl/certs/ca-certificates.crt "$dir/usr/local/share/host-ca-bundle.crt"
    for var in SSL_CERT_FILE PIP_CERT REQUESTS_CA_BUNDLE NODE_EXTRA_CA_CERTS; do
      changes+=(--change "ENV $var=/usr/local/share/host-ca-bundle.crt")
    done
  fi
  tar -C "$dir" -c . | $DOCKER import "${changes[@]}" - "$BASE_IMAGE" >/dev/null
fi
echo "docker-test: docker ready; base image $BASE_IMAGE"
