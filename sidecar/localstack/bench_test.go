package localstack_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/localstack"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// BenchmarkClone measures one test database: clone the template, drop it.
func BenchmarkClone(b *testing.B) {
	c := pgtest.Cluster(b)
	src, err := localstack.FindSource("")
	if err != nil {
		b.Fatal(err)
	}
	tmpl, err := localstack.EnsureTemplate(context.Background(), c, src)
	if err != nil {
		b.Fatal(err)
	}
	var create, drop time.Duration
	for i := 0; b.Loop(); i++ {
		name := fmt.Sprintf("zb_bench_%d", i)
		t0 := time.Now()
		if err := localstack.CreateFromTemplate(context.Background(), c, tmpl, name); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := localstack.DropDatabase(context.Background(), c, name); err != nil {
			b.Fatal(err)
		}
		create += t1.Sub(t0)
		drop += time.Since(t1)
	}
	b.ReportMetric(float64(create.Milliseconds())/float64(b.N), "create-ms/op")
	b.ReportMetric(float64(drop.Milliseconds())/float64(b.N), "drop-ms/op")
}

// BenchmarkNew measures pgtest.New plus a first query (the databases are dropped when it ends).
func BenchmarkNew(b *testing.B) {
	pgtest.Cluster(b)
	for b.Loop() {
		db := pgtest.New(b)
		if _, err := db.Pool.Exec(context.Background(), "select 1"); err != nil {
			b.Fatal(err)
		}
	}
}
