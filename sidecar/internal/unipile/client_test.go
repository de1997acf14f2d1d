package unipile_test

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/unipile"
	"github.com/zerobullshit/backend/sidecar/internal/unipile/unipiletest"
)

func newClient(t *testing.T, srv *unipiletest.Server) *unipile.Client {
	t.Helper()
	c, err := unipile.New(unipile.Config{DSN: srv.DSN(), APIKey: srv.APIKey, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInviteFlowAgainstFake(t *testing.T) {
	t.Parallel()
	srv := unipiletest.New()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := t.Context()

	p, err := c.GetProfile(ctx, "acc1", "john-doe")
	if err != nil {
		t.Fatal(err)
	}
	if p.ProviderID != unipiletest.ProviderID("acc1", "john-doe") || p.Connected() {
		t.Fatalf("profile = %+v", p)
	}
	note := strings.Repeat("ñ", 300) // 600 bytes, 300 characters: fits
	r, err := c.SendInvitation(ctx, unipile.InvitationRequest{ProviderID: p.ProviderID, AccountID: "acc1", Message: note})
	if err != nil || r.InvitationID == "" {
		t.Fatalf("invite: %+v, %v", r, err)
	}
	_, err = c.SendInvitation(ctx, unipile.InvitationRequest{ProviderID: p.ProviderID, AccountID: "acc1"})
	var ue *unipile.Error
	if !errors.As(err, &ue) || ue.Status != 422 || ue.Type != "errors/already_invited_recently" {
		t.Fatalf("second invite: %v", err)
	}
	if unipile.Classify(err) != unipile.ClassDone {
		t.Fatalf("already invited classified as %v", unipile.Classify(err))
	}
	if _, err := c.SendInvitation(ctx, unipile.InvitationRequest{ProviderID: "x", AccountID: "acc1", Message: strings.Repeat("a", 301)}); !unipile.IsType(err, "too_many_characters") {
		t.Fatalf("301-character note: %v", err)
	}

	page, err := c.ListSentInvitations(ctx, "acc1", "", 10)
	if err != nil || len(page.Items) != 1 || page.Items[0].ProviderID != p.ProviderID || page.Items[0].InvitationID != r.InvitationID {
		t.Fatalf("sent invitations: %+v, %v", page, err)
	}
	if _, err := c.StartChat(ctx, unipile.StartChatRequest{AccountID: "acc1", AttendeesIDs: []string{p.ProviderID}, Text: "hi"}); !unipile.IsType(err, "no_connection_with_recipient") {
		t.Fatalf("message before acceptance: %v", err)
	}
	srv.Accept("acc1", p.ProviderID)
	chat, err := c.StartChat(ctx, unipile.StartChatRequest{AccountID: "acc1", AttendeesIDs: []string{p.ProviderID}, Text: "Thanks for connecting"})
	if err != nil || chat.ChatID == "" {
		t.Fatalf("start chat: %+v, %v", chat, err)
	}
	if _, err := c.SendMessage(ctx, chat.ChatID, "follow-up"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 2 || got[1].Text != "follow-up" {
		t.Fatalf("messages = %+v", got)
	}
	rel, err := c.ListRelations(ctx, "acc1", "", 10)
	if err != nil || len(rel.Items) != 1 || rel.Items[0].ProviderID != p.ProviderID {
		t.Fatalf("relations: %+v, %v", rel, err)
	}
}

// The chat endpoints are multipart with attendees_ids repeated once per id; the others JSON with X-API-KEY.
func TestWireFormat(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var form *multipart.Form
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt == "multipart/form-data" {
			form, _ = multipart.NewReader(r.Body, params["boundary"]).ReadForm(1 << 20)
		} else {
			b, _ := io.ReadAll(r.Body)
			body = string(b)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"ChatStarted","chat_id":"c1","message_id":"m1","url":"https://x"}`)
	}))
	defer srv.Close()
	c, err := unipile.New(unipile.Config{DSN: srv.URL + "/api/v1/", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.StartChat(t.Context(), unipile.StartChatRequest{AccountID: "a", AttendeesIDs: []string{"p1", "p2"}, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if got.URL.Path != "/api/v1/chats" || got.Header.Get("X-API-KEY") != "k" || got.Header.Get("Accept") != "application/json" {
		t.Fatalf("request %s %v", got.URL.Path, got.Header)
	}
	if ids := form.Value["attendees_ids"]; len(ids) != 2 || ids[0] != "p1" || ids[1] != "p2" || form.Value["text"][0] != "hello" {
		t.Fatalf("form = %v", form.Value)
	}
	if _, err := c.CreateHostedAuthLink(t.Context(), unipile.HostedAuthLinkRequest{Type: "create", Providers: []string{"LINKEDIN"},
		APIURL: c.DSN(), ExpiresOn: unipile.FormatTime(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)), Name: "u1"}); err != nil {
		t.Fatal(err)
	}
	if got.Header.Get("Content-Type") != "application/json" || !strings.Contains(body, `"expiresOn":"2026-11-25T12:00:00.000Z"`) ||
		!strings.Contains(body, `"providers":["LINKEDIN"]`) {
		t.Fatalf("hosted auth body %s (%s)", body, got.Header.Get("Content-Type"))
	}
}

func TestErrorsAndClassification(t *testing.T) {
	t.Parallel()
	srv := unipiletest.New()
	defer srv.Close()
	c := newClient(t, srv)
	cases := []struct {
		status int
		typ    string
		want   unipile.Class
	}{
		{429, "errors/too_many_requests", unipile.ClassLimit},
		{422, "errors/limit_exceeded", unipile.ClassLimit},
		{422, "errors/cannot_resend_yet", unipile.ClassLimit},
		{401, "errors/disconnected_account", unipile.ClassDisconnected},
		{500, "errors/provider_error", unipile.ClassTransient},
		{503, "errors/service_unavailable", unipile.ClassTransient},
		{422, "errors/invalid_recipient", unipile.ClassPermanent},
		{422, "errors/already_invited_recently", unipile.ClassDone},
	}
	for _, tc := range cases {
		srv.Inject(unipiletest.Fault{Path: "/users/", Status: tc.status, Type: tc.typ})
		_, err := c.GetProfile(t.Context(), "a", "x")
		var ue *unipile.Error
		if !errors.As(err, &ue) || ue.Status != tc.status || ue.Type != tc.typ || ue.Instance == "" {
			t.Fatalf("%s: err = %v", tc.typ, err)
		}
		if got := unipile.Classify(err); got != tc.want {
			t.Errorf("%s: class %v, want %v", tc.typ, got, tc.want)
		}
	}
	bad, _ := unipile.New(unipile.Config{DSN: srv.DSN(), APIKey: "wrong"})
	if _, err := bad.GetProfile(t.Context(), "a", "x"); unipile.Classify(err) != unipile.ClassDisconnected {
		t.Fatalf("wrong key: %v", err)
	}
	dead, _ := unipile.New(unipile.Config{DSN: "http://127.0.0.1:1", APIKey: "k"})
	_, err := dead.GetProfile(t.Context(), "a", "x")
	var ne *unipile.NetworkError
	if !errors.As(err, &ne) || unipile.Classify(err) != unipile.ClassTransient {
		t.Fatalf("network error: %v", err)
	}
	if _, err := unipile.New(unipile.Config{DSN: "ftp://x", APIKey: "k"}); err == nil {
		t.Fatal("ftp DSN accepted")
	}
}

func TestAccountTier(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    []string
		want string
	}{{nil, "free"}, {[]string{"premium"}, "premium"}, {[]string{"premium", "sales_navigator"}, "sales_navigator"}, {[]string{"recruiter"}, "recruiter"}} {
		var a unipile.Account
		a.ConnectionParams.IM.PremiumFeatures = tc.f
		if a.Tier() != tc.want {
			t.Errorf("%v: %s, want %s", tc.f, a.Tier(), tc.want)
		}
	}
}
