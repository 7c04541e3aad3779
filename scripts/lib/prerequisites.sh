# Shared by run.sh and test.sh: make sure this machine has what the stack needs, installing it where we can.
# Sourced, not run.

die() { echo "❌ ERROR: $*" >&2; exit 1; }
note() { echo "▶ $*"; }

# Runs a command as root: directly when we are root, through sudo when it is there, else says what to run.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "this needs root: run '$*' as root, then try again"
  fi
}

apt_updated=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $* here (no apt-get): install it with your package manager"
  if [ -z "$apt_updated" ]; then
    note "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  note "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is not installed: see https://dot.net/download"
  dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is needed (found: $(dotnet --list-sdks | tr '\n' ' '))"
}

# The PostgreSQL server binaries (initdb, postgres, pg_ctl, pg_dump, pg_restore), as the AppHost's local mode
# and the tests look for them.
have_postgres_binaries() {
  local dir
  for dir in "${Postgres__BinDirectory:-}" "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && [ -x "$dir/pg_dump" ] && return 0
  done
  return 1
}

require_postgres_binaries() {
  have_postgres_binaries && return 0
  note "PostgreSQL's server binaries are missing: installing them"
  apt_install postgresql
  have_postgres_binaries || die "PostgreSQL was installed but its binaries were not found under /usr/lib/postgresql"
}

container_runtime_answers() {
  local runtime="${ASPIRE_CONTAINER_RUNTIME:-docker}"
  command -v "$runtime" >/dev/null 2>&1 && timeout 10 "$runtime" info >/dev/null 2>&1
}

# Headless Chromium for the browser test (Debian's package, or the one CHROMIUM_PATH names; no browser download).
require_chromium() {
  [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ] && return 0
  command -v chromium >/dev/null 2>&1 && return 0
  note "Chromium is missing (the browser test needs it): installing it"
  apt_install chromium
}
