package outreach

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
	"github.com/zerobullshit/backend/sidecar/internal/unipile"
)

// WebhookSecretHeader carries the shared secret on every Unipile webhook delivery (configured as a
// custom header when the webhook is created).
const WebhookSecretHeader = "Unipile-Auth"

// LinkClient is what connecting needs from Unipile (*unipile.Client implements it).
type LinkClient interface {
	CreateHostedAuthLink(ctx context.Context, req unipile.HostedAuthLinkRequest) (string, error)
	GetAccount(ctx context.Context, id string) (unipile.Account, error)
}

// Handlers serves the outreach HTTP endpoints.
type Handlers struct {
	DB *pgxpool.Pool
	// Unipile is nil when the integration is disabled: connecting answers 503.
	Unipile LinkClient
	// DSN is sent as api_url in hosted-auth links.
	DSN string
	// NotifyBaseURL is this sidecar's public base URL (notify_url = NotifyBaseURL/webhooks/unipile/connect?token=...).
	NotifyBaseURL string
	// RedirectURL is the frontend page the wizard returns to ("" : none).
	RedirectURL string
	// WebhookSecret is compared with the Unipile-Auth header ("" refuses every delivery).
	WebhookSecret string
	// LinkTTL is how long a hosted-auth link is valid (default 1h).
	LinkTTL time.Duration
	Log     *slog.Logger
}

// Register adds POST /v1/linkedin/connect, POST /webhooks/unipile and POST /webhooks/unipile/connect.
func (h *Handlers) Register(v1, webhooks *echo.Group) {
	v1.POST("/linkedin/connect", h.Connect)
	webhooks.POST("/unipile", h.Webhook)
	webhooks.POST("/unipile/connect", h.ConnectCallback)
}

func (h *Handlers) log() *slog.Logger {
	if h.Log == nil {
		return slog.Default()
	}
	return h.Log
}

// Connect returns a fresh hosted-auth link for the signed-in user: body {"account_id": "<uuid>"} asks
// for a reconnect of that account. Answers {url, kind, expires_at}; 402 without the Outreach plan.
func (h *Handlers) Connect(c echo.Context) error {
	claims, ok := httpapi.ClaimsFrom(c)
	if !ok {
		return httpapi.Unauthorized("sign in first")
	}
	var body struct {
		AccountID string `json:"account_id"`
	}
	if c.Request().ContentLength != 0 {
		if err := json.NewDecoder(c.Request().Body).Decode(&body); err != nil {
			return httpapi.BadRequest("the body must be JSON like {\"account_id\": \"...\"} or empty")
		}
	}
	if h.Unipile == nil || h.NotifyBaseURL == "" {
		return httpapi.Unavailable("LinkedIn connection is not configured on this server")
	}
	token, hash, err := newToken()
	if err != nil {
		return err
	}
	ttl := h.LinkTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	ctx := c.Request().Context()
	var account any
	if body.AccountID != "" {
		account = body.AccountID
	}
	var raw []byte
	if err := h.DB.QueryRow(ctx, `select private.linkedin_begin_connect($1, $2, $3, $4)`,
		claims.UserID, hash, account, ttl).Scan(&raw); err != nil {
		return err
	}
	var begun struct {
		Kind             string    `json:"kind"`
		ReconnectAccount string    `json:"reconnect_account"`
		ExpiresAt        time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal(raw, &begun); err != nil {
		return err
	}
	req := unipile.HostedAuthLinkRequest{
		Type: begun.Kind, Providers: []string{"LINKEDIN"}, APIURL: h.DSN, ExpiresOn: unipile.FormatTime(begun.ExpiresAt),
		Name: claims.UserID, NotifyURL: h.NotifyBaseURL + "/webhooks/unipile/connect?token=" + url.QueryEscape(token),
		ReconnectAccount: begun.ReconnectAccount,
	}
	if h.RedirectURL != "" {
		req.SuccessRedirectURL = h.RedirectURL + "?linkedin=connected"
		req.FailureRedirectURL = h.RedirectURL + "?linkedin=failed"
	}
	link, err := h.Unipile.CreateHostedAuthLink(ctx, req)
	if err != nil {
		h.log().ErrorContext(ctx, "outreach: hosted auth link failed", "error", err)
		return &httpapi.Error{Status: http.StatusBadGateway, Code: httpapi.CodeBadGateway, Message: "LinkedIn connection is unavailable right now"}
	}
	return c.JSON(http.StatusOK, map[string]any{"url": link, "kind": begun.Kind, "expires_at": begun.ExpiresAt})
}

// newToken returns a random URL-safe token and the hex SHA-256 the database stores.
func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// ConnectCallback is the hosted-auth notify_url: {"status": "CREATION_SUCCESS"|"RECONNECTED",
// "account_id": "...", "name": "<user id>"} with the link's token in the query. The account is stored
// for the user who asked for that link only.
func (h *Handlers) ConnectCallback(c echo.Context) error {
	token := c.QueryParam("token")
	if len(token) < 20 {
		return httpapi.Forbidden("missing or invalid token")
	}
	var body struct {
		Status    string `json:"status"`
		AccountID string `json:"account_id"`
		Name      string `json:"name"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&body); err != nil {
		return httpapi.BadRequest("expected a JSON body")
	}
	ctx := c.Request().Context()
	info := map[string]any{}
	if h.Unipile != nil && body.AccountID != "" {
		// Best effort: the tier sets the limits, the own id filters our own messages out of webhooks.
		if acc, err := h.Unipile.GetAccount(ctx, body.AccountID); err == nil {
			info["tier"] = acc.Tier()
			info["display_name"] = acc.Name
			if acc.ConnectionParams.IM.ID != "" {
				info["own_provider_id"] = acc.ConnectionParams.IM.ID
			}
		} else {
			h.log().WarnContext(ctx, "outreach: reading the connected account failed", "error", err)
		}
	}
	b, _ := json.Marshal(info)
	var raw []byte
	err := h.DB.QueryRow(ctx, `select private.linkedin_complete_connect($1, $2, $3, $4, $5)`,
		hashToken(token), body.Status, body.AccountID, body.Name, b).Scan(&raw)
	if err != nil {
		var pg *pgconn.PgError
		if errors.As(err, &pg) {
			h.log().WarnContext(ctx, "outreach: connect callback refused", "reason", pg.Message)
		}
		return err
	}
	return c.JSON(http.StatusOK, json.RawMessage(raw))
}

// Webhook receives Unipile's messaging, users and account_status webhooks. The shared secret is
// checked in constant time; the event is stored once (deduplicated) and applied in the same call, so
// Unipile gets its 200 fast and a redelivery changes nothing.
func (h *Handlers) Webhook(c echo.Context) error {
	got := c.Request().Header.Get(WebhookSecretHeader)
	if h.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(h.WebhookSecret)) != 1 {
		return httpapi.Unauthorized("bad webhook secret")
	}
	body, err := httpapi.RawBody(c)
	if err != nil {
		return err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return httpapi.BadRequest("expected a JSON object")
	}
	source := c.QueryParam("source")
	if source == "" {
		source = guessSource(probe)
	}
	var raw []byte
	if err := h.DB.QueryRow(c.Request().Context(), `select private.unipile_ingest_event($1, $2)`, source, body).Scan(&raw); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, json.RawMessage(raw))
}

func guessSource(p map[string]json.RawMessage) string {
	if _, ok := p["AccountStatus"]; ok {
		return "account_status"
	}
	var ev string
	_ = json.Unmarshal(p["event"], &ev)
	switch {
	case strings.HasPrefix(ev, "message_"):
		return "messaging"
	case ev == "new_relation":
		return "users"
	}
	return "unknown"
}
