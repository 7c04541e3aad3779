#!/usr/bin/env bash
# The seed's migration script, on .NET: init, create "description", upgrade, downgrade, status, current, history,
# heads, merge, stamp, check. Every command runs Superset.MigrationWorker; 'manage_migrations.sh --help' lists them.
#
# The database comes from SUPERSET__SQLALCHEMY_DATABASE_URI, SQLALCHEMY_DATABASE_URI or ConnectionStrings__superset;
# with none set, the local development database that the AppHost provisions is used (and started when needed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/Superset.MigrationWorker"
configuration="${SUPERSET_MIGRATIONS_CONFIGURATION:-Release}"
# Published ReadyToRun (precompiled): a command starts without JIT-compiling Npgsql and FluentMigrator first, which
# roughly halves the time of a short command such as status.
output="${SUPERSET_CLI_OUTPUT:-$project/bin/cli/$configuration}"
stamp="$output/.built-by-manage-migrations"

# Build only when a source changed since the last build: 'create' adds a migration file, which must be compiled
# before 'upgrade' can apply it. Folders count too: deleting a file changes only its folder's time. With nothing
# to build, a command starts in a fraction of a second.
needs_build() {
  [ -f "$stamp" ] && [ -f "$output/Superset.MigrationWorker.dll" ] || return 0
  # The quick front (QuickAnswer/) is a program of its own, built below: its build made this one rebuild once.
  [ -n "$(find "$root/Superset.Migrations" "$root/Superset.MigrationWorker" "$root/Superset.ServiceDefaults" \
            \( -name bin -o -name obj -o -path "$project/QuickAnswer" \) -prune -o -newer "$stamp" -print -quit)" ] && return 0
  [ -n "$(find "$root" -maxdepth 1 -name 'Directory.*.props' -newer "$stamp" -print -quit)" ]
}

# One build at a time: commands started together on a fresh clone (two terminals, a script) wait for the first one's
# build instead of publishing into the same folder at once, then run. The lock is a file the kernel releases when its
# holder exits, however it exits; the build itself does not inherit it.
mkdir -p "$output"
exec 9>"$output/.build.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  echo "⏳ Waiting for another manage_migrations.sh that is building the migrations…" >&2
  flock -w 900 9 || { echo "❌ ERROR: waited 15 minutes for another build of $output to finish" >&2; exit 1; }
fi

if needs_build; then
  echo "🔨 Building the migrations (sources changed since the last build)…" >&2
  # A build cut short (Ctrl+C, a killed terminal) leaves no stamp, so the next command builds again rather than run it.
  rm -f "$stamp"
  log="$(mktemp)"
  if ! dotnet publish "$project" --configuration "$configuration" --use-current-runtime --self-contained false \
       -p:PublishReadyToRun=true --output "$output" --nologo --verbosity quiet -clp:ErrorsOnly -nodeReuse:false \
       --disable-build-servers >"$log" 2>&1 9>&-; then
    grep -E ': error ' "$log" | sort -u >&2 || cat "$log" >&2
    rm -f "$log"
    echo "❌ ERROR: the build failed; fix the errors above (a new migration must compile)" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
fi

# status, current, history and heads go through the quick front (Superset.MigrationWorker/QuickAnswer): compiled once to native code, it
# prints the command line's last answer to the same command when nothing it depends on changed (its files, the history),
# in about 15 ms instead of 0.15 s, and otherwise hands over to the command line. Built the first time one is asked
# for, and after its own sources change; where native code cannot be built, the command line answers every time.
# SUPERSET_QUICK_ANSWERS=off leaves it out.
quick_dir="$output/quick"
quick="$quick_dir/manage-migrations-quick"
quick_stamp="$quick_dir/.built-by-manage-migrations"
quick_needs_build() {
  [ -f "$quick_stamp" ] || return 0
  [ -n "$(find "$project/QuickAnswer" "$project/Cli/Answers/StoredAnswer.cs" "$root/Superset.Migrations/Tools/CacheFiles.cs" \
            \( -name bin -o -name obj \) -prune \
            -o -newer "$quick_stamp" -print -quit)" ] && return 0
  [ -n "$(find "$root" -maxdepth 1 -name 'Directory.*.props' -newer "$quick_stamp" -print -quit)" ]
}
use_quick=false
case "${1:-}" in status|current|history|heads) reads_plan=true ;; *) reads_plan=false ;; esac
if $reads_plan && [ "${SUPERSET_QUICK_ANSWERS:-}" != off ]; then
  use_quick=true
  if quick_needs_build; then
    echo "🔨 Building the quick front of status, current, history and heads (native code, once)…" >&2
    rm -f "$quick_stamp" "$quick"
    log="$(mktemp)"
    if ! dotnet publish "$project/QuickAnswer" --configuration Release --use-current-runtime --output "$quick_dir" \
         --nologo --verbosity quiet -clp:ErrorsOnly -nodeReuse:false --disable-build-servers >"$log" 2>&1 9>&-; then
      echo "ℹ️  status, current, history and heads answer in full each time: the quick front could not be compiled to native code here" \
           "($(grep -m1 -E 'error' "$log" || tail -n1 "$log"))" >&2
      rm -f "$quick"
    fi
    rm -f "$log"
    # Stamped either way: a machine that cannot build it is not asked again until its sources change.
    touch "$quick_stamp"
  fi
fi
exec 9>&-

[ $# -eq 0 ] && set -- --help
# Run from outside the checkout (another terminal's folder), the command still finds this checkout's server and backups.
export SUPERSET_CHECKOUT="$root"
if $use_quick && [ -x "$quick" ]; then
  exec "$quick" "$output/Superset.MigrationWorker.dll" "$@"
fi
exec dotnet "$output/Superset.MigrationWorker.dll" "$@"
