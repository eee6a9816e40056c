#!/usr/bin/env bash
# The test command: formatting, vet, staticcheck, the whole test suite with
# the race detector (which also replays every fuzz target's committed
# corpus), and, when FUZZTIME is set, a pass of new fuzzing per target.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$(go env GOPATH)/bin:$PATH"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [[ -n $unformatted ]]; then
	echo "not gofmt-formatted:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

if command -v staticcheck >/dev/null 2>&1; then
	echo "== staticcheck"
	staticcheck ./...
else
	echo "== staticcheck not installed (go install honnef.co/go/tools/cmd/staticcheck@v0.8.2); skipped"
fi

echo "== go test -race"
go test -race -count=1 ./...

# New fuzzing is opt-in (FUZZTIME=30s, FUZZTIME=10m): it explores at
# random, so what it finds depends on the run, and a test command must give
# the same answer for the same tree. Every input it ever found a bug with is
# committed under testdata/fuzz/ and replayed above by go test on every run.
FUZZTIME=${FUZZTIME:-0}
if [[ $FUZZTIME != 0 ]]; then
	echo "== fuzz ($FUZZTIME each)"
	for pkg in $(go list ./...); do
		for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
			echo "-- $pkg $target"
			go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/fuzz-$$.log 2>&1 || { cat /tmp/fuzz-$$.log; exit 1; }
		done
	done
fi
echo "== all tests passed"
