#!/usr/bin/env bash
# Runs every test (real PostgreSQL, the real AppHost, a real browser). On a fresh machine it first installs what
# is missing. Ends with one line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
source scripts/lib/containers.sh

require_dotnet
require_postgres_binaries
require_chromium
# Container mode's tests run on a real engine: started (installed first, on Debian) when none answers, with
# PostgreSQL's image pulled, or built here when no registry answers.
require_container_engine
require_postgres_image

results=artifacts/test-results
rm -rf "$results"
note "dotnet test Superset.sln"
dotnet test Superset.sln --logger "trx" --results-directory "$results" --blame-hang-timeout 10m "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed before any test failed (a build or test-host error): counted as one failure."
  failed=1
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
