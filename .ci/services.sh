#!/usr/bin/env bash
# Installs (from Debian) and starts the servers the integration tests use, on loopback only:
#   Redis standalone   127.0.0.1:6390
#   Redis Cluster      127.0.0.1:7100-7105 (three masters, three replicas)
#   PostgreSQL 15      127.0.0.1:5440, database/user/password "chunkwise"
# Writes .ci/services.env with the CHUNKWISE_* variables the tests read. Idempotent.
#   bash .ci/services.sh start | stop | env
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.ci/.state"
ENV_FILE="$ROOT/.ci/services.env"
REDIS_PORT=6390
CLUSTER_PORTS=(7100 7101 7102 7103 7104 7105)
PG_PORT=5440

log() { printf '[services] %s\n' "$*" >&2; }

install_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

redis_up() { redis-cli -p "$1" ping >/dev/null 2>&1; }

start_redis() {
  mkdir -p "$STATE/redis"
  if ! redis_up "$REDIS_PORT"; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --dir "$STATE/redis" --logfile "$STATE/redis/standalone.log" --pidfile "$STATE/redis/standalone.pid"
  fi
  for port in "${CLUSTER_PORTS[@]}"; do
    mkdir -p "$STATE/redis/$port"
    if ! redis_up "$port"; then
      redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
        --cluster-enabled yes --cluster-config-file "$STATE/redis/$port/nodes.conf" --cluster-node-timeout 2000 \
        --dir "$STATE/redis/$port" --logfile "$STATE/redis/$port/redis.log" --pidfile "$STATE/redis/$port/redis.pid"
    fi
  done
  for port in "$REDIS_PORT" "${CLUSTER_PORTS[@]}"; do
    for _ in $(seq 50); do redis_up "$port" && break; sleep 0.1; done
    redis_up "$port" || { log "redis on $port did not start"; exit 1; }
  done
  if ! redis-cli -p "${CLUSTER_PORTS[0]}" cluster info | grep -q 'cluster_state:ok'; then
    local nodes=()
    for port in "${CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
    for _ in $(seq 100); do
      redis-cli -p "${CLUSTER_PORTS[0]}" cluster info | grep -q 'cluster_state:ok' && break
      sleep 0.1
    done
  fi
  log "redis standalone :$REDIS_PORT and cluster :${CLUSTER_PORTS[0]}-${CLUSTER_PORTS[5]} up"
}

# The postgres user must reach its data folder, and a checkout may sit under a 0700 folder (mktemp -d):
# keep the cluster under /tmp, named after this checkout, and run its commands from /.
PG_DATA="/tmp/chunkwise-postgres-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"
pg() { (cd / && runuser -u postgres -- "$@"); }

start_postgres() {
  local bin=/usr/lib/postgresql/15/bin data="$PG_DATA"
  mkdir -p "$data"
  chown postgres:postgres "$data"
  chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    pg "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
  fi
  # Already serving on the port (started from another checkout, say): use that server.
  if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && ! pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp -c fsync=off" start >/dev/null
  fi
  if ! pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_roles where rolname='chunkwise'" | grep -q 1; then
    pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create role chunkwise login password 'chunkwise' superuser" >/dev/null
    pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database chunkwise owner chunkwise" >/dev/null
  fi
  log "postgres :$PG_PORT up"
}

write_env() {
  local cluster=""
  for port in "${CLUSTER_PORTS[@]}"; do cluster+="${cluster:+,}127.0.0.1:$port"; done
  cat > "$ENV_FILE" <<ENV
export CHUNKWISE_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
export CHUNKWISE_REDIS_CLUSTER=$cluster
export CHUNKWISE_REDIS_CLUSTER_PORTS="${CLUSTER_PORTS[*]}"
export CHUNKWISE_PG_URL=postgres://chunkwise:chunkwise@127.0.0.1:$PG_PORT/chunkwise
ENV
  log "wrote $ENV_FILE"
}

stop_all() {
  for port in "$REDIS_PORT" "${CLUSTER_PORTS[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  [ -d "$PG_DATA" ] && pg /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$STATE/redis"
  log "stopped"
}

case "${1:-start}" in
  start) install_packages; start_redis; start_postgres; write_env ;;
  stop) stop_all ;;
  env) write_env; cat "$ENV_FILE" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
