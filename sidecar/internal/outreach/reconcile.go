package outreach

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/unipile"
)

// Reconciler compares each account's pending invitations and relations on Unipile with the database:
// it settles invitations whose outcome is unknown (a crash or a 5xx) and accepts invited targets that
// became connections without a new_relation webhook (Unipile delivers those up to 8 hours late, or not
// at all).
type Reconciler struct {
	DB       *pgxpool.Pool
	Provider Provider
	Log      *slog.Logger
	// Every is how often an account is reconciled (default 3h); accounts with unknown invitations sooner.
	Every time.Duration
	// MaxPages bounds how many pages of 100 are read per list (default 20).
	MaxPages int
	// Now, when set, is the clock passed to the database (tests).
	Now func() time.Time
}

func (r *Reconciler) now() any {
	if r.Now == nil {
		return nil
	}
	return r.Now()
}

// Step reconciles the accounts that are due and returns how many it did.
func (r *Reconciler) Step(ctx context.Context) (int, error) {
	if r.Provider == nil {
		return 0, nil // dry run: nothing on Unipile to compare with
	}
	every := r.Every
	if every <= 0 {
		every = 3 * time.Hour
	}
	var raw []byte
	if err := r.DB.QueryRow(ctx, `select private.outreach_claim_reconcile(10, $1, interval '10 minutes', coalesce($2::timestamptz, now()))`,
		every, r.now()).Scan(&raw); err != nil {
		return 0, fmt.Errorf("claiming accounts to reconcile: %w", err)
	}
	var accounts []struct {
		AccountID        string `json:"account_id"`
		UnipileAccountID string `json:"unipile_account_id"`
	}
	if err := json.Unmarshal(raw, &accounts); err != nil {
		return 0, fmt.Errorf("decoding accounts to reconcile: %w", err)
	}
	n := 0
	for _, a := range accounts {
		if err := r.account(ctx, a.AccountID, a.UnipileAccountID); err != nil {
			log := r.Log
			if log == nil {
				log = slog.Default()
			}
			log.WarnContext(ctx, "outreach: reconciliation failed", "account_id", a.AccountID, "error", err)
			continue
		}
		n++
	}
	return n, nil
}

func (r *Reconciler) account(ctx context.Context, id, unipileID string) error {
	pages := r.MaxPages
	if pages <= 0 {
		pages = 20
	}
	invited, completeInv, err := readAll(ctx, pages, func(cursor string) (unipile.Page, error) {
		return r.Provider.ListSentInvitations(ctx, unipileID, cursor, 100)
	})
	if err != nil {
		return fmt.Errorf("listing sent invitations: %w", err)
	}
	relations, completeRel, err := readAll(ctx, pages, func(cursor string) (unipile.Page, error) {
		return r.Provider.ListRelations(ctx, unipileID, cursor, 100)
	})
	if err != nil {
		return fmt.Errorf("listing relations: %w", err)
	}
	bi, _ := json.Marshal(invited)
	br, _ := json.Marshal(relations)
	if _, err := r.DB.Exec(ctx, `select private.outreach_reconcile($1, $2, $3, $4, coalesce($5::timestamptz, now()))`,
		id, bi, br, completeInv && completeRel, r.now()); err != nil {
		return fmt.Errorf("applying the reconciliation: %w", err)
	}
	return nil
}

// readAll follows cursors for at most pages pages; complete is false when more remained.
func readAll(ctx context.Context, pages int, page func(cursor string) (unipile.Page, error)) (all []unipile.Person, complete bool, err error) {
	all = []unipile.Person{}
	cursor := ""
	for i := 0; i < pages; i++ {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		p, err := page(cursor)
		if err != nil {
			return nil, false, err
		}
		all = append(all, p.Items...)
		if p.Cursor == "" {
			return all, true, nil
		}
		cursor = p.Cursor
	}
	return all, false, nil
}

// Maintain runs the periodic housekeeping: expired attempts, expired invitations, finished campaigns,
// and webhook events whose processing failed.
func Maintain(ctx context.Context, db *pgxpool.Pool) error {
	if _, err := db.Exec(ctx, `select private.outreach_maintain()`); err != nil {
		return fmt.Errorf("outreach maintenance: %w", err)
	}
	if _, err := db.Exec(ctx, `select private.unipile_retry_events()`); err != nil {
		return fmt.Errorf("retrying webhook events: %w", err)
	}
	return nil
}
