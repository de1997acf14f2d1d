// Package unipile is a small client for Unipile's API v1 (LinkedIn through Unipile): hosted-auth links,
// profiles, invitations, relations, chats and webhooks. It speaks the documented wire format: JSON bodies
// for most endpoints, multipart/form-data for the chat endpoints (attendees_ids repeated once per id),
// the X-API-KEY header on every request, and RFC 7807 problem bodies for errors, returned as *Error.
//
// The client does not retry: the outreach sender decides what to do with each error class (see Classify),
// because retrying an invitation blindly could invite someone twice.
package unipile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one request when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config configures a Client.
type Config struct {
	// DSN is the customer's API host, e.g. https://api8.unipile.com:13443 (without /api/v1).
	DSN string
	// APIKey is sent as X-API-KEY.
	APIKey string
	// HTTPClient is used when set (tests); otherwise a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds one request (DefaultTimeout when zero).
	Timeout time.Duration
}

// Client calls Unipile's API v1. It is safe for concurrent use.
type Client struct {
	base   string
	key    string
	client *http.Client
}

// New returns a client for cfg. The DSN must be an http(s) URL.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.DSN, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("unipile: DSN %q is not an http(s) URL", cfg.DSN)
	}
	if cfg.APIKey == "" {
		return nil, errors.New("unipile: API key is required")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		t := cfg.Timeout
		if t <= 0 {
			t = DefaultTimeout
		}
		hc = &http.Client{Timeout: t}
	}
	return &Client{base: strings.TrimSuffix(u.String(), "/api/v1") + "/api/v1", key: cfg.APIKey, client: hc}, nil
}

// BaseURL is the API root the client calls (DSN + /api/v1); hosted-auth links need the DSN as api_url.
func (c *Client) BaseURL() string { return c.base }

// DSN is the API host without /api/v1.
func (c *Client) DSN() string { return strings.TrimSuffix(c.base, "/api/v1") }

// HostedAuthLinkRequest asks for a hosted-auth wizard link (POST /hosted/accounts/link).
type HostedAuthLinkRequest struct {
	// Type is "create" or "reconnect".
	Type string `json:"type"`
	// Providers is ["LINKEDIN"].
	Providers []string `json:"providers"`
	// APIURL is the DSN.
	APIURL string `json:"api_url"`
	// ExpiresOn must look like 2026-11-25T12:00:00.000Z (use FormatTime).
	ExpiresOn string `json:"expiresOn"`
	// Name comes back in the notify callback: our user id.
	Name               string `json:"name"`
	NotifyURL          string `json:"notify_url,omitempty"`
	SuccessRedirectURL string `json:"success_redirect_url,omitempty"`
	FailureRedirectURL string `json:"failure_redirect_url,omitempty"`
	// ReconnectAccount is the Unipile account id (reconnect only).
	ReconnectAccount string `json:"reconnect_account,omitempty"`
}

// FormatTime formats t as Unipile's expiresOn wants it (UTC, milliseconds, Z).
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// CreateHostedAuthLink returns the URL of a hosted-auth wizard.
func (c *Client) CreateHostedAuthLink(ctx context.Context, req HostedAuthLinkRequest) (string, error) {
	var out struct {
		Object string `json:"object"`
		URL    string `json:"url"`
	}
	if err := c.doJSON(ctx, http.MethodPost, "/hosted/accounts/link", nil, req, &out); err != nil {
		return "", err
	}
	if out.URL == "" {
		return "", errors.New("unipile: hosted auth link: response has no url")
	}
	return out.URL, nil
}

// Account is a connected account (GET /accounts/{id}).
type Account struct {
	Object           string `json:"object"`
	ID               string `json:"id"`
	Type             string `json:"type"`
	Name             string `json:"name"`
	ConnectionParams struct {
		IM struct {
			ID                string   `json:"id"`
			Username          string   `json:"username"`
			PremiumContractID string   `json:"premiumContractId"`
			PremiumFeatures   []string `json:"premiumFeatures"`
		} `json:"im"`
	} `json:"connection_params"`
	Sources []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"sources"`
}

// Tier is the LinkedIn subscription of the account as the limits know it: free, premium,
// sales_navigator or recruiter.
func (a Account) Tier() string {
	tier := "free"
	for _, f := range a.ConnectionParams.IM.PremiumFeatures {
		switch f {
		case "recruiter":
			return "recruiter"
		case "sales_navigator":
			tier = "sales_navigator"
		case "premium":
			if tier == "free" {
				tier = "premium"
			}
		}
	}
	return tier
}

// GetAccount reads one account.
func (c *Client) GetAccount(ctx context.Context, id string) (Account, error) {
	var out Account
	err := c.doJSON(ctx, http.MethodGet, "/accounts/"+url.PathEscape(id), nil, nil, &out)
	return out, err
}

// UserProfile is a LinkedIn profile as seen from one account (GET /users/{identifier}).
type UserProfile struct {
	Object           string `json:"object"`
	Provider         string `json:"provider"`
	ProviderID       string `json:"provider_id"`
	PublicIdentifier string `json:"public_identifier"`
	FirstName        string `json:"first_name"`
	LastName         string `json:"last_name"`
	Headline         string `json:"headline"`
	Location         string `json:"location"`
	NetworkDistance  string `json:"network_distance"`
	IsRelationship   bool   `json:"is_relationship"`
}

// Connected reports whether the person is already a 1st-degree connection of the account.
func (p UserProfile) Connected() bool {
	return p.IsRelationship || p.NetworkDistance == "FIRST_DEGREE"
}

// GetProfile resolves a public identifier (or provider id) to a profile, as seen from accountID. It
// counts as a profile view on LinkedIn.
func (c *Client) GetProfile(ctx context.Context, accountID, identifier string) (UserProfile, error) {
	var out UserProfile
	q := url.Values{"account_id": {accountID}}
	err := c.doJSON(ctx, http.MethodGet, "/users/"+url.PathEscape(identifier), q, nil, &out)
	return out, err
}

// InvitationRequest is POST /users/invite.
type InvitationRequest struct {
	ProviderID string `json:"provider_id"`
	AccountID  string `json:"account_id"`
	// Message is the note (at most 300 characters; 200 on free accounts). Empty: no note.
	Message string `json:"message,omitempty"`
}

// InvitationSent is the answer to an invitation.
type InvitationSent struct {
	Object       string `json:"object"`
	InvitationID string `json:"invitation_id"`
	// Usage is the percentage of the provider's limit used (sent only past 50/75/90/95).
	Usage *float64 `json:"usage,omitempty"`
}

// MaxNoteRunes is the longest invitation note LinkedIn accepts (premium accounts).
const MaxNoteRunes = 300

// SendInvitation sends a connection request. Notes longer than MaxNoteRunes characters are refused
// locally (Unipile would answer 400 too_many_characters).
func (c *Client) SendInvitation(ctx context.Context, req InvitationRequest) (InvitationSent, error) {
	var out InvitationSent
	if n := len([]rune(req.Message)); n > MaxNoteRunes {
		return out, &Error{Status: http.StatusBadRequest, Type: "errors/too_many_characters",
			Title: "note too long", Detail: fmt.Sprintf("the note has %d characters, at most %d", n, MaxNoteRunes)}
	}
	err := c.doJSON(ctx, http.MethodPost, "/users/invite", nil, req, &out)
	return out, err
}

// Person is one entry of the sent-invitations or relations lists, reduced to what identifies someone.
type Person struct {
	ProviderID       string `json:"provider_id"`
	PublicIdentifier string `json:"public_identifier"`
	InvitationID     string `json:"invitation_id,omitempty"`
}

// Page is a page of a cursor-paginated list.
type Page struct {
	Items  []Person
	Cursor string
}

// rawItem decodes the field names Unipile uses in the invitation and relation lists.
type rawItem struct {
	ID                   string `json:"id"`
	InvitationID         string `json:"invitation_id"`
	InvitedUserID        string `json:"invited_user_id"`
	InvitedUserPublicID  string `json:"invited_user_public_id"`
	MemberID             string `json:"member_id"`
	ProviderID           string `json:"provider_id"`
	UserProviderID       string `json:"user_provider_id"`
	PublicIdentifier     string `json:"public_identifier"`
	UserPublicIdentifier string `json:"user_public_identifier"`
}

func (r rawItem) person() Person {
	p := Person{
		ProviderID:       first(r.InvitedUserID, r.MemberID, r.ProviderID, r.UserProviderID),
		PublicIdentifier: strings.ToLower(first(r.InvitedUserPublicID, r.PublicIdentifier, r.UserPublicIdentifier)),
		InvitationID:     first(r.InvitationID),
	}
	if p.InvitationID == "" && (r.InvitedUserID != "" || r.InvitedUserPublicID != "") {
		p.InvitationID = r.ID
	}
	return p
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func (c *Client) listPeople(ctx context.Context, path, accountID, cursor string, limit int) (Page, error) {
	q := url.Values{"account_id": {accountID}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var out struct {
		Items  []rawItem `json:"items"`
		Cursor *string   `json:"cursor"`
	}
	if err := c.doJSON(ctx, http.MethodGet, path, q, nil, &out); err != nil {
		return Page{}, err
	}
	p := Page{Items: make([]Person, 0, len(out.Items))}
	for _, it := range out.Items {
		p.Items = append(p.Items, it.person())
	}
	if out.Cursor != nil {
		p.Cursor = *out.Cursor
	}
	return p, nil
}

// ListSentInvitations lists pending invitations sent by the account (limit 1-250).
func (c *Client) ListSentInvitations(ctx context.Context, accountID, cursor string, limit int) (Page, error) {
	return c.listPeople(ctx, "/users/invite/sent", accountID, cursor, limit)
}

// ListRelations lists the account's 1st-degree connections, newest first.
func (c *Client) ListRelations(ctx context.Context, accountID, cursor string, limit int) (Page, error) {
	return c.listPeople(ctx, "/users/relations", accountID, cursor, limit)
}

// StartChatRequest is POST /chats (multipart): a first message to attendees.
type StartChatRequest struct {
	AccountID    string
	AttendeesIDs []string
	Text         string
}

// ChatStarted is the answer to StartChat.
type ChatStarted struct {
	Object    string `json:"object"`
	ChatID    string `json:"chat_id"`
	MessageID string `json:"message_id"`
}

// StartChat sends a first message to 1st-degree connections (422 no_connection_with_recipient otherwise).
func (c *Client) StartChat(ctx context.Context, req StartChatRequest) (ChatStarted, error) {
	var out ChatStarted
	fields := [][2]string{{"account_id", req.AccountID}, {"text", req.Text}}
	for _, id := range req.AttendeesIDs {
		fields = append(fields, [2]string{"attendees_ids", id}) // repeated, once per id
	}
	err := c.doMultipart(ctx, "/chats", fields, &out)
	return out, err
}

// MessageSent is the answer to SendMessage.
type MessageSent struct {
	Object    string `json:"object"`
	MessageID string `json:"message_id"`
}

// SendMessage sends text into an existing chat (multipart).
func (c *Client) SendMessage(ctx context.Context, chatID, text string) (MessageSent, error) {
	var out MessageSent
	err := c.doMultipart(ctx, "/chats/"+url.PathEscape(chatID)+"/messages", [][2]string{{"text", text}}, &out)
	return out, err
}

// WebhookRequest is POST /webhooks.
type WebhookRequest struct {
	RequestURL string          `json:"request_url"`
	Source     string          `json:"source"`
	Name       string          `json:"name,omitempty"`
	Format     string          `json:"format,omitempty"`
	Events     []string        `json:"events,omitempty"`
	Headers    []WebhookHeader `json:"headers,omitempty"`
}

// WebhookHeader is a header Unipile adds to every delivery (our shared secret, Content-Type).
type WebhookHeader struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// CreateWebhook registers a webhook and returns its id.
func (c *Client) CreateWebhook(ctx context.Context, req WebhookRequest) (string, error) {
	var out struct {
		WebhookID string `json:"webhook_id"`
	}
	err := c.doJSON(ctx, http.MethodPost, "/webhooks", nil, req, &out)
	return out.WebhookID, err
}

func (c *Client) doJSON(ctx context.Context, method, path string, q url.Values, body, out any) error {
	var r io.Reader
	ctype := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("unipile: %s %s: encoding the body: %w", method, path, err)
		}
		r = bytes.NewReader(b)
		ctype = "application/json"
	}
	return c.do(ctx, method, path, q, r, ctype, out)
}

func (c *Client) doMultipart(ctx context.Context, path string, fields [][2]string, out any) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return fmt.Errorf("unipile: POST %s: multipart: %w", path, err)
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("unipile: POST %s: multipart: %w", path, err)
	}
	return c.do(ctx, http.MethodPost, path, nil, &buf, w.FormDataContentType(), out)
}

func (c *Client) do(ctx context.Context, method, path string, q url.Values, body io.Reader, ctype string, out any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return fmt.Errorf("unipile: %s %s: %w", method, path, err)
	}
	req.Header.Set("X-API-KEY", c.key)
	req.Header.Set("Accept", "application/json")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return &NetworkError{Op: method + " " + path, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return &NetworkError{Op: method + " " + path, Err: err}
	}
	if resp.StatusCode >= 300 {
		return parseError(resp.StatusCode, data)
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("unipile: %s %s: decoding the response: %w", method, path, err)
	}
	return nil
}
