// Package outreach runs LinkedIn outreach through Unipile: the sender (claims the next due action from
// the database, which enforces every safety limit, calls Unipile and records the outcome), message
// generation (Gemini or offline templates), reconciliation of missed webhooks, and the HTTP handlers for
// connecting an account and for Unipile's webhooks.
//
// The database is the source of truth (supabase/migrations/20261125140000_outreach.sql): an action is
// recorded as 'sending' before Unipile is called and completed after, so a crash, a retry or a second
// replica can never invite the same person twice or exceed a cap.
package outreach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/unipile"
)

// Provider is what the sender needs from Unipile (*unipile.Client implements it).
type Provider interface {
	GetProfile(ctx context.Context, accountID, identifier string) (unipile.UserProfile, error)
	SendInvitation(ctx context.Context, req unipile.InvitationRequest) (unipile.InvitationSent, error)
	StartChat(ctx context.Context, req unipile.StartChatRequest) (unipile.ChatStarted, error)
	SendMessage(ctx context.Context, chatID, text string) (unipile.MessageSent, error)
	ListSentInvitations(ctx context.Context, accountID, cursor string, limit int) (unipile.Page, error)
	ListRelations(ctx context.Context, accountID, cursor string, limit int) (unipile.Page, error)
}

// Channels the database notifies.
const (
	// WakeChannel is notified when something may have become due (launch, resume, approval, acceptance).
	WakeChannel = "outreach_wake"
	// GenerateChannel is notified when targets wait for their messages.
	GenerateChannel = "outreach_generate"
)

// Action is a claimed action (private.outreach_claim).
type Action struct {
	ID               *int64 `json:"action_id"`
	Kind             string `json:"kind"`
	Mode             string `json:"mode"`
	Decisions        int    `json:"decisions"`
	AccountID        string `json:"account_id"`
	UnipileAccountID string `json:"unipile_account_id"`
	NoteMaxChars     int    `json:"note_max_chars"`
	TargetID         string `json:"target_id"`
	CampaignID       string `json:"campaign_id"`
	Step             int    `json:"step"`
	PublicIdentifier string `json:"public_identifier"`
	ProviderID       string `json:"provider_id"`
	ChatID           string `json:"chat_id"`
	Text             string `json:"text"`
}

// Outcome is what happened to an action, in the terms of private.outreach_complete.
type Outcome struct {
	Outcome string
	Result  map[string]any
}

// Sender performs due actions. With a nil Provider it is a dry run: it records what would be sent
// (mode dry_run) and calls nobody.
type Sender struct {
	DB       *pgxpool.Pool
	Provider Provider
	Log      *slog.Logger
	// Now, when set, is the clock passed to the database (tests); otherwise the database's now().
	Now func() time.Time
	// Lease bounds how long an attempt may take before it is considered crashed (default 10m).
	Lease time.Duration
	// Scan is how many due accounts one claim examines (default 50).
	Scan int
}

func (s *Sender) mode() string {
	if s.Provider == nil {
		return "dry_run"
	}
	return "live"
}

func (s *Sender) now() any {
	if s.Now == nil {
		return nil
	}
	return s.Now()
}

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Claim makes scheduling decisions until one yields an action. ok is false when nothing is due.
func (s *Sender) Claim(ctx context.Context) (a Action, ok bool, err error) {
	lease := s.Lease
	if lease <= 0 {
		lease = 10 * time.Minute
	}
	scan := s.Scan
	if scan <= 0 {
		scan = 50
	}
	var raw []byte
	err = s.DB.QueryRow(ctx, `select private.outreach_claim(coalesce($1::timestamptz, now()), $2, $3, $4)`,
		s.now(), s.mode(), scan, lease).Scan(&raw)
	if err != nil {
		return a, false, fmt.Errorf("claiming the next outreach action: %w", err)
	}
	if raw == nil {
		return a, false, nil
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, false, fmt.Errorf("decoding the claimed action: %w", err)
	}
	return a, a.ID != nil, nil
}

// Step claims one action, performs it and records the outcome. It reports whether there was an action.
func (s *Sender) Step(ctx context.Context) (bool, error) {
	a, ok, err := s.Claim(ctx)
	if err != nil || !ok {
		return false, err
	}
	out := s.perform(ctx, a)
	// The outcome is recorded even when ctx ends (shutdown): an unrecorded attempt would wait for its lease.
	if err := s.Complete(context.WithoutCancel(ctx), *a.ID, out); err != nil {
		return true, err
	}
	s.log().InfoContext(ctx, "outreach action", "action_id", *a.ID, "kind", a.Kind, "mode", a.Mode,
		"outcome", out.Outcome, "target_id", a.TargetID, "campaign_id", a.CampaignID)
	return true, nil
}

// Complete records the outcome of a claimed action.
func (s *Sender) Complete(ctx context.Context, id int64, out Outcome) error {
	b, err := json.Marshal(out.Result)
	if err != nil {
		return fmt.Errorf("encoding the outcome: %w", err)
	}
	if _, err := s.DB.Exec(ctx, `select private.outreach_complete($1, $2, $3, coalesce($4::timestamptz, now()))`,
		id, out.Outcome, b, s.now()); err != nil {
		return fmt.Errorf("recording the outcome of action %d: %w", id, err)
	}
	return nil
}

// perform calls Unipile (or pretends to, in dry-run mode) and classifies the answer.
func (s *Sender) perform(ctx context.Context, a Action) Outcome {
	if s.Provider == nil {
		return dryRun(a)
	}
	switch a.Kind {
	case "profile_view":
		p, err := s.Provider.GetProfile(ctx, a.UnipileAccountID, a.PublicIdentifier)
		if err != nil {
			return classify(a, err)
		}
		if p.ProviderID == "" {
			return Outcome{"failed", map[string]any{"error_type": "no_provider_id"}}
		}
		return Outcome{"sent", map[string]any{"provider_id": p.ProviderID, "is_relationship": p.Connected()}}
	case "invite":
		note := a.Text
		if a.NoteMaxChars > 0 {
			note = FitRunes(note, a.NoteMaxChars)
		}
		r, err := s.Provider.SendInvitation(ctx, unipile.InvitationRequest{ProviderID: a.ProviderID, AccountID: a.UnipileAccountID, Message: note})
		if err != nil {
			return classify(a, err)
		}
		return Outcome{"sent", map[string]any{"provider_ref": r.InvitationID}}
	case "message":
		if a.ChatID != "" {
			r, err := s.Provider.SendMessage(ctx, a.ChatID, a.Text)
			if err != nil {
				return classify(a, err)
			}
			return Outcome{"sent", map[string]any{"provider_ref": r.MessageID, "chat_id": a.ChatID}}
		}
		r, err := s.Provider.StartChat(ctx, unipile.StartChatRequest{AccountID: a.UnipileAccountID, AttendeesIDs: []string{a.ProviderID}, Text: a.Text})
		if err != nil {
			return classify(a, err)
		}
		return Outcome{"sent", map[string]any{"provider_ref": r.MessageID, "chat_id": r.ChatID}}
	}
	return Outcome{"failed", map[string]any{"error_type": "unknown_kind", "error_detail": a.Kind}}
}

func dryRun(a Action) Outcome {
	switch a.Kind {
	case "profile_view":
		return Outcome{"sent", map[string]any{"provider_id": "dry-run:" + a.PublicIdentifier, "is_relationship": false}}
	case "message":
		chat := a.ChatID
		if chat == "" {
			chat = "dry-run-chat:" + a.TargetID
		}
		return Outcome{"sent", map[string]any{"provider_ref": fmt.Sprintf("dry-run:%d", *a.ID), "chat_id": chat}}
	}
	return Outcome{"sent", map[string]any{"provider_ref": fmt.Sprintf("dry-run:%d", *a.ID)}}
}

// classify turns a Unipile error into an outcome (see private.outreach_complete).
func classify(a Action, err error) Outcome {
	r := map[string]any{"error_detail": truncate(err.Error(), 400)}
	var ue *unipile.Error
	if errors.As(err, &ue) {
		r["error_type"] = ue.Type
	} else {
		r["error_type"] = "network_error"
	}
	switch unipile.Classify(err) {
	case unipile.ClassDone:
		return Outcome{"already", r}
	case unipile.ClassLimit:
		r["scope"] = "all"
		if a.Kind == "invite" && (ue == nil || (ue.Status != http.StatusTooManyRequests && !strings.HasSuffix(ue.Type, "too_many_requests"))) {
			r["scope"] = "invites"
		}
		return Outcome{"limit", r}
	case unipile.ClassDisconnected:
		return Outcome{"disconnected", r}
	case unipile.ClassTransient:
		if a.Kind == "invite" {
			// The invitation may have left (Unipile says a 500 can be LinkedIn enforcing a limit): count it
			// and let reconciliation decide; never re-send blindly.
			return Outcome{"unknown", r}
		}
		return Outcome{"retry", r}
	}
	return Outcome{"failed", r}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Run performs due actions until ctx ends: after each action it looks for the next at once; when none is
// due it waits for a NOTIFY on WakeChannel or poll, whichever comes first.
func (s *Sender) Run(ctx context.Context, poll time.Duration) error {
	return runLoop(ctx, s.DB, WakeChannel, poll, s.log(), "sender", func(ctx context.Context) (bool, error) {
		return s.Step(ctx)
	})
}

// runLoop runs step while it reports work, then waits for a notification on channel or poll. A failing
// step is logged and retried after poll; a lost LISTEN connection is re-established.
func runLoop(ctx context.Context, db *pgxpool.Pool, channel string, poll time.Duration, log *slog.Logger, name string,
	step func(context.Context) (bool, error)) error {
	var conn *pgxpool.Conn
	defer func() {
		if conn != nil {
			conn.Release()
		}
	}()
	for ctx.Err() == nil {
		if conn == nil && channel != "" {
			c, err := db.Acquire(ctx)
			if err == nil {
				if _, err = c.Exec(ctx, "listen "+pgx.Identifier{channel}.Sanitize()); err != nil {
					c.Release()
				} else {
					conn = c
				}
			}
			if err != nil && ctx.Err() == nil {
				log.WarnContext(ctx, "outreach: LISTEN failed, polling only", "worker", name, "error", err)
			}
		}
		for ctx.Err() == nil {
			worked, err := step(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.ErrorContext(ctx, "outreach: step failed", "worker", name, "error", err)
				}
				break
			}
			if !worked {
				break
			}
		}
		if ctx.Err() != nil {
			break
		}
		wctx, cancel := context.WithTimeout(ctx, poll)
		if conn != nil {
			_, err := conn.Conn().WaitForNotification(wctx)
			if (err != nil && wctx.Err() == nil && ctx.Err() == nil) || conn.Conn().IsClosed() {
				conn.Release() // broken connection: listen again on the next round
				conn = nil
			}
		} else {
			<-wctx.Done()
		}
		cancel()
	}
	return nil
}
