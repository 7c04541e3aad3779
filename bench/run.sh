#!/usr/bin/env bash
# The benchmarks: bench/run.sh [--ops FILE] [--runs N] [--only 1,2,3,4,5,6] [--backup-gb G]
# Builds everything in Release, starts its own PostgreSQL, prints one line per figure next to its baseline, and
# writes bench/results/latest.md (git-ignored). Not part of the test suite; takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
require_dotnet
require_postgres_binaries

echo "🔨 Building in Release…" >&2
dotnet build Superset.AppHost -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Superset.Bench.StockRunner -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Superset.Bench -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build tests/Superset.AppHost.PlainTest -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
# The command line as users run it, built once so that no figure includes a build.
SUPERSET_MIGRATIONS_CONFIGURATION=Release bash scripts/manage_migrations.sh --help >/dev/null

exec dotnet bench/Superset.Bench/bin/Release/net10.0/Superset.Bench.dll "$@"
