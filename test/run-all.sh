#!/bin/sh
# Runs every test suite (unit, golden, vm) and ends with one line
# "N passed, N failed, N skipped". Exits non-zero when a test failed.
set -u
cd "$(dirname "$0")/.."

# the VM tests' kernel, if test/setup.sh could fetch one
for k in build/vm-kernel/vmlinuz-*; do
	[ -f "$k" ] && export LSKEL_VM_KERNEL="${LSKEL_VM_KERNEL:-$PWD/$k}"
done

meson test -C build --print-errorlogs "$@"
status=$?
python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    key = {"OK": "passed", "SKIP": "skipped", "EXPECTEDFAIL": "passed"}.get(r, "failed")
    counts[key] += 1
print("%(passed)d passed, %(failed)d failed, %(skipped)d skipped" % counts)
PY
exit $status
