#!/usr/bin/env bash
# Makes container mode available on this machine, as scripts/test.sh does before the tests: Docker's engine installed
# (Debian's docker.io) and started when none answers, and PostgreSQL's image (the reference the AppHost pins) pulled,
# or built here from Debian's packages when no registry answers. Then F5 (Postgres:Mode=auto) uses the container.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
source scripts/lib/containers.sh
require_container_engine
require_postgres_image
echo "✅ $(docker info --format 'Docker {{.ServerVersion}}') answers; F5 with Postgres:Mode=auto (the default) now runs PostgreSQL in a container."
