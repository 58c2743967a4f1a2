#!/usr/bin/env bash
# Every benchmark behind BENCHMARKS.md, in one run (this machine is noisy:
# compare the ratios inside one run, not absolute numbers across runs).
# Needs wrk for the serve test (apt-get install wrk); about 15 minutes, plus
# several more and ~3 GB of disk for the 1M-item growth test, plus the
# ingest benchmark of issue 12 (tens of minutes on 2 cores at N = 1,000).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results.txt}
{
  echo "# $(date -u +%FT%TZ) $(go version) $(nproc) cores"
  echo "## go test -bench (archive, engines, server, story clustering, ingest)"
  go test -run XXX -bench 'Newest100|StoreNewItem|ReadRareSource' -benchtime 1000x ./archive
  go test -run XXX -bench Engines -benchtime 2s ./storage
  go test -run XXX -bench Window -benchmem ./story
  # RenderNewest100: each growth output (unfiltered, rare source, language, category, keyword) at 10k, 100k, 1M
  NASHRA_GROWTH=1 go test -run XXX -bench 'Render|ServeCached' -count 3 -timeout 60m ./server
  go test -run XXX -bench Ingest -benchtime 3x ./cmd/nashra
  echo "## serve under load (wrk) while polling"
  NASHRA_WRK=1 go test -run ServeLoad -v -timeout 20m ./cmd/nashra | grep -E 'bench_serve|^(ok|FAIL)'
  echo "## growth: start-up, first renders (unfiltered; rare source, language, category, keyword) and memory at 10k, 100k, 1M items"
  # Seven starts each, the file in the page cache (as after the fill), then
  # dropped from it before every start (as after a reboot); the databases of
  # the first run serve the second.
  growth=$(mktemp -d)
  NASHRA_GROWTH=1 NASHRA_GROWTH_DIR="$growth" NASHRA_GROWTH_RUNS=7 go test -run 'TestGrowth$' -v -timeout 60m ./cmd/nashra | grep -E 'items \(|items filtered|^(ok|FAIL)'
  NASHRA_GROWTH=1 NASHRA_GROWTH_DIR="$growth" NASHRA_GROWTH_RUNS=7 NASHRA_GROWTH_COLD=1 go test -run 'TestGrowth$' -v -timeout 60m ./cmd/nashra | grep -E 'items \(|items filtered|^(ok|FAIL)'
  rm -rf "$growth"
  echo "## database size over 90 simulated days"
  NASHRA_GROWTH=1 go test -run DatabaseSizeSettles -v -timeout 60m ./archive | grep -E 'day|compact|^(ok|FAIL)'
  echo "## schema 1 → 2 migration of a million items (time, memory, sizes)"
  NASHRA_GROWTH=1 go test -run TestMigrateMillionItems -v -timeout 60m ./archive | grep -E "migrat|MiB|MB|bytes|^(ok|FAIL)"
  echo "## issue 12: ingest measured from outside the process (the nashra binary against gofeed, same bytes)"
  # CPU = user+sys of child processes, medians of 3 interleaved runs; the
  # yardstick for storage rewrites (internal/ingestbench/main.go says what it runs).
  go run ./internal/ingestbench -n 200,1000 -runs 3 -progress=false
  echo "## issue 13: etcd (3 member processes) against bbolt: ingest, bytes per item, serving, failover"
  scripts/bench-etcd.sh
} 2>&1 | tee "$out"
