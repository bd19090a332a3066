#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh), then runs every test project of MlLinearized.sln and the package consumer
# test (scripts/package-test.sh), and prints the totals as one line "N passed, N failed, N skipped". Exits non-zero
# when a test fails or a test run breaks.
set -uo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
# -m:1: one test assembly at a time (2 cores; each assembly already keeps libtorch busy).
dotnet test MlLinearized.sln -c Release --no-build -nologo -m:1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if grep -q "failed to connect to testhost" "$log"; then
  # vstest talks to its test host over a loopback TCP socket: a network namespace without loopback (e.g. `unshare -n`
  # alone) or a very slow machine breaks that, and no test runs.
  echo "test.sh: the test runner could not reach its test host. Is the loopback interface up ('ip link set lo up')?" \
    "On a slow machine, set VSTEST_CONNECTION_TIMEOUT=300 and run again."
fi

# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 33, Skipped: 0, Total: 33, ...".
read -r passed failed skipped assemblies < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i + 1))
      if ($i == "Failed:") f += $(i + 1)
      if ($i == "Passed:") p += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
    n++
  }
  END { printf "%d %d %d %d\n", p, f, s, n }' "$log")
rm -f "$log"

# The package consumer test (scripts/package-test.sh): pack, then new apps outside the repository train and score from
# the packages. Its checks count as tests.
consumer=$(mktemp)
bash scripts/package-test.sh 2>&1 | tee "$consumer"
consumer_status=${PIPESTATUS[0]}
read -r consumer_passed consumer_failed < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { printf "%d %d\n", p, f }' "$consumer")
rm -f "$consumer"
if [ "$consumer_status" -ne 0 ] && [ "$consumer_failed" -eq 0 ]; then
  consumer_failed=1
fi
passed=$((passed + consumer_passed))
failed=$((failed + consumer_failed))

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The run broke without a failing test (a crash, a build error): count it as a failure so it cannot pass silently.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$consumer_status" -eq 0 ] && [ "$failed" -eq 0 ]
