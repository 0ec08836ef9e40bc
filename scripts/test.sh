#!/usr/bin/env bash
# The README's test command: fetches the test assets, makes sure a RabbitMQ broker answers, runs every test
# project of the solution, and ends with one plain line "N passed, N failed, N skipped" summed over all of them
# (from their TRX result files).
#
# scripts/test.sh --fast: the unit tier, the tests that need no server (RabbitMQ, MongoDB, a CLI or service process),
# browser, Python or sandbox (tests/fast.slnf's projects, less the classes named below): about a minute after a build.
# The full suite stays the README's and CI's test command.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fast=0
if [ "${1:-}" = "--fast" ]; then fast=1; shift; fi

if [ "$fast" -eq 0 ]; then
  "$root/scripts/install-test-requirements.sh" || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
"$root/scripts/fetch-test-assets.sh" || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

results="$root/.cache/test-results"
rm -rf "$results"
mkdir -p "$results"
if [ "$fast" -eq 1 ]; then
  # Classes that need Python (the PyTorch and Jinja references), the sandbox, a broker or a store server, or that train
  # whole runs and demos.
  excluded=(ReferenceParity ChatFormatTests LoraTests PooledActivationsEqualTheReference Sandbox Mbpp JudgeFileTests Mongo RabbitMq
            RunLoopTests BusTests DemoRunnerTests SweepTests HuggingFaceModelRun WorkerProcess RunLimitsTests GenerationTests TrainingTests
            CopyTaskTests GradientCheckpointing GcPressure)
  filter=$(printf '&FullyQualifiedName!~%s' "${excluded[@]}")
  dotnet test tests/fast.slnf -c Release --logger trx --results-directory "$results" --filter "${filter:1}" "$@"
  status=$?
else
  # The bus tests need a RabbitMQ broker: the one RECONTEXT_RABBITMQ_URL names, else a local one started here.
  if [ -z "${RECONTEXT_RABBITMQ_URL:-}" ]; then
    "$root/scripts/start-rabbitmq.sh" || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
  fi
  dotnet test Recontext.slnx -c Release --logger trx --results-directory "$results" "$@"
  status=$?
fi

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

if [ "$files" -eq 0 ]; then
  echo "no test results were written (build failure?)" >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
