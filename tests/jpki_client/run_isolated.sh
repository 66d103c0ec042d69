#!/bin/sh
# Run the jpki_client tests against a private pcscd in its own mount+network namespace (jpki-card.md §14).
#
# Why: Debian's vpcd driver keeps its slot contexts in a global array indexed by slot number, so when one pcscd
# loads several "Virtual PCD N" readers from the same libifdvpcd.so, every reader polls the ports of the *last*
# one (all "… 00 00" readers show the same card, concurrently, on one socket) and the other ports are never
# accepted.  Loading a *copy* of the driver per reader gives each reader its own globals; this script does that
# in a private pcscd, so slot 2 really is port 35965 and nothing is shared with the host's pcscd.
# Usage: tests/jpki_client/run_isolated.sh [pytest args]   (root; does not touch the host's pcscd)
set -eu
cd "$(dirname "$0")/../.."
exec unshare -m -n --propagation private sh -c '
  set -eu
  mount -t tmpfs tmpfs /run/pcscd
  ip link set lo up
  dir=$(mktemp -d /tmp/jpki-ns.XXXXXX)
  mkdir -p "$dir/conf.d"
  for i in 0 1; do
    port=$((35963 + 2 * i))
    cp /usr/lib/pcsc/drivers/serial/libifdvpcd.so "$dir/libifdvpcd-$i.so"  # one driver instance per reader
    printf "FRIENDLYNAME \"Virtual PCD %s\"\nDEVICENAME   /dev/null:%s\nLIBPATH      %s\nCHANNELID    %s\n\n" "$i" "$port" "$dir/libifdvpcd-$i.so" "$port"
  done > "$dir/conf.d/vpcd"
  pcscd --foreground --config "$dir/conf.d" > "$dir/pcscd.log" 2>&1 &
  pid=$!
  trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null || true" EXIT
  i=0; while [ ! -S /run/pcscd/pcscd.comm ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
  RAS_E2E_PCSCD_DIR="$dir" RAS_E2E_PCSCD_CONF_DIR="$dir/conf.d" RAS_E2E_VPCD_SLOT=${RAS_E2E_VPCD_SLOT:-2} \
    .venv/bin/python -m pytest "$@"
' sh "$@"
