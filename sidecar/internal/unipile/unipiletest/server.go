// Package unipiletest is a fake Unipile API v1 server for tests. It keeps state (accounts, profiles,
// pending invitations, relations, chats), speaks the documented wire format (X-API-KEY, JSON bodies,
// multipart/form-data for chats with attendees_ids repeated, RFC 7807 error bodies, cursor pagination)
// and injects faults: an error status/type for the next requests matching a route, optionally after the
// side effect happened (a 5xx after the invitation left: the ambiguous case), or any fault chosen by a
// function of the request.
package unipiletest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Fault is an injected error answer.
type Fault struct {
	// Method and Path select requests: Path is matched as a prefix of the path after /api/v1
	// ("/users/invite"). Empty matches everything.
	Method, Path string
	// Status and Type make the RFC 7807 body.
	Status int
	Type   string
	// Times is how many matching requests fail (0: one).
	Times int
	// AfterEffect applies the request's effect (the invitation is sent) and then answers the error.
	AfterEffect bool
}

// Invite is an invitation the server accepted.
type Invite struct {
	AccountID, ProviderID, Message, InvitationID string
}

// Message is a chat message the server accepted.
type Message struct {
	AccountID, ChatID, Text string
	Attendees               []string
}

// Server is the fake. Create it with New (or NewHandler for custom listeners).
type Server struct {
	*httptest.Server
	APIKey string

	mu        sync.Mutex
	faults    []*Fault
	faultFunc func(r *http.Request) *Fault
	accounts  map[string]*account
	invites   []Invite
	messages  []Message
	links     []map[string]any
	webhooks  []map[string]any
	requests  int
	seq       int
	ever      map[string]bool // account|provider ids ever invited
	dups      int
}

type account struct {
	premium   []string
	ownID     string
	pending   map[string]string // provider id -> invitation id
	relations map[string]bool   // provider ids
	chats     map[string][]string
	missing   map[string]bool // public ids that do not exist
}

// New starts a fake server with the API key "test-key".
func New() *Server {
	s := &Server{APIKey: "test-key", accounts: map[string]*account{}, ever: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// DSN is the server's base URL (what UNIPILE_DSN would hold).
func (s *Server) DSN() string { return s.URL }

// ProviderID is the id the fake gives publicID as seen from accountID (viewer-scoped, like LinkedIn's).
func ProviderID(accountID, publicID string) string {
	h := sha256.Sum256([]byte(accountID + "|" + strings.ToLower(publicID)))
	return "ACo" + hex.EncodeToString(h[:6])
}

func (s *Server) acc(id string) *account {
	a := s.accounts[id]
	if a == nil {
		a = &account{ownID: "OWN-" + id, pending: map[string]string{}, relations: map[string]bool{},
			chats: map[string][]string{}, missing: map[string]bool{}}
		s.accounts[id] = a
	}
	return a
}

// AddAccount declares an account with its premium features ("premium", "sales_navigator", ...).
func (s *Server) AddAccount(id string, premium ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acc(id).premium = premium
}

// OwnProviderID is the account's own LinkedIn member id (account_info.user_id in webhooks).
func (s *Server) OwnProviderID(accountID string) string { return "OWN-" + accountID }

// Connect makes publicID a 1st-degree relation of the account.
func (s *Server) Connect(accountID, publicID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.acc(accountID)
	pid := ProviderID(accountID, publicID)
	delete(a.pending, pid)
	a.relations[pid] = true
}

// Accept accepts a pending invitation to providerID; false when there is none.
func (s *Server) Accept(accountID, providerID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.acc(accountID)
	if _, ok := a.pending[providerID]; !ok {
		return false
	}
	delete(a.pending, providerID)
	a.relations[providerID] = true
	return true
}

// Missing makes a public identifier unknown (GET /users answers 404).
func (s *Server) Missing(accountID, publicID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acc(accountID).missing[strings.ToLower(publicID)] = true
}

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// SetFaultFunc installs a function that may return a fault for any request (nil: none).
func (s *Server) SetFaultFunc(f func(r *http.Request) *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultFunc = f
}

// Invites returns the invitations accepted so far.
func (s *Server) Invites() []Invite {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Invite(nil), s.invites...)
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Links returns the hosted-auth link requests received (decoded JSON bodies).
func (s *Server) Links() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.links...)
}

// DuplicateInvites counts invitation requests for a person the account had already invited (whatever
// the answer): a correct client never makes one.
func (s *Server) DuplicateInvites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dups
}

// Requests is how many requests the server answered.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func problem(w http.ResponseWriter, status int, typ, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "type": typ,
		"title": http.StatusText(status), "detail": detail, "instance": "fake"})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fault returns the fault for r, if any (consuming one of its Times).
func (s *Server) fault(r *http.Request, path string) *Fault {
	if s.faultFunc != nil {
		if f := s.faultFunc(r); f != nil {
			return f
		}
	}
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(path, f.Path) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if r.Header.Get("X-API-KEY") != s.APIKey {
		problem(w, http.StatusUnauthorized, "errors/missing_credentials", "X-API-KEY is missing or wrong")
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/api/v1")
	if !ok {
		problem(w, http.StatusNotFound, "errors/resource_not_found", "not under /api/v1")
		return
	}
	f := s.fault(r, path)
	if f != nil && !f.AfterEffect {
		problem(w, f.Status, f.Type, "injected")
		return
	}
	rec := httptest.NewRecorder()
	s.route(rec, r, path)
	if f != nil {
		problem(w, f.Status, f.Type, "injected after effect")
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (s *Server) jsonBody(w http.ResponseWriter, r *http.Request, v any) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		problem(w, http.StatusBadRequest, "errors/malformed_request", "expected application/json")
		return false
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		problem(w, http.StatusBadRequest, "errors/malformed_request", err.Error())
		return false
	}
	return true
}

func (s *Server) form(w http.ResponseWriter, r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		problem(w, http.StatusBadRequest, "errors/malformed_request", "expected multipart/form-data")
		return false
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		problem(w, http.StatusBadRequest, "errors/malformed_request", err.Error())
		return false
	}
	return true
}

func (s *Server) nextID(prefix string) string {
	s.seq++
	return prefix + strconv.Itoa(s.seq)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, path string) {
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && path == "/hosted/accounts/link":
		var body map[string]any
		if !s.jsonBody(w, r, &body) {
			return
		}
		for _, k := range []string{"type", "providers", "api_url", "expiresOn", "name"} {
			if _, ok := body[k]; !ok {
				problem(w, http.StatusBadRequest, "errors/missing_parameters", k+" is required")
				return
			}
		}
		s.links = append(s.links, body)
		reply(w, http.StatusCreated, map[string]any{"object": "HostedAuthURL", "url": s.URL + "/hosted/" + s.nextID("link-")})
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/accounts/"):
		id := strings.TrimPrefix(path, "/accounts/")
		a := s.acc(id)
		reply(w, http.StatusOK, map[string]any{"object": "Account", "id": id, "type": "LINKEDIN", "name": "Fake " + id,
			"connection_params": map[string]any{"im": map[string]any{"id": a.ownID, "username": "fake",
				"premiumFeatures": a.premium}},
			"sources": []any{map[string]any{"id": id + "_MESSAGING", "status": "OK"}}})
	case r.Method == http.MethodGet && (path == "/users/invite/sent" || path == "/users/relations"):
		a := s.acc(q.Get("account_id"))
		var ids []string
		if path == "/users/relations" {
			for id := range a.relations {
				ids = append(ids, id)
			}
		} else {
			for id := range a.pending {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		start, _ := strconv.Atoi(q.Get("cursor"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit <= 0 || limit > 250 {
			limit = 100
		}
		items := []map[string]any{}
		end := min(start+limit, len(ids))
		for _, id := range ids[min(start, len(ids)):end] {
			if path == "/users/relations" {
				items = append(items, map[string]any{"object": "UserRelation", "member_id": id})
			} else {
				items = append(items, map[string]any{"object": "UserInvitation", "id": a.pending[id], "invited_user_id": id})
			}
		}
		var cursor any
		if end < len(ids) {
			cursor = strconv.Itoa(end)
		}
		reply(w, http.StatusOK, map[string]any{"object": "List", "items": items, "cursor": cursor})
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/users/"):
		ident := strings.ToLower(strings.TrimPrefix(path, "/users/"))
		accID := q.Get("account_id")
		if accID == "" {
			problem(w, http.StatusBadRequest, "errors/missing_parameters", "account_id is required")
			return
		}
		a := s.acc(accID)
		if a.missing[ident] {
			problem(w, http.StatusNotFound, "errors/resource_not_found", "no such profile")
			return
		}
		pid := ProviderID(accID, ident)
		dist := "SECOND_DEGREE"
		if a.relations[pid] {
			dist = "FIRST_DEGREE"
		}
		reply(w, http.StatusOK, map[string]any{"object": "UserProfile", "provider": "LINKEDIN", "provider_id": pid,
			"public_identifier": ident, "first_name": "Fake", "last_name": ident, "network_distance": dist,
			"is_relationship": a.relations[pid]})
	case r.Method == http.MethodPost && path == "/users/invite":
		var body struct {
			ProviderID string `json:"provider_id"`
			AccountID  string `json:"account_id"`
			Message    string `json:"message"`
		}
		if !s.jsonBody(w, r, &body) {
			return
		}
		if body.ProviderID == "" || body.AccountID == "" {
			problem(w, http.StatusBadRequest, "errors/missing_parameters", "provider_id and account_id are required")
			return
		}
		if utf8.RuneCountInString(body.Message) > 300 {
			problem(w, http.StatusBadRequest, "errors/too_many_characters", "the note is longer than 300 characters")
			return
		}
		a := s.acc(body.AccountID)
		if s.ever[body.AccountID+"|"+body.ProviderID] {
			s.dups++
		}
		if a.relations[body.ProviderID] {
			problem(w, http.StatusUnprocessableEntity, "errors/action_already_performed", "already connected")
			return
		}
		if _, ok := a.pending[body.ProviderID]; ok {
			problem(w, http.StatusUnprocessableEntity, "errors/already_invited_recently", "already invited")
			return
		}
		id := s.nextID("inv-")
		a.pending[body.ProviderID] = id
		s.ever[body.AccountID+"|"+body.ProviderID] = true
		s.invites = append(s.invites, Invite{AccountID: body.AccountID, ProviderID: body.ProviderID, Message: body.Message, InvitationID: id})
		reply(w, http.StatusOK, map[string]any{"object": "UserInvitationSent", "invitation_id": id})
	case r.Method == http.MethodPost && path == "/chats":
		if !s.form(w, r) {
			return
		}
		accID, text, att := r.FormValue("account_id"), r.FormValue("text"), r.MultipartForm.Value["attendees_ids"]
		if accID == "" || text == "" || len(att) == 0 {
			problem(w, http.StatusBadRequest, "errors/missing_parameters", "account_id, text and attendees_ids are required")
			return
		}
		a := s.acc(accID)
		for _, id := range att {
			if strings.Contains(id, ",") || !a.relations[id] {
				problem(w, http.StatusUnprocessableEntity, "errors/no_connection_with_recipient",
					"The recipient appears not to be first degree connection")
				return
			}
		}
		chat := s.nextID("chat-")
		a.chats[chat] = att
		msg := s.nextID("msg-")
		s.messages = append(s.messages, Message{AccountID: accID, ChatID: chat, Text: text, Attendees: att})
		reply(w, http.StatusCreated, map[string]any{"object": "ChatStarted", "chat_id": chat, "message_id": msg})
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/chats/") && strings.HasSuffix(path, "/messages"):
		if !s.form(w, r) {
			return
		}
		chat := strings.TrimSuffix(strings.TrimPrefix(path, "/chats/"), "/messages")
		for id, a := range s.accounts {
			if att, ok := a.chats[chat]; ok {
				msg := s.nextID("msg-")
				s.messages = append(s.messages, Message{AccountID: id, ChatID: chat, Text: r.FormValue("text"), Attendees: att})
				reply(w, http.StatusCreated, map[string]any{"object": "MessageSent", "message_id": msg})
				return
			}
		}
		problem(w, http.StatusNotFound, "errors/resource_not_found", "no such chat")
	case r.Method == http.MethodPost && path == "/webhooks":
		var body map[string]any
		if !s.jsonBody(w, r, &body) {
			return
		}
		s.webhooks = append(s.webhooks, body)
		reply(w, http.StatusCreated, map[string]any{"object": "WebhookCreated", "webhook_id": s.nextID("wh-")})
	default:
		problem(w, http.StatusNotFound, "errors/resource_not_found", fmt.Sprintf("%s %s", r.Method, path))
	}
}
