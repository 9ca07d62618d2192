# go-sqlite3 needs cgo and the fts5 build tag on every build, test and vet.
GO       ?= go
TAGS     := sqlite_fts5
GOTAGS   := -tags $(TAGS)
BIN      := bin/wparchive
FUZZTIME ?= 1m

export CGO_ENABLED := 1

.PHONY: build test vet bench fuzz demo clean

build:
	$(GO) build $(GOTAGS) -o $(BIN) ./cmd/wparchive

vet:
	$(GO) vet $(GOTAGS) ./...

test: vet
	$(GO) test $(GOTAGS) -count=1 ./...

# make bench: benchmarks and whole-process measurements (see BENCHMARKS.md).
bench: build
	./scripts/bench.sh

# make fuzz: every fuzz target for FUZZTIME each (default 1m; FUZZTIME=10m).
fuzz:
	$(GO) test $(GOTAGS) -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME) ./importer/clean
	$(GO) test $(GOTAGS) -run '^$$' -fuzz '^FuzzUnserialize$$' -fuzztime $(FUZZTIME) ./importer/phpserial
	$(GO) test $(GOTAGS) -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME) ./importer

# make demo: build, import the bundled sample into ./demo.sqlite, show it.
demo: build
	rm -f demo.sqlite demo.sqlite-wal demo.sqlite-shm
	$(BIN) import --db demo.sqlite testdata/seed/central-asia.xml
	$(BIN) stats --db demo.sqlite

clean:
	rm -rf bin bench demo.sqlite demo.sqlite-wal demo.sqlite-shm demo-out
