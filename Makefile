# 0Bullshit backend. `make help` lists the targets. The local stack needs Debian's postgresql-15 (and
# postgresql-15-pgtap for test-sql); no Docker.

GO        ?= go
LOCALSTACK = .local/bin/localstack

.DEFAULT_GOAL := help
.PHONY: help db-up db-down db-reset db-status test test-go test-sql fmt vet localstack

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

localstack: ## build the local-stack CLI into .local/bin/localstack
	@$(GO) build -o $(LOCALSTACK) ./sidecar/cmd/localstack

db-up: localstack ## start the local Supabase-compatible Postgres (.local/pg, port 54322) and apply migrations + seed
	@$(LOCALSTACK) up

db-down: localstack ## stop the local Postgres
	@$(LOCALSTACK) down

db-reset: localstack ## delete the local Postgres data and rebuild it from scratch
	@$(LOCALSTACK) reset

db-status: localstack ## show whether the local Postgres runs and which migrations are pending
	@$(LOCALSTACK) status

test: vet test-go test-sql ## go vet, the Go tests and the pgTAP suite

test-go: localstack ## Go tests, all packages sharing one throw-away cluster
	$(LOCALSTACK) exec -- $(GO) test ./...

test-sql: localstack ## pgTAP tests in supabase/tests (pg_prove) on a fresh database
	$(LOCALSTACK) pgtap supabase/tests

fmt: ## gofmt the Go code
	gofmt -w $$(git ls-files --cached --others --exclude-standard '*.go')

vet: ## go vet
	$(GO) vet ./...
