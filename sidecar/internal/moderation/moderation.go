// Package moderation throttles and (optionally) bans repeat spammers.
//
// Every message the judge calls spam is a strike, stored in private.moderation_strikes by the SQL
// function private.record_spam_strike, which also derives the verdict from the thresholds in
// private.moderation_settings (data, not code): after throttle_after strikes within strike_window the
// user is throttled (the throttle doubles with every further strike, up to throttle_max); after
// ban_after strikes within ban_window the function asks for a ban, once. When bans are enabled
// (SPAM_BAN_ENABLED) the Service then bans the user through the Supabase Auth admin API (Banner,
// GoTrueBanner) and records the confirmation; a failed ban call is asked for again after
// ban_retry_after.
//
// The chat calls Throttled before answering a message and Record after the judge decided:
//
//	v, err := mod.Throttled(ctx, tx, userID)       // refuse politely while v.Throttled || v.Banned
//	d, err := judge.Decide(ctx, in)
//	v, err = mod.Record(ctx, tx, userID, messageID, d) // no-op unless d.Intent is spam
package moderation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// Querier runs one query: a pgx.Tx (recording a strike with the rest of the turn) or a *pgxpool.Pool.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

var (
	_ Querier = (pgx.Tx)(nil)
	_ Querier = (*pgxpool.Pool)(nil)
)

// Banner bans a user from signing in for d. Implementations must be idempotent (banning twice is
// harmless) and safe for concurrent use.
type Banner interface {
	Ban(ctx context.Context, userID string, d time.Duration) error
}

// Verdict is a user's moderation state.
type Verdict struct {
	// Throttled: the user must not get an answer before Until.
	Throttled bool
	Until     time.Time
	// Banned: the Auth admin API confirmed a ban (until BannedUntil). Their current access token may
	// still be valid until it expires: refuse their messages.
	Banned      bool
	BannedUntil time.Time
	// Strikes is the number of spam strikes within the settings' strike window.
	Strikes int
}

// Blocked reports whether the user must not get an answer now.
func (v Verdict) Blocked() bool { return v.Throttled || v.Banned }

// Service records strikes and reads verdicts. It is safe for concurrent use.
type Service struct {
	db     *pgxpool.Pool
	cfg    config.ModerationConfig
	banner Banner
	log    *slog.Logger
	now    func() time.Time
}

// New builds the service. db is used only by callers that pass it as the Querier; cfg decides what is
// enabled (ThrottleEnabled false makes Record and Throttled no-ops; BanEnabled false never bans).
// banner bans users when cfg.BanEnabled; nil builds a GoTrueBanner from cfg (AuthURL, ServiceRoleKey,
// BanTimeout), which config.Load has validated.
func New(db *pgxpool.Pool, cfg config.ModerationConfig, banner Banner) *Service {
	if banner == nil && cfg.BanEnabled {
		banner = NewGoTrueBanner(cfg.AuthURL, cfg.ServiceRoleKey, cfg.BanTimeout)
	}
	return &Service{db: db, cfg: cfg, banner: banner, log: slog.Default(), now: time.Now}
}

// WithLogger returns s logging to log.
func (s *Service) WithLogger(log *slog.Logger) *Service {
	c := *s
	c.log = log
	return &c
}

// DB is the pool given to New (a Querier for calls outside a transaction).
func (s *Service) DB() *pgxpool.Pool { return s.db }

// sqlVerdict is the JSON of private.record_spam_strike / private.moderation_status.
type sqlVerdict struct {
	Strikes            int        `json:"strikes_in_window"`
	ThrottledUntil     *time.Time `json:"throttled_until"`
	Ban                bool       `json:"ban"`
	BanDurationSeconds *int64     `json:"ban_duration_seconds"`
	Banned             bool       `json:"banned"`
	BannedUntil        *time.Time `json:"banned_until"`
	Duplicate          bool       `json:"duplicate"`
}

func (v sqlVerdict) verdict(now time.Time) Verdict {
	out := Verdict{Strikes: v.Strikes, Banned: v.Banned}
	if v.ThrottledUntil != nil && v.ThrottledUntil.After(now) {
		out.Throttled, out.Until = true, *v.ThrottledUntil
	}
	if v.BannedUntil != nil {
		out.BannedUntil = *v.BannedUntil
	}
	return out
}

// maxReasonLen is the column limit of moderation_strikes.reason.
const maxReasonLen = 200

// Record stores a strike when d is spam and returns the user's verdict; other decisions record nothing
// and return the zero Verdict (check Throttled before answering instead). messageID is the spam
// message's id (a UUID; "" when there is none): recording the same message twice adds one strike.
// When the strike reaches the ban threshold and bans are enabled, the user is banned through the
// Banner and the ban is confirmed through q; a failed ban is logged, not returned (the strike stands
// and the ban is asked for again on a later strike). Pass the turn's transaction as q to keep the
// strike with the message; the ban call then runs inside it (bounded by the banner's timeout).
func (s *Service) Record(ctx context.Context, q Querier, userID, messageID string, d judge.Decision) (Verdict, error) {
	if !s.cfg.ThrottleEnabled || d.Intent != judge.IntentSpam {
		return Verdict{}, nil
	}
	var msg any
	if messageID != "" {
		msg = messageID
	}
	reason := "spam"
	if len(d.Reasons) > 0 {
		reason = strings.Join(d.Reasons, " ")
	}
	if r := []rune(reason); len(r) > maxReasonLen {
		reason = string(r[:maxReasonLen])
	}
	score := min(max(d.SpamScore, d.Confidence, 0), 1)
	var raw []byte
	err := q.QueryRow(ctx, `select private.record_spam_strike($1::uuid, $2::uuid, $3, $4::numeric, $5)`,
		userID, msg, reason, score, s.cfg.BanEnabled && s.banner != nil).Scan(&raw)
	if err != nil {
		return Verdict{}, fmt.Errorf("moderation: record strike: %w", err)
	}
	var sv sqlVerdict
	if err := json.Unmarshal(raw, &sv); err != nil {
		return Verdict{}, fmt.Errorf("moderation: decode strike verdict: %w", err)
	}
	now := s.now()
	v := sv.verdict(now)
	if !sv.Ban {
		return v, nil
	}
	dur := time.Duration(0)
	if sv.BanDurationSeconds != nil {
		dur = time.Duration(*sv.BanDurationSeconds) * time.Second
	}
	if dur <= 0 {
		return v, fmt.Errorf("moderation: ban requested without a duration for user %s", userID)
	}
	if err := s.banner.Ban(ctx, userID, dur); err != nil {
		if ctx.Err() != nil {
			return v, fmt.Errorf("moderation: ban user: %w", ctx.Err())
		}
		s.log.ErrorContext(ctx, "moderation: ban failed; will be asked again on a later strike",
			slog.String("user_id", userID), slog.Int("strikes", v.Strikes), slog.String("error", err.Error()))
		return v, nil
	}
	until := now.Add(dur)
	var ok *bool
	if err := q.QueryRow(ctx, `select private.confirm_spam_ban($1::uuid, $2)`, userID, until).Scan(&ok); err != nil {
		return v, fmt.Errorf("moderation: confirm ban: %w", err)
	}
	s.log.WarnContext(ctx, "moderation: user banned for repeated spam",
		slog.String("user_id", userID), slog.Int("strikes", v.Strikes), slog.Duration("duration", dur))
	v.Banned, v.BannedUntil = true, until
	return v, nil
}

// Throttled returns the user's verdict now, without recording anything: call it before answering and
// refuse while Verdict.Blocked().
func (s *Service) Throttled(ctx context.Context, q Querier, userID string) (Verdict, error) {
	if !s.cfg.ThrottleEnabled {
		return Verdict{}, nil
	}
	var raw []byte
	if err := q.QueryRow(ctx, `select private.moderation_status($1::uuid)`, userID).Scan(&raw); err != nil {
		return Verdict{}, fmt.Errorf("moderation: read status: %w", err)
	}
	var sv sqlVerdict
	if err := json.Unmarshal(raw, &sv); err != nil {
		return Verdict{}, fmt.Errorf("moderation: decode status: %w", err)
	}
	return sv.verdict(s.now()), nil
}

// ErrBanRejected is returned (wrapped) by GoTrueBanner when the Auth admin API refuses the ban.
var ErrBanRejected = errors.New("moderation: auth admin API rejected the ban")
