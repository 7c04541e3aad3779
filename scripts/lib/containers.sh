# Shared by test.sh and containers-up.sh: a container engine that answers, and the images the stack runs, installed,
# started and built where this machine lacks them. Sourced, not run; needs prerequisites.sh.
#
# The AppHost pins PostgreSQL's image reference; where no registry answers, an image is built under that reference
# from Debian's packages (scripts/images/postgres), on a Debian base made here with debootstrap.

POSTGRES_IMAGE="docker.io/library/postgres:15.18"
LOCAL_BASE_IMAGE="superset-local/debian:bookworm"

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

# Docker's engine: installed from Debian's packages when missing, and started when nothing answers. A daemon this
# script starts keeps running (as Docker Desktop's does); its log is /var/log/superset-dockerd.log.
require_container_engine() {
  engine_answers && return 0
  if ! command -v dockerd >/dev/null 2>&1; then
    note "No container engine: installing Docker's engine (Debian's docker.io)"
    # Keep the package from starting services of its own (there may be no init system): this script starts dockerd.
    local policy=/usr/sbin/policy-rc.d created=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && created=1
    fi
    apt_install docker.io
    [ -n "$created" ] && as_root rm -f "$policy"
  fi
  command -v docker >/dev/null 2>&1 || apt_install docker.io
  note "Starting dockerd (log: /var/log/superset-dockerd.log)"
  as_root sh -c 'nohup dockerd >/var/log/superset-dockerd.log 2>&1 &'
  local waited=0
  until engine_answers; do
    sleep 1
    waited=$((waited + 1))
    [ "$waited" -lt 60 ] || die "dockerd did not answer within 60 s: see /var/log/superset-dockerd.log"
  done
}

# The first Debian mirror apt uses here, for debootstrap (the mirror is this machine's setting, not ours).
debian_mirror() {
  apt-get indextargets --format '$(REPO_URI)|$(RELEASE)' 2>/dev/null | awk -F'|' '$2 == "bookworm" { print $1; exit }'
}

require_local_base_image() {
  docker image inspect "$LOCAL_BASE_IMAGE" >/dev/null 2>&1 && return 0
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local root mirror
  root=$(mktemp -d /var/tmp/superset-debian.XXXXXX)
  mirror=$(debian_mirror)
  note "Building the base image $LOCAL_BASE_IMAGE with debootstrap (about a minute)"
  as_root debootstrap --variant=minbase bookworm "$root" ${mirror:+"$mirror"} >/var/log/superset-debootstrap.log 2>&1 \
    || die "debootstrap failed: see /var/log/superset-debootstrap.log"
  as_root tar -C "$root" -c . | docker import - "$LOCAL_BASE_IMAGE" >/dev/null || die "docker import of the base image failed"
  as_root rm -rf "$root"
}

# PostgreSQL's image under the reference the AppHost pins: the registry's when it answers, else built here.
require_postgres_image() {
  local recipe built
  recipe=$(cat scripts/images/postgres/* | sha256sum | cut -c1-12)
  built=$(docker image inspect -f '{{index .Config.Labels "org.superset.built-locally"}}/{{index .Config.Labels "org.superset.recipe"}}' "$POSTGRES_IMAGE" 2>/dev/null || true)
  # One built here from an older recipe is built again; the registry's is never replaced.
  if [ "${built%%/*}" = "true" ] && [ "${built#*/}" != "$recipe" ]; then
    note "The PostgreSQL image built here is from an older recipe: building it again"
    docker image rm -f "$POSTGRES_IMAGE" >/dev/null 2>&1 || true
  fi
  if docker image inspect "$POSTGRES_IMAGE" >/dev/null 2>&1; then
    echo "ℹ️  PostgreSQL image: $POSTGRES_IMAGE ($(docker image inspect -f '{{index .Config.Labels "org.superset.built-locally"}}' "$POSTGRES_IMAGE" | sed 's/^true$/built on this machine from Debian packages/; s/^$/from the registry/; s/^<no value>$/from the registry/'))"
    return 0
  fi
  if timeout 60 docker pull -q "$POSTGRES_IMAGE" >/dev/null 2>&1; then
    echo "ℹ️  PostgreSQL image: $POSTGRES_IMAGE, pulled from the registry"
    return 0
  fi
  require_local_base_image
  note "No registry answers: building $POSTGRES_IMAGE from Debian's packages (scripts/images/postgres)"
  DOCKER_BUILDKIT=0 docker build -q --label org.superset.built-locally=true --label org.superset.recipe="$recipe" --build-arg BASE="$LOCAL_BASE_IMAGE" \
    -t "$POSTGRES_IMAGE" scripts/images/postgres >/dev/null 2>&1 || die "building $POSTGRES_IMAGE failed (docker build scripts/images/postgres)"
  echo "ℹ️  PostgreSQL image: $POSTGRES_IMAGE, built on this machine from Debian packages"
}
