#!/usr/bin/env bash
# Runs the whole stack (the same as F5 on Superset.AppHost): PostgreSQL, the backup, the migration worker, the web
# app and the Aspire dashboard. On a fresh machine it first installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh

require_dotnet
# The AppHost uses a container when a container engine answers, else this machine's PostgreSQL binaries.
container_runtime_answers || require_postgres_binaries

exec dotnet run --project Superset.AppHost --launch-profile http -- "$@"
