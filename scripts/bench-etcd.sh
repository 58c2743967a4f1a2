#!/usr/bin/env bash
# Issue 13's benchmarks in one run (BENCHMARKS.md section 11): the etcd engine
# on a 3-member cluster of processes (scripts/etcd-cluster.sh) against bbolt,
# same feeds, same machine: ingest from outside the process, bytes per item,
# serving (a render, a cached request), and failover time (medians of 10).
# About 25 minutes on 2 cores. scripts/bench.sh runs it last.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'scripts/etcd-cluster.sh stop "$dir" || true; rm -rf "$dir"' EXIT
echo "# $(date -u +%FT%TZ) $(go version) $(nproc) cores; etcd: 3 members of internal/etcdmember, fsync on"
scripts/etcd-cluster.sh start "$dir" "${ETCD_BASE_PORT:-24790}"
echo "## ingest and bytes per item, bbolt and etcd (medians of 3, interleaved)"
go run ./internal/ingestbench -n 200 -runs 3 -size-items 72000 -etcd "$dir" -progress=false
echo "## serving the same 500 items: a render of the newest 100 (Atom) and a cached /feed.atom"
NASHRA_BENCH_ETCD=$(cat "$dir/endpoints") go test -run XXX -bench ServeEngines -count 3 ./server
scripts/etcd-cluster.sh stop "$dir"
echo "## failover: the leading nashra of two killed with SIGKILL, 10 times (each run starts its own 3 members)"
for v in "NASHRA_FAILOVER_LEASE=2s" "NASHRA_FAILOVER_LEASE=5s" "NASHRA_FAILOVER_LEASE=2s NASHRA_FAILOVER_ETCD_LEADER=1"; do
	env $v NASHRA_FAILOVER_RUNS=10 go test -count=1 -run TestProcessFailoverTime -v -timeout 20m ./cmd/nashra | grep -E 'failover,|run [0-9]+:|^(ok|FAIL)'
done
