package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// "sidecar chat --script --embedded" chats as the demo user the way the frontend does and prints
// each streamed reply and the events of the user's channel.
func TestChatScriptEmbedded(t *testing.T) {
	db := pgtest.New(t)
	script := filepath.Join(t.TempDir(), "demo.txt")
	if err := os.WriteFile(script, []byte("# a comment\nhello!\n\nWhat is a SAFE?\n¿Qué planes tenéis?\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"chat", "--database-url", db.PostgresURL(), "--script", script,
		"--embedded", "--new", "--email", "cli@example.com"}, &out, &errOut)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	got := out.String()
	if n := strings.Count(got, "assistant> "); n != 3 {
		t.Errorf("replies printed = %d, want 3:\n%s", n, got)
	}
	for _, want := range []string{"you> hello!", "you> What is a SAFE?", "[credits_update]", "librarian", "plans"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "a comment") {
		t.Errorf("comment lines were sent:\n%s", got)
	}
	var n int
	if err := db.Pool.QueryRow(context.Background(), `select count(*) from public.messages m join auth.users u on u.id = m.user_id
	        where u.email = 'cli@example.com' and m.role = 'assistant'`).Scan(&n); err != nil || n != 3 {
		t.Errorf("assistant rows = %d (%v), want 3", n, err)
	}
}

func TestChatNeedsADatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"chat"}, &out, &errOut); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errOut.String(), "DATABASE_URL") {
		t.Errorf("stderr = %q, want a hint about DATABASE_URL", errOut.String())
	}
}
