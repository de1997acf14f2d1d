package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	secret = "super-secret-jwt-token-with-at-least-32-characters-long"
	uid    = "6f1c1a9e-2b7d-4c11-9a53-0d3f5e7b8a21"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// userClaims are the claims GoTrue puts in a user's access token (spec/supabase-local.md §2.4).
func userClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub":          uid,
		"aud":          "authenticated",
		"exp":          t0.Add(time.Hour).Unix(),
		"iat":          t0.Unix(),
		"email":        "alice@example.com",
		"phone":        "",
		"role":         "authenticated",
		"aal":          "aal1",
		"session_id":   "0b1e6a43-7a0b-4b8e-9d55-54a0c6f1e7aa",
		"is_anonymous": false,
		"app_metadata": map[string]any{"provider": "email", "providers": []any{"email"}, "role": "admin"},
		"user_metadata": map[string]any{
			"role": "superuser", // users can edit this: it must never matter
		},
	}
}

func modify(c jwt.MapClaims, kv ...any) jwt.MapClaims {
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(c, k)
			continue
		}
		c[k] = kv[i+1]
	}
	return c
}

func signHS(t *testing.T, key string, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func signWith(t *testing.T, m jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unsigned builds header.payload. with an empty signature (alg none).
func unsigned(t *testing.T, header map[string]any, c jwt.MapClaims) string {
	t.Helper()
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p) + "."
}

// keys are the test's asymmetric keys, generated once.
var keys = sync.OnceValue(func() (k struct {
	ec, ec2 *ecdsa.PrivateKey
	rsa     *rsa.PrivateKey
}) {
	var err error
	if k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
	if k.ec2, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	return k
})

func ecJWK(kid string, pub *ecdsa.PublicKey) map[string]any {
	b, err := pub.Bytes()
	if err != nil {
		panic(err)
	}
	return map[string]any{
		"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "use": "sig", "key_ops": []string{"verify"},
		"x": base64.RawURLEncoding.EncodeToString(b[1:33]), "y": base64.RawURLEncoding.EncodeToString(b[33:]),
	}
}

func rsaJWK(kid string, pub *rsa.PublicKey) map[string]any {
	return map[string]any{
		"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}

// jwksServer serves a JWKS that the test can change, and counts fetches.
type jwksServer struct {
	*httptest.Server
	fetches atomic.Int32
	mu      sync.Mutex
	keys    []map[string]any
	status  int
}

func newJWKSServer(t *testing.T, keys ...map[string]any) *jwksServer {
	s := &jwksServer{keys: keys, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		if r.URL.Path != "/auth/v1/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.status != http.StatusOK {
			w.WriteHeader(s.status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": s.keys})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) URL() string { return s.Server.URL + "/auth/v1/.well-known/jwks.json" }

func (s *jwksServer) set(status int, keys ...map[string]any) {
	s.mu.Lock()
	s.status = status
	if keys != nil {
		s.keys = keys
	}
	s.mu.Unlock()
}

func newVerifier(t *testing.T, opts Options) (*Verifier, *clock) {
	t.Helper()
	clk := &clock{now: t0.Add(time.Minute)}
	opts.Now = clk.Now
	v, err := NewVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v, clk
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("token accepted, want refusal %q", reason)
	}
	if got := ReasonOf(err); got != reason {
		t.Fatalf("reason = %q (%v), want %q", got, err, reason)
	}
}

func TestVerifyHS256Valid(t *testing.T) {
	v, _ := newVerifier(t, Options{Secret: secret})
	c, err := v.Verify(context.Background(), signHS(t, secret, modify(userClaims(), "sub", strings.ToUpper(uid))))
	if err != nil {
		t.Fatal(err)
	}
	if c.UserID != uid || c.Email != "alice@example.com" || c.Role != "authenticated" ||
		c.SessionID != "0b1e6a43-7a0b-4b8e-9d55-54a0c6f1e7aa" || c.IsAnonymous || !c.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("claims = %+v", c)
	}
	if c.AppMetadata["role"] != "admin" || c.AppMetadata["provider"] != "email" {
		t.Errorf("app_metadata = %v", c.AppMetadata)
	}
}

func TestVerifyAnonymousUserAndDefaults(t *testing.T) {
	v, _ := newVerifier(t, Options{Secret: secret})
	c, err := v.Verify(context.Background(), signHS(t, secret, modify(userClaims(),
		"is_anonymous", true, "email", "", "app_metadata", nil, "aud", []string{"other", "authenticated"})))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsAnonymous || c.Email != "" || c.AppMetadata == nil || len(c.AppMetadata) != 0 {
		t.Errorf("claims = %+v", c)
	}
}

func TestVerifyRefusals(t *testing.T) {
	v, _ := newVerifier(t, Options{Secret: secret})
	now := t0.Add(time.Minute)
	tests := []struct {
		name   string
		token  string
		reason string
	}{
		{"expired", signHS(t, secret, modify(userClaims(), "iat", now.Add(-2*time.Hour).Unix(), "exp", now.Add(-time.Minute).Unix())), ReasonExpired},
		{"no exp", signHS(t, secret, modify(userClaims(), "exp", nil)), ReasonMalformed},
		{"no iat", signHS(t, secret, modify(userClaims(), "iat", nil)), ReasonMalformed},
		{"iat in the future", signHS(t, secret, modify(userClaims(), "iat", now.Add(5*time.Minute).Unix(), "exp", now.Add(time.Hour).Unix())), ReasonNotYetValid},
		{"nbf in the future", signHS(t, secret, modify(userClaims(), "nbf", now.Add(5*time.Minute).Unix())), ReasonNotYetValid},
		{"exp before iat", signHS(t, secret, modify(userClaims(), "iat", now.Add(20*time.Second).Unix(), "exp", now.Add(10*time.Second).Unix())), ReasonMalformed},
		{"lifetime over a week", signHS(t, secret, modify(userClaims(), "exp", t0.Add(8*24*time.Hour).Unix())), ReasonMalformed},
		{"wrong aud", signHS(t, secret, modify(userClaims(), "aud", "anon")), ReasonWrongAudience},
		{"no aud", signHS(t, secret, modify(userClaims(), "aud", nil)), ReasonWrongAudience},
		{"anon key", signHS(t, secret, modify(userClaims(), "role", "anon")), ReasonWrongRole},
		{"service_role key", signHS(t, secret, modify(userClaims(), "role", "service_role")), ReasonWrongRole},
		{"no role", signHS(t, secret, modify(userClaims(), "role", nil)), ReasonWrongRole},
		{"no sub", signHS(t, secret, modify(userClaims(), "sub", nil)), ReasonBadSubject},
		{"sub not a uuid", signHS(t, secret, modify(userClaims(), "sub", "alice")), ReasonBadSubject},
		{"sub uuid without dashes", signHS(t, secret, modify(userClaims(), "sub", strings.ReplaceAll(uid, "-", ""))), ReasonBadSubject},
		{"other secret", signHS(t, secret+"x", userClaims()), ReasonBadSignature},
		{"alg none", unsigned(t, map[string]any{"alg": "none", "typ": "JWT"}, userClaims()), ReasonBadAlgorithm},
		{"alg None", unsigned(t, map[string]any{"alg": "None", "typ": "JWT"}, userClaims()), ReasonBadAlgorithm},
		{"HS512", signWith(t, jwt.SigningMethodHS512, "", []byte(secret), userClaims()), ReasonBadAlgorithm},
		{"ES256 without JWKS", signWith(t, jwt.SigningMethodES256, "k1", keys().ec, userClaims()), ReasonBadAlgorithm},
		{"garbage", "not.a.jwt", ReasonMalformed},
		{"empty", "", ReasonMalformed},
		{"oversized", strings.Repeat("a", MaxTokenBytes+1), ReasonMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tt.token)
			if c != nil {
				t.Errorf("claims returned with a refusal: %+v", c)
			}
			wantReason(t, err, tt.reason)
		})
	}
}

func TestVerifyTamperedPayload(t *testing.T) {
	v, _ := newVerifier(t, Options{Secret: secret})
	tok := signHS(t, secret, userClaims())
	parts := strings.Split(tok, ".")
	evil := modify(userClaims(), "sub", "00000000-0000-0000-0000-000000000001")
	p, _ := json.Marshal(evil)
	parts[1] = base64.RawURLEncoding.EncodeToString(p)
	_, err := v.Verify(context.Background(), strings.Join(parts, "."))
	wantReason(t, err, ReasonBadSignature)
}

func TestVerifyLeeway(t *testing.T) {
	v, clk := newVerifier(t, Options{Secret: secret, Leeway: 30 * time.Second})
	tok := signHS(t, secret, userClaims()) // exp t0+1h
	clk.Advance(time.Hour - time.Minute + 20*time.Second)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("20s past exp, within leeway: %v", err)
	}
	clk.Advance(20 * time.Second)
	_, err := v.Verify(context.Background(), tok)
	wantReason(t, err, ReasonExpired)
}

func TestVerifyIssuer(t *testing.T) {
	const iss = "https://abc.supabase.co/auth/v1"
	v, _ := newVerifier(t, Options{Secret: secret, Issuer: iss})
	if _, err := v.Verify(context.Background(), signHS(t, secret, modify(userClaims(), "iss", iss))); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(context.Background(), signHS(t, secret, modify(userClaims(), "iss", "https://evil.supabase.co/auth/v1")))
	wantReason(t, err, ReasonWrongIssuer)
	_, err = v.Verify(context.Background(), signHS(t, secret, userClaims()))
	wantReason(t, err, ReasonWrongIssuer)

	// Without a configured issuer any iss passes.
	v2, _ := newVerifier(t, Options{Secret: secret})
	if _, err := v2.Verify(context.Background(), signHS(t, secret, modify(userClaims(), "iss", "whatever"))); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyJWKS(t *testing.T) {
	k := keys()
	srv := newJWKSServer(t, ecJWK("ec-1", &k.ec.PublicKey), rsaJWK("rsa-1", &k.rsa.PublicKey))
	v, _ := newVerifier(t, Options{JWKSURL: srv.URL()})
	ctx := context.Background()

	c, err := v.Verify(ctx, signWith(t, jwt.SigningMethodES256, "ec-1", k.ec, userClaims()))
	if err != nil || c.UserID != uid {
		t.Fatalf("ES256: %+v, %v", c, err)
	}
	c, err = v.Verify(ctx, signWith(t, jwt.SigningMethodRS256, "rsa-1", k.rsa, userClaims()))
	if err != nil || c.UserID != uid {
		t.Fatalf("RS256: %+v, %v", c, err)
	}
	if n := srv.fetches.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1 (cached)", n)
	}

	tests := []struct {
		name   string
		token  string
		reason string
	}{
		{"ES256 signed by another key", signWith(t, jwt.SigningMethodES256, "ec-1", k.ec2, userClaims()), ReasonBadSignature},
		{"ES256 without kid", signWith(t, jwt.SigningMethodES256, "", k.ec, userClaims()), ReasonMalformed},
		{"RS256 naming the EC key", signWith(t, jwt.SigningMethodRS256, "ec-1", k.rsa, userClaims()), ReasonBadAlgorithm},
		{"ES256 naming the RSA key", signWith(t, jwt.SigningMethodES256, "rsa-1", k.ec, userClaims()), ReasonBadAlgorithm},
		{"HS256 without a secret", signHS(t, secret, userClaims()), ReasonBadAlgorithm},
		{"ES256 expired", signWith(t, jwt.SigningMethodES256, "ec-1", k.ec, modify(userClaims(), "exp", t0.Add(-time.Hour).Unix(), "iat", t0.Add(-2*time.Hour).Unix())), ReasonExpired},
		{"ES256 service_role", signWith(t, jwt.SigningMethodES256, "ec-1", k.ec, modify(userClaims(), "role", "service_role")), ReasonWrongRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(ctx, tt.token)
			wantReason(t, err, tt.reason)
		})
	}
}

// An attacker who knows the public key signs an HS256 token with it as the HMAC secret. With both
// the secret and the JWKS configured, HS256 is checked only with the secret.
func TestVerifyAlgorithmConfusion(t *testing.T) {
	k := keys()
	srv := newJWKSServer(t, ecJWK("ec-1", &k.ec.PublicKey), rsaJWK("rsa-1", &k.rsa.PublicKey))
	der, err := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	ecBytes, _ := k.ec.PublicKey.Bytes()
	jwkJSON, _ := json.Marshal(rsaJWK("rsa-1", &k.rsa.PublicKey))

	for _, opts := range []Options{{Secret: secret, JWKSURL: srv.URL()}, {JWKSURL: srv.URL()}} {
		v, _ := newVerifier(t, opts)
		want := ReasonBadSignature
		if opts.Secret == "" {
			want = ReasonBadAlgorithm
		}
		for name, macKey := range map[string][]byte{"rsa pem": rsaPEM, "rsa der": der, "ec point": ecBytes, "jwk json": jwkJSON} {
			tok := signWith(t, jwt.SigningMethodHS256, "rsa-1", macKey, userClaims())
			_, err := v.Verify(context.Background(), tok)
			if ReasonOf(err) != want {
				t.Errorf("secret=%v, HS256 keyed with %s: reason %q (%v), want %q", opts.Secret != "", name, ReasonOf(err), err, want)
			}
		}
	}
}

func TestJWKSUnknownKidRefetchIsRateLimited(t *testing.T) {
	k := keys()
	srv := newJWKSServer(t, ecJWK("ec-1", &k.ec.PublicKey))
	v, clk := newVerifier(t, Options{JWKSURL: srv.URL(), JWKSMinRefresh: 30 * time.Second, JWKSTTL: time.Hour})
	ctx := context.Background()
	if _, err := v.Verify(ctx, signWith(t, jwt.SigningMethodES256, "ec-1", k.ec, userClaims())); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)

	// Unknown kid: one refetch, then refused.
	_, err := v.Verify(ctx, signWith(t, jwt.SigningMethodES256, "nope", k.ec, userClaims()))
	wantReason(t, err, ReasonUnknownKey)
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2 (initial + refetch for the unknown kid)", n)
	}
	// More unknown kids right away: no more fetches.
	for i := range 5 {
		_, err := v.Verify(ctx, signWith(t, jwt.SigningMethodES256, "nope-"+string(rune('a'+i)), k.ec, userClaims()))
		wantReason(t, err, ReasonUnknownKey)
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d after a burst of unknown kids, want still 2", n)
	}

	// Key rotation: a new key appears; after the interval a token signed with it is accepted.
	srv.set(http.StatusOK, ecJWK("ec-1", &k.ec.PublicKey), ecJWK("ec-2", &k.ec2.PublicKey))
	tok2 := signWith(t, jwt.SigningMethodES256, "ec-2", k.ec2, userClaims())
	_, err = v.Verify(ctx, tok2)
	wantReason(t, err, ReasonUnknownKey) // still within the interval
	clk.Advance(31 * time.Second)
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("rotated key after the interval: %v", err)
	}
	if n := srv.fetches.Load(); n != 3 {
		t.Errorf("fetches = %d, want 3", n)
	}
}

func TestJWKSUnavailableThenStale(t *testing.T) {
	k := keys()
	srv := newJWKSServer(t, ecJWK("ec-1", &k.ec.PublicKey))
	srv.set(http.StatusInternalServerError)
	v, clk := newVerifier(t, Options{JWKSURL: srv.URL(), JWKSMinRefresh: 10 * time.Second, JWKSTTL: time.Minute})
	ctx := context.Background()
	tok := signWith(t, jwt.SigningMethodES256, "ec-1", k.ec, userClaims())

	if err := v.Prefetch(ctx); err == nil || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("Prefetch = %v, want the 500", err)
	}
	_, err := v.Verify(ctx, tok)
	wantReason(t, err, ReasonKeysUnavailable)

	srv.set(http.StatusOK)
	clk.Advance(11 * time.Second)
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("after recovery: %v", err)
	}

	// The cache goes stale and the server fails: the known key keeps working.
	srv.set(http.StatusInternalServerError)
	clk.Advance(2 * time.Minute)
	before := srv.fetches.Load()
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("stale key with the JWKS down: %v", err)
	}
	if srv.fetches.Load() != before+1 {
		t.Errorf("a stale cache did not trigger a refresh attempt")
	}
}

func TestParseJWKSSkipsUnusableKeys(t *testing.T) {
	k := keys()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384JWK := ecJWK("p384", &k.ec.PublicKey)
	p384Bytes, _ := p384.PublicKey.Bytes()
	p384JWK["crv"] = "P-384"
	p384JWK["x"] = base64.RawURLEncoding.EncodeToString(p384Bytes[1:49])
	p384JWK["y"] = base64.RawURLEncoding.EncodeToString(p384Bytes[49:])
	offCurve := ecJWK("off-curve", &k.ec.PublicKey)
	offCurve["y"] = offCurve["x"]
	withUse := func(m map[string]any, k string, v any) map[string]any { m[k] = v; return m }

	doc := map[string]any{"keys": []map[string]any{
		ecJWK("good-ec", &k.ec.PublicKey),
		rsaJWK("good-rsa", &k.rsa.PublicKey),
		{"kty": "oct", "kid": "sym", "k": base64.RawURLEncoding.EncodeToString([]byte(secret))},
		withUse(ecJWK("enc", &k.ec.PublicKey), "use", "enc"),
		withUse(ecJWK("sign-only", &k.ec.PublicKey), "key_ops", []string{"sign"}),
		withUse(ecJWK("", &k.ec.PublicKey), "kid", ""),
		withUse(rsaJWK("ps256", &k.rsa.PublicKey), "alg", "PS256"),
		withUse(ecJWK("es384", &k.ec.PublicKey), "alg", "ES384"),
		rsaJWK("weak", &small.PublicKey),
		p384JWK,
		offCurve,
		withUse(ecJWK("bad-b64", &k.ec.PublicKey), "x", "!!!"),
	}}
	body, _ := json.Marshal(doc)
	got, skipped, err := parseJWKS(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["good-ec"].alg != "ES256" || got["good-rsa"].alg != "RS256" || skipped != 10 {
		t.Errorf("parsed %d keys (%v), skipped %d; want good-ec, good-rsa and 10 skipped", len(got), got, skipped)
	}
	for _, bad := range []string{`{`, `{"nokeys":[]}`} {
		if _, _, err := parseJWKS([]byte(bad)); err == nil {
			t.Errorf("parseJWKS(%s) succeeded", bad)
		}
	}
}

func TestNewVerifierNeedsAKeySource(t *testing.T) {
	if _, err := NewVerifier(Options{}); err == nil {
		t.Fatal("NewVerifier without secret or JWKS succeeded")
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer   abc", "abc", true},
		{"  BEARER abc  ", "abc", true},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Bearer", "", false},
		{"Bearer    ", "", false},
		{"abc.def.ghi", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := BearerToken(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCanonicalUUID(t *testing.T) {
	for in, want := range map[string]string{
		uid:                                     uid,
		strings.ToUpper(uid):                    uid,
		"00000000-0000-0000-0000-000000000000":  "00000000-0000-0000-0000-000000000000",
		"6f1c1a9e-2b7d-4c11-9a53-0d3f5e7b8a2":   "",
		"6f1c1a9e-2b7d-4c11-9a53-0d3f5e7b8a2g":  "",
		"6f1c1a9e+2b7d-4c11-9a53-0d3f5e7b8a21":  "",
		"{6f1c1a9e-2b7d-4c11-9a53-0d3f5e7b8a2}": "",
	} {
		got, ok := canonicalUUID(in)
		if got != want || ok != (want != "") {
			t.Errorf("canonicalUUID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestClaimsContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := FromContext(ctx); ok {
		t.Fatal("claims in an empty context")
	}
	c := &Claims{UserID: uid}
	got, ok := FromContext(NewContext(ctx, c))
	if !ok || got != c {
		t.Errorf("FromContext = %v, %v", got, ok)
	}
}
