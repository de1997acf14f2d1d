package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
)

// Item kinds a checkout sells.
const (
	KindPlan = "plan"
	KindPack = "pack"
)

// Service creates Checkout and Portal sessions and reads the billing history.
type Service struct {
	pool   *pgxpool.Pool
	stripe *client.API
	cfg    config.StripeConfig
	log    *slog.Logger
}

// NewService returns the billing service. sc talks to Stripe (NewStripeClient).
func NewService(pool *pgxpool.Pool, sc *client.API, cfg config.StripeConfig, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{pool: pool, stripe: sc, cfg: cfg, log: log.With("component", "billing")}
}

// CheckoutRequest is what the client may choose: one plan or one pack, by id. Never a price.
type CheckoutRequest struct {
	Plan string `json:"plan,omitempty"`
	Pack string `json:"pack,omitempty"`
}

// CheckoutResult is the Checkout Session to redirect the user to.
type CheckoutResult struct {
	URL       string `json:"url"`
	SessionID string `json:"session_id"`
	Kind      string `json:"kind"`
	Item      string `json:"item"`
}

// checkoutItem is private.billing_checkout_item's answer.
type checkoutItem struct {
	Kind        string `json:"kind"`
	ID          string `json:"id"`
	PriceID     string `json:"price_id"`
	Credits     int    `json:"credits"`
	AmountCents int    `json:"amount_cents"`
	Currency    string `json:"currency"`
}

var idempotencyKeyRE = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,100}$`)

// Checkout creates a Checkout Session for user: subscription mode for a plan, payment mode for a pack.
// attemptKey identifies the user's attempt (the client's Idempotency-Key, else the request id): the
// same key returns the same session instead of creating another.
func (s *Service) Checkout(ctx context.Context, userID string, req CheckoutRequest, attemptKey string) (*CheckoutResult, error) {
	kind, id := KindPlan, req.Plan
	switch {
	case req.Plan != "" && req.Pack != "":
		return nil, httpapi.BadRequest(`choose either "plan" or "pack", not both`)
	case req.Pack != "":
		kind, id = KindPack, req.Pack
	case req.Plan == "":
		return nil, httpapi.BadRequest(`"plan" (pro, outreach) or "pack" (a credit pack id) is required`)
	}
	if !idempotencyKeyRE.MatchString(attemptKey) {
		return nil, httpapi.BadRequest("Idempotency-Key: 1-100 characters of A-Z a-z 0-9 _ . : -")
	}
	var raw []byte
	if err := s.pool.QueryRow(ctx, `select private.billing_checkout_item($1::uuid, $2, $3)`, userID, kind, id).Scan(&raw); err != nil {
		return nil, mapSQLError(err, "looking up the checkout item")
	}
	var item checkoutItem
	if err := json.Unmarshal(raw, &item); err != nil {
		return nil, fmt.Errorf("decoding the checkout item: %w", err)
	}
	customer, err := s.ensureCustomer(ctx, userID)
	if err != nil {
		return nil, err
	}

	meta := map[string]string{"user_id": userID, "kind": kind}
	p := &stripe.CheckoutSessionParams{
		Customer:          stripe.String(customer),
		ClientReferenceID: stripe.String(userID),
		LineItems:         []*stripe.CheckoutSessionLineItemParams{{Price: stripe.String(item.PriceID), Quantity: stripe.Int64(1)}},
		SuccessURL:        stripe.String(s.cfg.SuccessURL),
		CancelURL:         stripe.String(s.cfg.CancelURL),
	}
	if kind == KindPlan {
		meta["plan_id"] = item.ID
		p.Mode = stripe.String(string(stripe.CheckoutSessionModeSubscription))
		p.SubscriptionData = &stripe.CheckoutSessionSubscriptionDataParams{
			Metadata: map[string]string{"user_id": userID, "plan_id": item.ID},
		}
		p.AllowPromotionCodes = stripe.Bool(true)
	} else {
		meta["pack_id"] = item.ID
		meta["credits"] = fmt.Sprint(item.Credits)
		p.Mode = stripe.String(string(stripe.CheckoutSessionModePayment))
		p.PaymentIntentData = &stripe.CheckoutSessionPaymentIntentDataParams{
			Metadata: map[string]string{"user_id": userID, "pack_id": item.ID},
		}
	}
	p.Metadata = meta
	p.SetIdempotencyKey(fmt.Sprintf("checkout:%s:%s:%s:%s", userID, kind, item.ID, attemptKey))
	p.Context = ctx
	cs, err := s.stripe.CheckoutSessions.New(p)
	if err != nil {
		return nil, stripeError(err, "creating the checkout session")
	}
	if kind == KindPack {
		// Pending purchase: the webhook grants its credits once Stripe says it is paid. The webhook can
		// also rebuild it from the session's metadata if this write is lost.
		if _, err := s.pool.Exec(ctx, `select private.record_pack_checkout($1::uuid, $2, $3)`, userID, cs.ID, item.ID); err != nil {
			return nil, fmt.Errorf("recording the pack checkout %s: %w", cs.ID, err)
		}
	}
	s.log.InfoContext(ctx, "checkout session created", "user_id", userID, "kind", kind, "item", item.ID, "checkout_session", cs.ID)
	return &CheckoutResult{URL: cs.URL, SessionID: cs.ID, Kind: kind, Item: item.ID}, nil
}

// ensureCustomer returns the user's Stripe customer, creating it once. Concurrent first checkouts use
// the same idempotency key, so Stripe creates one customer; the database keeps the first id stored.
func (s *Service) ensureCustomer(ctx context.Context, userID string) (string, error) {
	var (
		customer    *string
		email       *string
		isAnonymous bool
	)
	err := s.pool.QueryRow(ctx, `
select p.stripe_customer_id, p.email, coalesce(u.is_anonymous, false)
from public.profiles p left join auth.users u on u.id = p.id where p.id = $1::uuid`, userID).Scan(&customer, &email, &isAnonymous)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", httpapi.NotFound("no account for this user")
	}
	if err != nil {
		return "", fmt.Errorf("reading the profile: %w", err)
	}
	if customer != nil {
		return *customer, nil
	}
	if isAnonymous || email == nil {
		return "", httpapi.Forbidden("sign up with an e-mail address before buying")
	}
	p := &stripe.CustomerParams{Email: email, Metadata: map[string]string{"user_id": userID}}
	p.SetIdempotencyKey("customer:" + userID)
	p.Context = ctx
	c, err := s.stripe.Customers.New(p)
	if err != nil {
		return "", stripeError(err, "creating the customer")
	}
	var stored string
	if err := s.pool.QueryRow(ctx, `select private.set_stripe_customer($1::uuid, $2)`, userID, c.ID).Scan(&stored); err != nil {
		return "", fmt.Errorf("storing customer %s: %w", c.ID, err)
	}
	if stored != c.ID {
		s.log.WarnContext(ctx, "another customer was stored first; using it", "user_id", userID, "created", c.ID, "stored", stored)
	} else {
		s.log.InfoContext(ctx, "stripe customer created", "user_id", userID, "customer", c.ID)
	}
	return stored, nil
}

// Portal returns a Customer Portal URL for the user (change plan, cancel, update the card, invoices).
// The URL is a short-lived credential: never log it.
func (s *Service) Portal(ctx context.Context, userID string) (string, error) {
	var customer *string
	err := s.pool.QueryRow(ctx, `select stripe_customer_id from public.profiles where id = $1::uuid`, userID).Scan(&customer)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", httpapi.NotFound("no account for this user")
	}
	if err != nil {
		return "", fmt.Errorf("reading the profile: %w", err)
	}
	if customer == nil {
		return "", httpapi.NotFound("no billing account yet: buy a plan or a credit pack first")
	}
	p := &stripe.BillingPortalSessionParams{Customer: customer, ReturnURL: stripe.String(s.cfg.PortalReturnURL)}
	if s.cfg.PortalConfiguration != "" {
		p.Configuration = stripe.String(s.cfg.PortalConfiguration)
	}
	p.Context = ctx
	ps, err := s.stripe.BillingPortalSessions.New(p)
	if err != nil {
		return "", stripeError(err, "creating the portal session")
	}
	s.log.InfoContext(ctx, "portal session created", "user_id", userID, "customer", *customer)
	return ps.URL, nil
}

// History is the user's invoices and credit purchases, newest first (private.billing_history). It reads
// only the database, so it works while Stripe is unreachable.
func History(ctx context.Context, pool *pgxpool.Pool, userID string, limit int) (json.RawMessage, error) {
	var raw []byte
	if err := pool.QueryRow(ctx, `select private.billing_history($1::uuid, $2)`, userID, limit).Scan(&raw); err != nil {
		return nil, fmt.Errorf("reading the billing history: %w", err)
	}
	return raw, nil
}

// mapSQLError turns the billing functions' PT503 ("not configured") into a 503; other SQL errors go
// through httpapi's usual mapping.
func mapSQLError(err error, what string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "PT503" {
		return &httpapi.Error{Status: http.StatusServiceUnavailable, Code: httpapi.CodeUnavailable, Message: pg.Message, Hint: pg.Hint}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// stripeError maps a Stripe API failure to a 502 (Stripe refused or failed) without leaking details;
// the cause is kept for the log.
func stripeError(err error, what string) error {
	var se *stripe.Error
	if errors.As(err, &se) {
		return fmt.Errorf("%s: stripe %d %s (request %s): %w", what, se.HTTPStatusCode, se.Code, se.RequestID,
			&httpapi.Error{Status: http.StatusBadGateway, Code: httpapi.CodeBadGateway, Message: "the payment provider refused the request"})
	}
	return fmt.Errorf("%s: %w", what, &httpapi.Error{Status: http.StatusBadGateway, Code: httpapi.CodeBadGateway, Message: "the payment provider is unreachable"})
}
