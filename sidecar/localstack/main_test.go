package localstack_test

import (
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
