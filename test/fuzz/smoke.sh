#!/usr/bin/env bash
# A short run of every fuzz target on freshly built seeds: smoke.sh BUILD_DIR
#
# For CI: first the committed crash reproducers in regressions/TARGET/, then
# FUZZ_SMOKE_RUNS executions (150000) from seed FUZZ_SMOKE_SEED (1), capped at
# 3 x FUZZ_SMOKE_SECONDS (20) seconds, one target at a time. Exits non-zero if
# any target crashes or reports a sanitizer error; the crashing inputs are kept
# and their paths printed.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$1" && pwd)/test/fuzz
seconds=${FUZZ_SMOKE_SECONDS:-20}
runs=${FUZZ_SMOKE_RUNS:-150000}
seed=${FUZZ_SMOKE_SEED:-1}
targets=(fuzz-elf-reader fuzz-readelf fuzz-elf-editor fuzz-ld-so-cache fuzz-ld-so-object fuzz-macho-summary fuzz-macho-reader fuzz-tbd fuzz-macho-editor fuzz-code-signature fuzz-macho-dyld-info fuzz-macho-export-trie fuzz-macho-chained-fixups fuzz-file-type)

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
  # Inputs that once crashed a target run first, each exactly once.
  regressions=$here/regressions/$t
  if [ -d "$regressions" ] && ls "$regressions" | grep -q .; then
    if ! "$bin/$t" -rss_limit_mb=2048 -timeout=10 "$regressions"/* > "$log.regressions" 2>&1; then
      echo "smoke: $t: FAILED on a committed regression input"
      grep -E '^==[0-9]+==ERROR|SUMMARY:|runtime error|Running:' "$log.regressions" | tail -5 | sed 's/^/  /'
      failed+=("$t")
      keep_work=1
      continue
    fi
  fi
  # New inputs go to a scratch corpus (first directory), never into the seeds.
  # A fixed seed makes a CI failure reproducible with the same build and seeds;
  # the time limit only guards against a slow machine.
  "$bin/$t" -seed="$seed" -runs="$runs" -max_total_time=$((seconds * 3)) -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$work/seeds/$t" > "$log" 2>&1
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
    echo "smoke: $t: ok, ${execs:-?} executions (seed $seed), ${cov:-no coverage line}"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "smoke: crashes in: ${failed[*]}"
  echo "smoke: logs and reproducers kept in $work (artifacts/<target>/crash-*)"
  exit 1
fi
echo "smoke: all ${#targets[@]} targets ran their regression inputs and $runs executions each without a crash"
