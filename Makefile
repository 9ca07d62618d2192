# go-sqlite3 needs cgo and the fts5 build tag on every build, test and vet.
GO       ?= go
TAGS     := sqlite_fts5
GOTAGS   := -tags $(TAGS)
BIN      := bin/wparchive
FUZZTIME ?= 1m
FUZZFLAGS ?=

export CGO_ENABLED := 1

.PHONY: build test testdeps vet bench fuzz demo clean

build:
	$(GO) build $(GOTAGS) -o $(BIN) ./cmd/wparchive

vet:
	$(GO) vet $(GOTAGS) ./...

# make test also runs hugo, jekyll and sqlite3; testdeps installs them
# where they are missing and it can (scripts/testdeps.sh).
test: testdeps vet
	$(GO) test $(GOTAGS) -count=1 ./...

testdeps:
	./scripts/testdeps.sh

# make bench: benchmarks and whole-process measurements (see BENCHMARKS.md).
bench: build
	./scripts/bench.sh

# make fuzz: every fuzz target of the module (every func FuzzXxx in a
# _test.go file) for FUZZTIME each (default 1m; FUZZTIME=10m). Inputs that
# fail are written to the package's testdata/fuzz/FuzzXxx/ and replayed by
# make test. Targets are found by name, so a new one needs no edit here.
# FUZZFLAGS passes more go test flags, e.g. FUZZFLAGS=-parallel=1 for one
# worker so the machine stays usable.
fuzz:
	@failed=""; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -c6- | sort -u); do \
			echo "== $$dir $$t for $(FUZZTIME) (started $$(date -u +%H:%M:%S))"; \
			$(GO) test $(GOTAGS) -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$dir || failed="$$failed $$dir:$$t"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi

# make demo: build, import the bundled sample into ./demo.sqlite, show it.
demo: build
	rm -f demo.sqlite demo.sqlite-wal demo.sqlite-shm
	$(BIN) import --db demo.sqlite testdata/seed/central-asia.xml
	$(BIN) stats --db demo.sqlite
	$(BIN) sql --db demo.sqlite "SELECT p.title, count(*) AS comments, sum(c.kind <> 'comment') AS pings FROM posts p JOIN comments c ON c.post_id = p.id GROUP BY p.id ORDER BY comments DESC LIMIT 5"

clean:
	rm -rf bin bench demo.sqlite demo.sqlite-wal demo.sqlite-shm demo-out
