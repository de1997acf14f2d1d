package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is what the client needs: *pgxpool.Pool, *pgx.Conn and pgx.Tx all satisfy it. Pass a pgx.Tx to make
// a search part of a larger transaction (a chat turn): the charge and the record commit with it.
type DB interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Client calls the search functions. The connection's role must be allowed to execute the private
// functions: service_role, or postgres (the sidecar's role).
type Client struct {
	db  DB
	log *slog.Logger
}

// New returns a client on db; a nil logger means slog.Default().
func New(db DB, log *slog.Logger) *Client {
	if log == nil {
		log = slog.Default()
	}
	return &Client{db: db, log: log}
}

// Rank ranks without side effects: nothing is charged or recorded and no plan cap applies (limit 1-100).
// userID, when not empty, applies that user's feedback (dismissed and contacted investors are left out,
// saved ones flagged).
func (c *Client) Rank(ctx context.Context, kind Kind, userID string, req Request) (*Response, error) {
	crit, err := json.Marshal(req.Criteria)
	if err != nil {
		return nil, fmt.Errorf("search: encoding criteria: %w", err)
	}
	limit := req.Limit
	if limit == 0 {
		limit = 15
	}
	var sql string
	args := []any{nullable(userID), limit, req.Offset}
	switch kind {
	case Investors:
		sql = "select private.rank_investors($4::jsonb, $1::uuid, $2, $3)"
	case Companies:
		sql = "select private.rank_companies($4::jsonb, $1::uuid, $2, $3)"
	case Employees:
		sql = "select private.rank_fund_employees($5::uuid, $4::jsonb, $1::uuid, $2, $3)"
		args = append(args, string(crit), nullable(req.FundID))
	default:
		return nil, fmt.Errorf("search: unknown kind %q", kind)
	}
	if kind != Employees {
		args = append(args, string(crit))
	}
	start := time.Now()
	resp, err := c.call(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("search: ranking %s: %w", kind, err)
	}
	resp.Kind = kind
	c.log.DebugContext(ctx, "search ranked", "kind", kind, "results", resp.ResultCount,
		"total_matches", resp.TotalMatches, "ms", time.Since(start).Milliseconds())
	return resp, nil
}

// Search runs a search for a user as the product does: project and plan checks, one charge per request
// id, a search_results row and a search_progress broadcast. With a pgx.Tx as the client's DB it all
// commits (or rolls back) with the caller's transaction.
func (c *Client) Search(ctx context.Context, kind Kind, userID string, req Request) (*Response, error) {
	if userID == "" {
		return nil, fmt.Errorf("search: %w", &Error{Code: "42501", Message: "a user is required", Status: 403})
	}
	crit, err := json.Marshal(req.Criteria)
	if err != nil {
		return nil, fmt.Errorf("search: encoding criteria: %w", err)
	}
	args := []any{userID, nullable(req.ProjectID), string(crit), nullableInt(req.Limit), req.Offset, nullable(req.RequestID)}
	var sql string
	switch kind {
	case Investors:
		sql = "select private.search_investors($1::uuid, $2::uuid, $3::jsonb, $4, $5, $6)"
	case Companies:
		sql = "select private.search_companies($1::uuid, $2::uuid, $3::jsonb, $4, $5, $6)"
	case Employees:
		sql = "select private.search_fund_employees($1::uuid, $7::uuid, $2::uuid, $3::jsonb, $4, $5, $6)"
		args = append(args, nullable(req.FundID))
	default:
		return nil, fmt.Errorf("search: unknown kind %q", kind)
	}
	resp, err := c.call(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %s search for user %s: %w", kind, userID, err)
	}
	c.log.InfoContext(ctx, "search", "kind", kind, "user_id", userID, "search_id", resp.SearchID,
		"results", resp.ResultCount, "total_matches", resp.TotalMatches, "replayed", resp.Replayed,
		"duration_ms", resp.DurationMS)
	return resp, nil
}

// Started broadcasts search_progress {status: started} to the user's channel. The search itself announces
// its completion when it commits; call Started first, outside the search's transaction, for searches the
// user does not wait on directly (a chat turn), so the UI can show progress.
func (c *Client) Started(ctx context.Context, kind Kind, userID string) error {
	payload, err := json.Marshal(map[string]any{"kind": kind, "status": "started", "progress": 0})
	if err != nil {
		return fmt.Errorf("search: encoding progress: %w", err)
	}
	if _, err := c.db.Exec(ctx, "select private.broadcast($1::uuid, 'search_progress', $2::jsonb)", userID, string(payload)); err != nil {
		return fmt.Errorf("search: broadcasting progress to %s: %w", userID, wrapPgError(err))
	}
	return nil
}

// SetFeedback records a user's verdict (VerdictSaved, VerdictDismissed, VerdictContacted) on an angel,
// fund, fund employee or company; searchID (optional) is the search it came from.
func (c *Client) SetFeedback(ctx context.Context, userID, investorKind, investorID, verdict, note, searchID string) error {
	_, err := c.db.Exec(ctx, "select private.set_investor_feedback($1::uuid, $2, $3::uuid, $4, $5, $6::uuid)",
		userID, investorKind, investorID, verdict, nullable(note), nullable(searchID))
	if err != nil {
		return fmt.Errorf("search: %s %s %s for user %s: %w", verdict, investorKind, investorID, userID, wrapPgError(err))
	}
	return nil
}

func (c *Client) call(ctx context.Context, sql string, args ...any) (*Response, error) {
	var raw []byte
	if err := c.db.QueryRow(ctx, sql, args...).Scan(&raw); err != nil {
		return nil, wrapPgError(err)
	}
	resp := &Response{Raw: raw}
	if err := json.Unmarshal(raw, resp); err != nil {
		return nil, fmt.Errorf("decoding the response: %w", err)
	}
	return resp, nil
}

// Warm runs one small search of each kind on a new connection, so PostgreSQL compiles the search functions
// and plans their queries before a user waits on them: the first search on a fresh connection costs
// 5-10x a warm one. Use it as pgxpool's AfterConnect hook (its role must be allowed the private functions).
func Warm(ctx context.Context, db DB) error {
	for _, sql := range []string{
		`select private.rank_investors('{"categories": ["saas"], "stage": "seed", "country": "ES", "funding_ask_usd": 500000}', null, 1, 0)`,
		`select private.rank_companies('{"services": ["legal"], "country": "ES"}', null, 1, 0)`,
	} {
		if _, err := db.Exec(ctx, sql); err != nil {
			return fmt.Errorf("search: warming the connection: %w", wrapPgError(err))
		}
	}
	return nil
}

// Weights returns public.search_weights as a map (key -> value).
func (c *Client) Weights(ctx context.Context) (map[string]float64, error) {
	var raw []byte
	if err := c.db.QueryRow(ctx, "select private.search_weight_map()").Scan(&raw); err != nil {
		return nil, fmt.Errorf("search: reading weights: %w", wrapPgError(err))
	}
	w := map[string]float64{}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("search: decoding weights: %w", err)
	}
	return w, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullableInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// Error is an error raised by a search function.
type Error struct {
	Code    string // SQLSTATE: P0001, PT402, PT404, 42501, ...
	Message string
	Hint    string
	Detail  string
	// Status is the HTTP status PostgREST gives the code.
	Status int
}

func (e *Error) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("%s (%s; %s)", e.Message, e.Code, e.Hint)
	}
	return fmt.Sprintf("%s (%s)", e.Message, e.Code)
}

// Is makes errors.Is(err, ErrInvalid) and friends work.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrInvalid          = &Error{Code: "P0001"} // bad criteria, incomplete project...: Hint says what to fix
	ErrNotEnoughCredits = &Error{Code: "PT402"}
	ErrNotFound         = &Error{Code: "PT404"}
	ErrForbidden        = &Error{Code: "42501"}
)

// wrapPgError turns a database error into *Error (other errors pass through).
func wrapPgError(err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return err
	}
	return &Error{Code: pg.Code, Message: pg.Message, Hint: pg.Hint, Detail: pg.Detail, Status: httpStatus(pg.Code)}
}

// httpStatus maps a SQLSTATE as PostgREST does (supabase-local.md §4.2), for the codes searches raise.
func httpStatus(code string) int {
	switch {
	case code == "P0001":
		return 400
	case len(code) == 5 && code[:2] == "PT":
		var n int
		if _, err := fmt.Sscanf(code[2:], "%d", &n); err == nil {
			return n
		}
		return 500
	case code == "42501":
		return 403
	case code == "23505" || code == "23503":
		return 409
	case code == "42883" || code == "42P01":
		return 404
	case code[:2] == "P0" || code[:2] == "XX" || code[:2] == "53":
		return 500
	}
	return 400
}
