package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/jobs"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// demoEmail is the user supabase/seed.sql creates.
const demoEmail = "demo@0bullshit.local"

// runChat implements "sidecar chat": a terminal chat as a user of the local stack. It inserts each
// line into public.messages exactly as the frontend does through PostgREST (role authenticated with
// the user's JWT claims, RLS on) and prints the Realtime events the user's channel receives
// (chat_delta as it streams, then chat_message, credits_update, notification, upsell_offer ...)
// until the reply arrives. The answers come from a running "sidecar serve" (make run), or from chat
// workers inside this process with --embedded.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL as role postgres (default $DATABASE_URL; `make db-up` writes it to .local/stack.env)")
	email := fs.String("email", demoEmail, "chat as this user (created on the local stack if missing)")
	script := fs.String("script", "", "read the messages from this file (one per line, # comments) instead of the terminal")
	newConv := fs.Bool("new", false, "start a new conversation instead of continuing the latest one")
	embedded := fs.Bool("embedded", false, "answer with chat workers inside this process (no separate sidecar serve needed)")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait for each reply")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sidecar chat [flags]\n\nChat as a user of the local stack (make db-up). Start the sidecar first (make run), or pass --embedded.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *dbURL == "" {
		*dbURL = os.Getenv("DATABASE_URL")
	}
	if *dbURL == "" {
		fmt.Fprintln(stderr, "sidecar chat: no database: set DATABASE_URL (source .local/stack.env after make db-up) or pass --database-url")
		return exitUsage
	}

	pool, err := pgxpool.New(ctx, *dbURL)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar chat: %v\n", err)
		return exitFailed
	}
	defer pool.Close()

	if *embedded {
		log, _ := obs.NewLogger(stderr, obsLevel(os.Getenv("LOG_LEVEL")), "text")
		rt, err := newChatRuntime(pool, chatRuntimeOptions{Log: log})
		if err != nil {
			fmt.Fprintf(stderr, "sidecar chat: %v\n", err)
			return exitFailed
		}
		if err := rt.client.Start(ctx); err != nil {
			fmt.Fprintf(stderr, "sidecar chat: starting the chat workers: %v\n", err)
			return exitFailed
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = jobs.Stop(sctx, rt.client)
		}()
	}

	s, err := openChatSession(ctx, pool, *email, *newConv)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar chat: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "Chatting as %s (conversation %s). Empty line or Ctrl-D to quit.\n", *email, s.conv)

	in := stdin
	interactive := *script == ""
	if !interactive {
		f, err := os.Open(*script)
		if err != nil {
			fmt.Fprintf(stderr, "sidecar chat: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for {
		if interactive {
			fmt.Fprint(stdout, "you> ")
		}
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
		if !interactive && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if line == "" {
			break
		}
		if !interactive {
			fmt.Fprintf(stdout, "you> %s\n", line)
		}
		if err := s.exchange(ctx, line, *timeout, stdout); err != nil {
			fmt.Fprintf(stderr, "sidecar chat: %v\n", err)
			return exitFailed
		}
	}
	return exitOK
}

// chatSession is one user's conversation.
type chatSession struct {
	pool *pgxpool.Pool
	uid  string
	conv string
	seen map[string]bool
}

func openChatSession(ctx context.Context, pool *pgxpool.Pool, email string, fresh bool) (*chatSession, error) {
	s := &chatSession{pool: pool, seen: map[string]bool{}}
	err := pool.QueryRow(ctx, "select id::text from auth.users where email = $1", email).Scan(&s.uid)
	if errors.Is(err, pgx.ErrNoRows) {
		// Local stack only: sign the user up the way GoTrue does (a row in auth.users; triggers do the rest).
		err = pool.QueryRow(ctx, `insert into auth.users (instance_id, email, encrypted_password, email_confirmed_at,
		        raw_app_meta_data, raw_user_meta_data)
		      values ('00000000-0000-0000-0000-000000000000', $1, '', now(), '{"provider":"email","providers":["email"]}', '{}')
		      returning id::text`, email).Scan(&s.uid)
	}
	if err != nil {
		return nil, fmt.Errorf("finding user %s: %w", email, err)
	}
	if !fresh {
		err = pool.QueryRow(ctx, `select id::text from public.conversations where user_id = $1
		                          order by last_message_at desc nulls last, created_at desc limit 1`, s.uid).Scan(&s.conv)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("finding a conversation: %w", err)
		}
	}
	if s.conv == "" {
		err = s.asUser(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "insert into public.conversations (title) values ('Terminal chat') returning id::text").Scan(&s.conv)
		})
		if err != nil {
			return nil, fmt.Errorf("starting a conversation: %w", err)
		}
	}
	// Events from before this session are not replayed.
	rows, err := pool.Query(ctx, "select id::text from realtime.messages where topic = 'user:' || $1", s.uid)
	if err != nil {
		return nil, fmt.Errorf("reading the user's channel: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("reading the user's channel: %w", err)
	}
	for _, id := range ids {
		s.seen[id] = true
	}
	return s, nil
}

// asUser runs fn the way PostgREST runs a request: role authenticated, the user's JWT claims.
func (s *chatSession) asUser(ctx context.Context, fn func(pgx.Tx) error) error {
	claims, _ := json.Marshal(map[string]any{"sub": s.uid, "role": "authenticated", "aud": "authenticated"})
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "set local role authenticated"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "select set_config('request.jwt.claims', $1, true)", string(claims)); err != nil {
			return err
		}
		return fn(tx)
	})
}

// exchange sends one message and prints the channel's events until its reply arrives.
func (s *chatSession) exchange(ctx context.Context, text string, timeout time.Duration, out io.Writer) error {
	var id string
	err := s.asUser(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "insert into public.messages (conversation_id, content) values ($1, $2) returning id::text",
			s.conv, text).Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("sending the message: %w", err)
	}
	deadline := time.Now().Add(timeout)
	streaming := false
	for {
		rows, err := s.pool.Query(ctx, `select id::text, event, payload from realtime.messages
		        where topic = 'user:' || $1 order by inserted_at, (payload->>'seq')::int nulls last`, s.uid)
		if err != nil {
			return fmt.Errorf("reading events: %w", err)
		}
		type event struct {
			id, name string
			payload  map[string]any
		}
		var evs []event
		for rows.Next() {
			var ev event
			if err := rows.Scan(&ev.id, &ev.name, &ev.payload); err != nil {
				rows.Close()
				return fmt.Errorf("reading events: %w", err)
			}
			if !s.seen[ev.id] {
				evs = append(evs, ev)
			}
		}
		rows.Close()
		done := false
		for _, ev := range evs {
			s.seen[ev.id] = true
			switch ev.name {
			case "chat_delta":
				if d, ok := ev.payload["delta"].(string); ok {
					if !streaming {
						fmt.Fprint(out, "assistant (streaming)> ")
						streaming = true
					}
					fmt.Fprint(out, d)
				}
			case "chat_message":
				msg, _ := ev.payload["message"].(map[string]any)
				if msg["reply_to"] != id {
					continue
				}
				if streaming {
					fmt.Fprintln(out)
				}
				meta, _ := msg["metadata"].(map[string]any)
				fmt.Fprintf(out, "assistant> %v\n", msg["content"])
				fmt.Fprintf(out, "           [%v · %v · agent %v · charged %v]\n", ev.payload["status"], meta["intent"], meta["agent"], meta["charged"])
				done = true
			default:
				raw, _ := json.Marshal(ev.payload)
				fmt.Fprintf(out, "           [%s] %s\n", ev.name, raw)
			}
		}
		if done {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no reply within %s: is the sidecar running (make run), or pass --embedded", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
