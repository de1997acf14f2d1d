package investorgen

import (
	"io"
	"log/slog"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// Tests that need a database get a fresh one from pgtest.New.
func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
