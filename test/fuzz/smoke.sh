#!/usr/bin/env bash
# A short run of every fuzz target on freshly built seeds: smoke.sh BUILD_DIR
#
# For CI: about 20 seconds a target (FUZZ_SMOKE_SECONDS to change it), one
# target at a time. Exits non-zero if any target crashes or reports a
# sanitizer error; the crashing inputs are kept and their paths printed.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$1" && pwd)/test/fuzz
seconds=${FUZZ_SMOKE_SECONDS:-20}
targets=(fuzz-elf-reader fuzz-elf-editor fuzz-macho-summary fuzz-file-type)

for t in "${targets[@]}"; do
  if [ ! -x "$bin/$t" ]; then
    echo "smoke: $bin/$t is missing; build it with: ninja -C $1 fuzz-targets" >&2
    exit 2
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/linkbox-fuzz-smoke.XXXXXX")
keep_work=0
cleanup() { [ "$keep_work" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

bash "$here/make-seeds.sh" "$work/seeds" || { echo "smoke: make-seeds.sh failed" >&2; exit 2; }

# A UBSan report must end the run (the targets are built with
# -fno-sanitize-recover, this is belt and braces); symbolised stacks for the log.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}

failed=()
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t
  artifacts=$work/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  log=$work/$t.log
  # New inputs go to a scratch corpus (first directory), never into the seeds.
  "$bin/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$work/seeds/$t" > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  if [ "$rc" -ne 0 ] || ls "$artifacts" | grep -q .; then
    echo "smoke: $t: FAILED (exit $rc)"
    # The sanitizer or libFuzzer report: the lines that say what and where.
    grep -E '^==[0-9]+==ERROR|SUMMARY:|runtime error|^ +#[0-9]+ |Test unit written|deadly signal|out-of-memory|timeout' \
      "$log" | head -40 | sed 's/^/  /'
    failed+=("$t")
    keep_work=1
  else
    echo "smoke: $t: ok, ${execs:-?} executions in ${seconds}s, ${cov:-no coverage line}"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "smoke: crashes in: ${failed[*]}"
  echo "smoke: logs and reproducers kept in $work (artifacts/<target>/crash-*)"
  exit 1
fi
echo "smoke: all ${#targets[@]} targets ran ${seconds}s each without a crash"
