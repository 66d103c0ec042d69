#!/bin/sh
# Run a command against a private pcscd+vpcd (own mount and network namespace; needs root), e.g.
#   tests/virtual_card/isolated_pcscd.sh .venv/bin/pytest tests/virtual_card
# Why: Debian's vpcd 3.3 keeps its sockets in driver globals, so several vpcd entries sharing one LIBPATH in one
# pcscd all end up on the LAST entry's ports. Here every entry gets its own copy of the driver file (a separate
# dlopen instance), which gives each reader its own ports. The shared pcscd is not touched.
set -eu
if [ "${RAS_E2E_IN_NS:-}" != 1 ]; then
    exec env RAS_E2E_IN_NS=1 unshare -m -n --propagation private "$0" "$@"
fi
DIR=$(mktemp -d /tmp/vc-pcscd.XXXXXX)
mkdir -p "$DIR/conf.d" "$DIR/drv"
: > "$DIR/conf.d/vpcd"
for i in 0 1 2 3; do
    cp /usr/lib/pcsc/drivers/serial/libifdvpcd.so "$DIR/drv/libifdvpcd-$i.so"
    port=$((35963 + 2 * i))
    printf 'FRIENDLYNAME "Virtual PCD %s"\nDEVICENAME   /dev/null:%s\nLIBPATH      %s\nCHANNELID    %s\n\n' \
        "$i" "$port" "$DIR/drv/libifdvpcd-$i.so" "$port" >> "$DIR/conf.d/vpcd"
done
mount -t tmpfs tmpfs /run/pcscd
ip link set lo up
pcscd -f -c "$DIR/conf.d" > "$DIR/pcscd.log" 2>&1 &
PCSCD=$!
i=0
while [ ! -S /run/pcscd/pcscd.comm ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
set +e
RAS_E2E_PCSCD_CONF_DIR="$DIR/conf.d" "$@"
rc=$?
kill $PCSCD
wait $PCSCD 2>/dev/null
rm -rf "$DIR"
exit $rc
