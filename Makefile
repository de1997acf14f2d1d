# 0Bullshit backend. `make help` lists the targets. The local stack needs Debian's postgresql-15 (and
# postgresql-15-pgtap and libtap-parser-sourcehandler-pgtap-perl for test-sql); no Docker.

GO        ?= go
LOCALSTACK = .local/bin/localstack
# The real Supabase CLI, from npm (pinned), used to prove the migrations are Supabase-compatible.
SUPABASE_CLI_VERSION = 3.1.0
SUPABASE   = .local/tools/node_modules/.bin/supabase
# stripe-mock (Stripe's API mock, pinned) for the billing tests: installed into .local/bin with go install.
STRIPE_MOCK_VERSION = v0.203.0
STRIPE_MOCK = .local/bin/stripe-mock
# staticcheck (pinned) for make vet: installed into .local/bin with go install.
STATICCHECK_VERSION = v0.8.2
STATICCHECK = .local/bin/staticcheck

.DEFAULT_GOAL := help
.PHONY: help run db-up db-down db-reset db-status test test-go test-sql test-cli policies bench fmt vet localstack supabase-cli stripe-mock

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

localstack: ## build the local-stack CLI into .local/bin/localstack
	@$(GO) build -o $(LOCALSTACK) ./sidecar/cmd/localstack

run: db-up ## start the local stack and the sidecar (chat workers, HTTP on :8080); chat with it from another terminal
	@$(GO) build -o .local/bin/sidecar ./sidecar/cmd/sidecar
	@echo
	@echo "The database is up with the demo founder (demo@0bullshit.local) and the demo investor set."
	@echo "The sidecar starts below (Ctrl-C stops it). In another terminal, chat as the demo founder:"
	@echo "  set -a; . .local/stack.env; set +a; .local/bin/sidecar chat"
	@echo "or replay a scripted demo:  .local/bin/sidecar chat --script seed/chat/demo.txt"
	@echo "Stop the database with 'make db-down'."
	@echo
	@set -a; . ./.local/stack.env; set +a; LOG_FORMAT=$${LOG_FORMAT:-text} exec .local/bin/sidecar serve

db-up: localstack ## start the local Supabase-compatible Postgres (.local/pg, port 54322) and apply migrations + seed
	@$(LOCALSTACK) up

db-down: localstack ## stop the local Postgres
	@$(LOCALSTACK) down

db-reset: localstack ## delete the local Postgres data and rebuild it from scratch
	@$(LOCALSTACK) reset

db-status: localstack ## show whether the local Postgres runs and which migrations are pending
	@$(LOCALSTACK) status

test: vet test-go test-sql test-cli ## gofmt, go vet and staticcheck, the Go tests, the pgTAP suite and the Supabase CLI check

test-go: localstack stripe-mock ## Go tests, all packages sharing one throw-away cluster
	$(LOCALSTACK) exec -- $(GO) test ./...

test-sql: localstack ## pgTAP tests in supabase/tests (pg_prove) on a fresh database
	$(LOCALSTACK) pgtap supabase/tests

test-cli: localstack supabase-cli ## apply migrations + seed with the real Supabase CLI and generate types
	$(LOCALSTACK) supabase-check --cli $(SUPABASE)

stripe-mock: $(STRIPE_MOCK) ## install the pinned stripe-mock into .local/bin (the billing tests start it)

$(STRIPE_MOCK):
	GOBIN=$(CURDIR)/.local/bin $(GO) install github.com/stripe/stripe-mock@$(STRIPE_MOCK_VERSION)

supabase-cli: $(SUPABASE) ## install the pinned Supabase CLI from npm into .local/tools

$(SUPABASE):
	npm install --silent --no-audit --no-fund --prefix .local/tools supabase@$(SUPABASE_CLI_VERSION)

policies: localstack ## regenerate policies/POLICIES.md from a freshly migrated database
	$(LOCALSTACK) exec -- env UPDATE_POLICIES=1 $(GO) test -count=1 -run TestPoliciesFileMatchesMigrations ./policies/

bench: localstack ## benchmarks (figures printed): 1M-investor load, investor search p50/p95, chat-turn overhead and throughput, daily credit reset of 1M accounts, Stripe webhook events/s, outreach scheduling decisions/s
	$(LOCALSTACK) exec -- $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./seed/investorgen/
	SEARCH_BENCH_SIZES=100k,1m $(LOCALSTACK) exec -- $(GO) test -run '^$$' -bench InvestorSearch -benchtime 200x -timeout 90m ./sidecar/internal/search/
	$(LOCALSTACK) exec -- $(GO) test -run '^$$' -bench Chat -benchtime 1x -timeout 30m ./sidecar/internal/chat/
	$(LOCALSTACK) exec -- $(GO) test -run '^$$' -bench 'DailyReset|WebhookEvents' -benchtime 1x -timeout 30m ./sidecar/internal/billing/
	$(LOCALSTACK) exec -- $(GO) test -run '^$$' -bench SchedulingDecisions -benchtime 3000x -timeout 30m ./sidecar/internal/outreach/

fmt: ## gofmt the Go code
	gofmt -w $$(git ls-files --cached --others --exclude-standard '*.go')

vet: $(STATICCHECK) ## gofmt (lists unformatted files and fails), go vet and staticcheck
	@unformatted="$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed (make fmt):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

$(STATICCHECK):
	GOBIN=$(CURDIR)/.local/bin $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
