# The project's commands. `make run` and `make test` are the two that matter.
GO      ?= go
BIN     ?= bin/scale
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run test build vet openapi lint-openapi fuzz bench clean

## run: start the reference server on embedded defaults (no database, no Redis)
run:
	$(GO) run ./cmd/scale serve

## test: the whole suite; PostgreSQL/Redis tests skip unless SCALE_TEST_* are set
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 60m ./...

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/scale

## openapi: regenerate docs/openapi.yaml (a test fails when it drifts)
openapi:
	$(GO) run ./cmd/scale openapi --out docs/openapi.yaml

## lint-openapi: lint the committed spec with Redocly (needs npm)
lint-openapi:
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --yes @redocly/cli@2.77.0 lint docs/openapi.yaml

## fuzz: run every fuzz target for FUZZTIME each (default 30s)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## bench: run the benchmarks once
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

clean:
	rm -rf bin
