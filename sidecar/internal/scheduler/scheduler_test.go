package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.DiscardHandler)

func TestSlots(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		fn       func(time.Time) time.Time
		in, want string
	}{
		{DailySlot, "2026-11-25T00:00:00.03Z", "2026-11-25T00:00:00Z"},
		{DailySlot, "2026-11-24T23:59:58Z", "2026-11-25T00:00:00Z"}, // a replica whose clock is 2s early
		{DailySlot, "2026-11-25T15:00:00Z", "2026-11-25T00:00:00Z"},
		{DailySlot, "2026-11-25T01:00:00+02:00", "2026-11-24T00:00:00Z"},
		{MinuteSlot, "2026-11-25T10:00:00.4Z", "2026-11-25T10:00:00Z"},
		{MinuteSlot, "2026-11-25T09:59:57Z", "2026-11-25T10:00:00Z"},
	} {
		if got := tc.fn(at(tc.in)); !got.Equal(at(tc.want)) {
			t.Errorf("slot(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestClaimOncePerSlotAndLease(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	slot := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

	ok, err := Claim(ctx, db.Pool, "job", slot, "a", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, _ := Claim(ctx, db.Pool, "job", slot, "b", time.Minute); ok {
		t.Fatal("a second replica claimed a running slot")
	}
	if ok, _ := Claim(ctx, db.Pool, "job", slot.Add(24*time.Hour), "b", time.Minute); !ok {
		t.Fatal("the next slot could not be claimed")
	}
	if ok, _ := Claim(ctx, db.Pool, "other", slot, "b", time.Minute); !ok {
		t.Fatal("another job's slot could not be claimed")
	}
	// The owner dies: after the lease, another replica takes over.
	db.Exec(t, `update private.scheduler_slots set claimed_at = now() - interval '2 minutes' where job = 'job' and slot = $1`, slot)
	if ok, _ := Claim(ctx, db.Pool, "job", slot, "b", time.Minute); !ok {
		t.Fatal("an expired claim was not taken over")
	}
	// Finished: never again, whatever the lease.
	if err := Finish(ctx, db.Pool, "job", slot, "b", map[string]int{"n": 1}, nil); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, `update private.scheduler_slots set claimed_at = now() - interval '1 day' where job = 'job'`)
	if ok, _ := Claim(ctx, db.Pool, "job", slot, "c", time.Minute); ok {
		t.Fatal("a finished slot was claimed again")
	}
	// A failure releases the claim so the slot can be retried.
	if err := Finish(ctx, db.Pool, "job", slot.Add(24*time.Hour), "b", nil, errors.New("boom")); err != nil {
		t.Fatal(err)
	}
	if ok, _ := Claim(ctx, db.Pool, "job", slot.Add(24*time.Hour), "c", time.Minute); !ok {
		t.Fatal("a failed slot could not be retried")
	}
}

// Three replicas fire the same every-second job: each slot runs exactly once.
func TestReplicasRunEachSlotOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var (
		mu   sync.Mutex
		runs = map[time.Time][]string{}
	)
	var scheds []*Scheduler
	for _, owner := range []string{"r1", "r2", "r3"} {
		s, err := New(db.Pool, Options{Owner: owner, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Register("tick", gocron.DurationJob(200*time.Millisecond), func(ctx context.Context, slot time.Time) error {
			mu.Lock()
			runs[slot] = append(runs[slot], owner)
			mu.Unlock()
			return nil
		}, WithSlot(func(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }))
		if err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	for _, s := range scheds {
		s.Start()
	}
	time.Sleep(2500 * time.Millisecond)
	for _, s := range scheds {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) < 2 {
		t.Fatalf("only %d slots ran in 2.5s", len(runs))
	}
	for slot, owners := range runs {
		if len(owners) != 1 {
			t.Errorf("slot %s ran %d times (%v)", slot.Format(time.TimeOnly), len(owners), owners)
		}
	}
	var n int
	if err := db.Pool.QueryRow(context.Background(), `select count(*) from private.scheduler_slots where job = 'tick' and finished_at is not null`).Scan(&n); err != nil || n != len(runs) {
		t.Errorf("finished claims = %d (%v), want %d", n, err, len(runs))
	}
}

func TestRunSlotReleasesOnFailureAndRecoversPanics(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s, err := New(db.Pool, Options{Owner: "x", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	if err := s.Register("flaky", gocron.DurationJob(time.Hour), func(context.Context, time.Time) error {
		calls++
		switch calls {
		case 1:
			return errors.New("database down")
		case 2:
			panic("bug")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("flaky", gocron.DurationJob(time.Hour), func(context.Context, time.Time) error { return nil }); err == nil {
		t.Error("a duplicate job name was accepted")
	}
	slot := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	if ran, err := s.RunSlot(ctx, "flaky", slot); !ran || err == nil {
		t.Fatalf("first run: ran=%v err=%v", ran, err)
	}
	if ran, err := s.RunSlot(ctx, "flaky", slot); !ran || err == nil {
		t.Fatalf("second run (panic): ran=%v err=%v", ran, err)
	}
	if ran, err := s.RunSlot(ctx, "flaky", slot); !ran || err != nil {
		t.Fatalf("third run: ran=%v err=%v", ran, err)
	}
	if ran, err := s.RunSlot(ctx, "flaky", slot); ran || err != nil {
		t.Fatalf("after success the slot ran again: ran=%v err=%v", ran, err)
	}
	if calls != 3 {
		t.Errorf("calls = %d", calls)
	}
	if err := s.Shutdown(ctx); err != nil {
		t.Error(err)
	}
}
