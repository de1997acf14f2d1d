package localstack_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack"
)

// clusterDir is a data directory for a cluster of its own, readable by the postgres OS user.
func clusterDir(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{root, filepath.Dir(root)} { // t.TempDir is 0700: the postgres user must get in
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "pg")
}

func startOwn(t *testing.T, opts localstack.Options) *localstack.Cluster {
	t.Helper()
	c, err := localstack.Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return c
}

func TestStartTwiceSaysAlreadyRunning(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	c1 := startOwn(t, localstack.Options{Dir: dir})
	if c1.Reused {
		t.Fatal("first start reports Reused")
	}
	var logs bytes.Buffer
	c2, err := localstack.Start(t.Context(), localstack.Options{Dir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if !c2.Reused || c2.Port != c1.Port {
		t.Fatalf("second start: reused=%v port=%d, first port %d", c2.Reused, c2.Port, c1.Port)
	}
	if !strings.Contains(logs.String(), "already running") {
		t.Errorf("log does not say already running: %s", logs.String())
	}
	// Asking for another port while it runs is an error, not a second server.
	if _, err := localstack.Start(t.Context(), localstack.Options{Dir: dir, Port: c1.Port + 1}); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("start on another port: %v", err)
	}
	st, err := localstack.Inspect(t.Context(), localstack.Options{Dir: dir})
	if err != nil || !st.Running || st.Port != c1.Port {
		t.Fatalf("Inspect: %+v %v", st, err)
	}
}

func TestStalePidFileIsRemoved(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	c := startOwn(t, localstack.Options{Dir: dir})
	port := c.Port
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Simulate a crash: a postmaster.pid naming a process that no longer exists.
	pid := deadPID(t)
	stale := strconv.Itoa(pid) + "\n" + dir + "\n1700000000\n" + strconv.Itoa(port) + "\n" + dir + "\n127.0.0.1\n  1234   5678\nready   \n"
	if err := os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	c2, err := localstack.Start(t.Context(), localstack.Options{Dir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Stop(context.Background()) })
	if c2.Reused || !strings.Contains(logs.String(), "stale postmaster.pid") {
		t.Fatalf("reused=%v log=%s", c2.Reused, logs.String())
	}
}

func TestStopWhenNotRunning(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	if stopped, err := localstack.StopDir(t.Context(), localstack.Options{Dir: dir}); err != nil || stopped {
		t.Fatalf("StopDir on a missing dir: %v %v", stopped, err)
	}
	c := startOwn(t, localstack.Options{Dir: dir})
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(t.Context()); err != nil {
		t.Fatalf("second stop: %v", err)
	}
}

func TestPortTakenBySomethingElse(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	_, err = localstack.Start(t.Context(), localstack.Options{Dir: clusterDir(t), Port: port})
	if err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("want a port-in-use error, got %v", err)
	}
}

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	return p.Pid
}
