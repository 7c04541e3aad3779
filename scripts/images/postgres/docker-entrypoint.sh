#!/usr/bin/env bash
# The official postgres image's contract, written here from its documentation: POSTGRES_USER (default postgres),
# POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: the user's name),
# POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256), PGDATA, and /docker-entrypoint-initdb.d
# (*.sh run, *.sql and *.sql.gz fed to psql) on the first start only. The server runs as postgres and listens on 5432.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

# Anything but the server (a shell, pg_dump, postgres --version or --help) runs as asked, with no initialisation.
if [ "$1" != 'postgres' ]; then
  exec "$@"
fi
for argument in "${@:2}"; do
  case "$argument" in
    --version|-V|--help|-'?'|--describe-config|-C) exec "$@" ;;
  esac
done

# Started as root: own the data directory, then run the rest as postgres.
if [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user="${POSTGRES_USER:-postgres}"
  database="${POSTGRES_DB:-$user}"
  method="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$method" != 'trust' ]; then
    echo "error: the database is uninitialized and POSTGRES_PASSWORD is not set: set it, or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without one" >&2
    exit 1
  fi

  password_file="$(mktemp)"
  printf '%s' "${POSTGRES_PASSWORD:-}" > "$password_file"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as the contract says
  initdb --username="$user" --pwfile="$password_file" ${POSTGRES_INITDB_ARGS:-}
  rm -f "$password_file"

  {
    echo
    echo "host all all all $method"
  } >> "$PGDATA/pg_hba.conf"

  # A server on the socket only while the database and the init scripts are made.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  export PGPASSWORD="${POSTGRES_PASSWORD:-}"
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user" --dbname postgres)
  if [ "$database" != 'postgres' ]; then
    "${psql[@]}" --set db="$database" <<<'CREATE DATABASE :"db"'
  fi

  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) echo "running $file"; if [ -x "$file" ]; then "$file"; else . "$file"; fi ;;
      *.sql) echo "running $file"; "${psql[@]}" --dbname "$database" -f "$file" ;;
      *.sql.gz) echo "running $file"; gunzip -c "$file" | "${psql[@]}" --dbname "$database" ;;
      *) [ -e "$file" ] && echo "ignoring $file" ;;
    esac
  done

  unset PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@" -c listen_addresses='*' -p 5432
