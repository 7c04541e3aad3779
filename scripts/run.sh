#!/usr/bin/env bash
# Runs the whole stack (the same as F5 on Superset.AppHost): PostgreSQL, the backup, the migration worker, the web
# app and the Aspire dashboard. On a fresh machine it first installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh

require_dotnet
# The AppHost uses a container when a container engine answers, else this machine's PostgreSQL binaries.
container_runtime_answers || require_postgres_binaries

# 'dotnet run' checks the restore and builds every project before it starts anything, even when nothing changed: most
# of a warm start. So the build runs only when a file of the checkout changed since the last one that succeeded (the
# stamp), and the restore only when a project, props or package file changed since the last restore; otherwise the
# AppHost starts at once from its last build. Any edit, a new migration, a branch switch (git gives changed files the
# time of the switch, and a deleted file's folder changes) still builds.
stamp=".data/run.built"
source scripts/lib/changes.sh
restore_inputs_changed() {
  local assets
  for assets in Superset.AppHost/obj/project.assets.json Superset.Web/obj/project.assets.json \
                Superset.MigrationWorker/obj/project.assets.json Superset.Migrations/obj/project.assets.json \
                Superset.ServiceDefaults/obj/project.assets.json; do
    [ -f "$assets" ] || return 0
    [ -z "$(find . \( -name bin -o -name obj -o -name .git -o -name .data \) -prune -o -type f \
              \( -name '*.csproj' -o -name 'Directory.*.props' -o -name 'Directory.*.targets' -o -name 'global.json' -o -iname 'nuget.config' \) \
              -newer "$assets" -print -quit)" ] || return 0
  done
  return 1
}

if [ ! -f "$stamp" ] || changed_since "$stamp"; then
  restore=()
  restore_inputs_changed || restore=(--no-restore)
  mkdir -p .data
  rm -f "$stamp"
  started="$(mktemp)"
  dotnet build Superset.AppHost "${restore[@]}" --nologo -v quiet -clp:ErrorsOnly || { rm -f "$started"; die "the build failed: fix the errors above"; }
  # The stamp takes the time the build started: a file saved while it built is built by the next run.
  mv "$started" "$stamp"
fi

# Started as 'dotnet run --launch-profile http' would start it, without its project evaluation (most of a second, each
# time): the profile's variables, its applicationUrl as ASPNETCORE_URLS, and its name. Should the profile ever not read
# as expected, 'dotnet run' it is.
profile_environment() {
  awk '
    /"http"[[:space:]]*:[[:space:]]*[{]/ { profile = 1; next }
    profile && /"applicationUrl"/ {
      if (match($0, /"applicationUrl"[[:space:]]*:[[:space:]]*"[^"]*"/)) {
        value = substr($0, RSTART, RLENGTH); sub(/^"applicationUrl"[[:space:]]*:[[:space:]]*"/, "", value); sub(/"$/, "", value)
        print "ASPNETCORE_URLS=" value
      }
    }
    profile && /"environmentVariables"/ { variables = 1; next }
    profile && variables && /[}]/ { exit }
    profile && variables && match($0, /"[A-Za-z_][A-Za-z0-9_]*"[[:space:]]*:[[:space:]]*"[^"]*"/) {
      pair = substr($0, RSTART, RLENGTH); name = pair; sub(/"[[:space:]]*:.*/, "", name); sub(/^"/, "", name)
      value = pair; sub(/^"[^"]*"[[:space:]]*:[[:space:]]*"/, "", value); sub(/"$/, "", value)
      print name "=" value
    }
  ' Superset.AppHost/Properties/launchSettings.json
}
apphost="Superset.AppHost/bin/Debug/net10.0/Superset.AppHost.dll"
mapfile -t variables < <(profile_environment)
if [ -f "$apphost" ] && printf '%s\n' "${variables[@]}" | grep -q '^ASPNETCORE_URLS=' && printf '%s\n' "${variables[@]}" | grep -q '^ASPNETCORE_ENVIRONMENT='; then
  exec env "${variables[@]}" DOTNET_LAUNCH_PROFILE=http dotnet "$apphost" "$@"
fi
exec dotnet run --project Superset.AppHost --launch-profile http --no-build -- "$@"
