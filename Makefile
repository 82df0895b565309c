# lakerunner-iam: `make gen` writes out/ from the example spec; `make test`
# runs the unit, golden, conformance and end-to-end tests.

GO      ?= go
SPEC    ?= examples/lakerunner.hcl
OUT     ?= out
BIN     := bin/lakerunner-iam

.PHONY: all build gen test test-unit test-e2e fuzz fuzz-short bench vet clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/lakerunner-iam

# Regenerate the committed output of the example spec.
gen:
	$(GO) run ./cmd/lakerunner-iam gen --out $(OUT) $(SPEC)

# Everything CI runs. The e2e tests find Terraform, the AWS provider and
# moto_server on their own (see README "End-to-end tests"). Terraform spends
# much of its time waiting on provider start-up and the emulator, so four
# parallel tests keep two cores busy.
test: vet fuzz-short
	$(GO) test -count=1 -timeout 20m -parallel 4 ./...

test-unit:
	$(GO) test -count=1 -short ./...

test-e2e:
	$(GO) test -count=1 -timeout 20m -parallel 4 -v ./e2e/...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./schema

# A few seconds of fuzzing of spec decoding on every `make test`.
fuzz-short:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 5s ./schema

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./pipeline

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

clean:
	rm -rf bin
