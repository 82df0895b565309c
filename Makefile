# lakerunner-iam: `make gen` writes out/ from the example spec; `make test`
# runs the unit, golden, conformance and end-to-end tests.

GO      ?= go
SPEC    ?= examples/lakerunner.hcl
OUT     ?= out
BIN     := bin/lakerunner-iam
DIST    := dist

# The version the binary reports. Go stamps VCS information into builds
# only when it may (not with GOFLAGS=-buildvcs=false, nor from a tarball),
# so the Makefile passes it explicitly.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

# make dist: one archive per platform, tar.gz (zip for Windows), and SHA256SUMS.
PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
SHA256SUM ?= $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)

.PHONY: all build install dist version gen golden test test-unit test-e2e fuzz fuzz-short bench vet lint-go clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/lakerunner-iam

# Installs into $(go env GOBIN), or $(go env GOPATH)/bin.
install:
	$(GO) install -ldflags '$(LDFLAGS)' ./cmd/lakerunner-iam

version:
	@echo $(VERSION)

dist:
	rm -rf $(DIST) && mkdir -p $(DIST)
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; name=lakerunner-iam_$(VERSION)_$${os}_$${arch}; exe=lakerunner-iam; \
	  if [ $$os = windows ]; then exe=$$exe.exe; fi; \
	  echo "$$name"; mkdir -p $(DIST)/$$name; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(DIST)/$$name/$$exe ./cmd/lakerunner-iam; \
	  cp README.md $(DIST)/$$name/; \
	  if [ $$os = windows ]; then (cd $(DIST) && zip -qr $$name.zip $$name); \
	  else tar -C $(DIST) -czf $(DIST)/$$name.tar.gz $$name; fi; \
	  rm -rf $(DIST)/$$name; \
	done
	cd $(DIST) && $(SHA256SUM) $$(ls *.tar.gz *.zip 2>/dev/null) > SHA256SUMS

# Regenerate the committed output of the example spec, after the
# precompiled built-in templates (templates/internal/builtinast), so that an
# edited template is what gen reads.
gen:
	$(GO) generate ./templates
	$(GO) run ./cmd/lakerunner-iam gen --out $(OUT) $(SPEC)

# Rewrite every golden file (testdata/golden, testdata/badspecs, kecs and
# lint testdata) and out/ from the current code; review with git diff.
golden: gen
	$(GO) test -count=1 -short ./cmd/... ./kecs ./lint ./pipeline ./importer ./templates/internal/astgen -update >/dev/null

# Everything CI runs. gofmt and vet come first: they compile what the tests
# need, and a failure stops there. Then `go test` runs with TEST_BESIDE
# beside it, one after another, each one's output kept and printed when the
# tests end: Terraform spends much of the tests' time waiting on provider
# start-up and the emulator, which leaves the two cores room. The target
# fails if any step failed, and names it. -vet=off: `make vet` has just run
# every analyzer `go test` would.
#
# The e2e tests find Terraform, the AWS provider and moto_server on their
# own (see README "End-to-end tests"); four parallel tests keep two cores
# busy. TESTPKGS narrows the tests, e.g. `make test TESTPKGS=./pipeline`.
TESTPKGS    ?= ./...
TEST_BESIDE := lint-go fuzz-short
test: vet
	@logs=$$(mktemp -d); trap 'rm -rf "$$logs"' EXIT; trap 'exit 130' INT TERM; \
	( for c in $(TEST_BESIDE); do \
	    start=$$(date +%s); \
	    if $(MAKE) --no-print-directory $$c >"$$logs/$$c" 2>&1; then r=ok; else r=FAILED; echo "make $$c" >>"$$logs/failed"; fi; \
	    echo "make test: make $$c $$r in $$(( $$(date +%s) - start )) s (output below when the tests end)" >&2; \
	  done ) & \
	beside=$$!; \
	$(GO) test -count=1 -vet=off -timeout 45m -parallel 4 $(TESTPKGS) || echo "go test" >>"$$logs/failed"; \
	wait $$beside; \
	for c in $(TEST_BESIDE); do echo "=== make $$c"; cat "$$logs/$$c"; done; \
	if [ -s "$$logs/failed" ]; then echo "make test FAILED: $$(paste -sd, "$$logs/failed" | sed 's/,/, /g')"; exit 1; fi

test-unit:
	$(GO) test -count=1 -short ./...

test-e2e:
	$(GO) test -count=1 -timeout 45m -parallel 4 -v ./e2e/...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./schema
	$(GO) test -run '^$$' -fuzz FuzzEvaluate -fuzztime 60s ./iameval

# A few seconds of fuzzing of spec decoding and policy evaluation on every
# `make test`. -fuzzminimizetime 100x: with the default (60 s), shrinking
# the first new input found in a spec of a few KB takes FuzzParse's whole
# 5 s (about 170 inputs tried in all); a crasher it finds is still saved
# under testdata/fuzz, and `make fuzz` minimizes fully. -parallel 1: one
# fuzz worker each, since the tests use both cores meanwhile.
fuzz-short:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 5s -fuzzminimizetime 100x -parallel 1 ./schema
	$(GO) test -run '^$$' -fuzz FuzzEvaluate -fuzztime 5s -fuzzminimizetime 100x -parallel 1 ./iameval

# Benchmarks of gen (example, 100/125/400 environments; in-process and
# through the CLI, into an empty and a full directory), loading (catalogs,
# spec), writing the tree, lint, a 16k bucket list and the evaluator, each
# BENCHCOUNT times so that benchstat can compare two runs:
# make bench >new.txt, then
#   go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da old.txt new.txt
BENCHCOUNT ?= 5
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./pipeline ./generator ./iameval ./templates ./schema ./outtree ./cmd/lakerunner-iam

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

# staticcheck and deadcode, at the versions go.mod pins with tool
# directives: both must report nothing.
lint-go:
	$(GO) tool staticcheck ./...
	@out=$$($(GO) tool deadcode -test ./...); test -z "$$out" || (echo "deadcode: unreachable functions:"; echo "$$out"; exit 1)
	@$(GO) mod tidy -diff >/dev/null || (echo "go mod tidy would change go.mod/go.sum:"; $(GO) mod tidy -diff; exit 1)

clean:
	rm -rf bin $(DIST)
