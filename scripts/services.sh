#!/usr/bin/env bash
# Installs (from Debian), configures and starts what the tests need: PostgreSQL on 127.0.0.1:5432
# with passwordless loopback access for the `postgres` role and a `test` database, and Redis on
# 127.0.0.1:6379. Safe to run again: it only does what is missing. Also installs Chromium for the
# browser suites. Needs root (or sudo).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# Another apt (unattended upgrades, a second shell) may hold the dpkg lock: wait for it.
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || packages+=(postgresql)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
if [ ${#packages[@]} -gt 0 ]; then
  echo "services: installing ${packages[*]} from Debian"
  apt_get update -qq
  apt_get install -y -qq "${packages[@]}" >/dev/null
fi

pg_version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
if [ -z "$pg_version" ]; then
  pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  as_root pg_createcluster "$pg_version" main >/dev/null
fi
hba=/etc/postgresql/$pg_version/main/pg_hba.conf
# Debian asks for a password on 127.0.0.1; the tests connect as postgres without one.
if ! as_root grep -q '^# osv: trust loopback' "$hba"; then
  echo "services: trusting loopback connections in $hba"
  as_root sed -i '/^# osv: trust loopback/,+2d' "$hba"
  as_root sed -i '1i # osv: trust loopback\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload >/dev/null 2>&1 || true
fi
# Test files run in parallel, each with its own database and pool.
conf=/etc/postgresql/$pg_version/main/conf.d/osv.conf
if [ ! -f "$conf" ]; then
  echo "max_connections = 400" | as_root tee "$conf" >/dev/null
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main stop >/dev/null 2>&1 || true
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "services: starting PostgreSQL $pg_version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE test"

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "services: starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/osv.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
echo "services: PostgreSQL on 127.0.0.1:5432 (database test), Redis on 127.0.0.1:6379"
