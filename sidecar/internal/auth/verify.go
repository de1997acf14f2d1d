// Package auth verifies the access tokens Supabase Auth issues, locally: HS256 with the project's JWT
// secret, and ES256/RS256 with the public keys Supabase serves at /auth/v1/.well-known/jwks.json.
//
// Verify accepts only signed-in user tokens: role "authenticated", "authenticated" in aud, a UUID sub,
// a live exp, a sane iat/nbf, and the configured issuer. The project's anon and service_role keys (also
// JWTs signed with the same secret) are refused. Authorization data comes from app_metadata only
// (service-controlled), never from user_metadata, which users can edit themselves.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Defaults of Options.
const (
	DefaultAudience       = "authenticated"
	DefaultLeeway         = 30 * time.Second
	DefaultJWKSTTL        = 10 * time.Minute
	DefaultJWKSMinRefresh = 30 * time.Second
	// DefaultMaxLifetime is the longest exp - iat accepted: Supabase caps access tokens at one week.
	DefaultMaxLifetime = 7 * 24 * time.Hour
	// MaxTokenBytes bounds the size of a token before any parsing.
	MaxTokenBytes = 16 << 10
)

// RoleAuthenticated is the role claim of signed-in users (anonymous sign-ins included).
const RoleAuthenticated = "authenticated"

// Claims is what the sidecar knows about the caller once the token is verified.
type Claims struct {
	// UserID is the sub claim: the auth.users id, a lower-case UUID.
	UserID string
	// Email is "" for anonymous and phone-only users.
	Email string
	// Role is always RoleAuthenticated for tokens Verify accepts.
	Role string
	// SessionID is the auth.sessions row of this token.
	SessionID string
	// IsAnonymous is true for anonymous sign-ins: they have a user id but no e-mail.
	IsAnonymous bool
	// AppMetadata is the service-controlled app_metadata (provider, providers, admin-set keys). Never
	// nil. Base authorization decisions on it or on the database, never on user_metadata.
	AppMetadata map[string]any
	// ExpiresAt is the exp claim.
	ExpiresAt time.Time
}

// Reasons a token is refused (Error.Reason). They are for logs and metrics; clients get a generic
// message except for ReasonExpired (so they refresh the session).
const (
	ReasonMalformed       = "malformed"
	ReasonBadAlgorithm    = "bad_algorithm"
	ReasonBadSignature    = "bad_signature"
	ReasonUnknownKey      = "unknown_key"
	ReasonKeysUnavailable = "keys_unavailable" // JWKS never fetched: a server-side problem
	ReasonExpired         = "expired"
	ReasonNotYetValid     = "not_yet_valid"
	ReasonWrongAudience   = "wrong_audience"
	ReasonWrongIssuer     = "wrong_issuer"
	ReasonWrongRole       = "wrong_role"
	ReasonBadSubject      = "bad_subject"
)

// Error is why a token was refused.
type Error struct {
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "auth: token refused: " + e.Reason
	}
	return "auth: token refused: " + e.Reason + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ReasonOf returns the Reason of an *Error in err's chain, or "".
func ReasonOf(err error) string {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Reason
	}
	return ""
}

// Options configures a Verifier. At least one of Secret and JWKSURL is required.
type Options struct {
	// Secret is the HS256 JWT secret (SUPABASE_JWT_SECRET). Empty: HS256 tokens are refused.
	Secret string
	// JWKSURL serves the ES256/RS256 public keys (<SUPABASE_URL>/auth/v1/.well-known/jwks.json).
	// Empty: asymmetric tokens are refused.
	JWKSURL string
	// Issuer, when set, must equal the iss claim.
	Issuer string
	// Audience must be one of the aud values (default "authenticated").
	Audience string
	// Leeway tolerates clock skew on exp, nbf and iat (default 30s).
	Leeway time.Duration
	// MaxLifetime is the longest exp - iat accepted (default one week).
	MaxLifetime time.Duration
	// HTTPClient fetches the JWKS (default: a client with a 10s timeout).
	HTTPClient *http.Client
	// JWKSTTL is how long fetched keys count as fresh (default 10m).
	JWKSTTL time.Duration
	// JWKSMinRefresh is the shortest interval between two JWKS fetches (default 30s).
	JWKSMinRefresh time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives JWKS refresh failures (default: discard).
	Logger *slog.Logger
}

// Verifier checks Supabase access tokens. It is safe for concurrent use.
type Verifier struct {
	secret  []byte
	keys    *keySet // nil without JWKSURL
	parser  *jwt.Parser
	maxLife time.Duration
	leeway  time.Duration
	now     func() time.Time
}

// NewVerifier returns a Verifier for opts. It does not fetch the JWKS: the first asymmetric token
// does, or call Prefetch.
func NewVerifier(opts Options) (*Verifier, error) {
	if opts.Secret == "" && opts.JWKSURL == "" {
		return nil, errors.New("auth: need a JWT secret or a JWKS URL")
	}
	if opts.Audience == "" {
		opts.Audience = DefaultAudience
	}
	if opts.Leeway == 0 {
		opts.Leeway = DefaultLeeway
	}
	if opts.MaxLifetime == 0 {
		opts.MaxLifetime = DefaultMaxLifetime
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	v := &Verifier{maxLife: opts.MaxLifetime, leeway: opts.Leeway, now: opts.Now}
	var methods []string
	if opts.Secret != "" {
		v.secret = []byte(opts.Secret)
		methods = append(methods, jwt.SigningMethodHS256.Alg())
	}
	if opts.JWKSURL != "" {
		if opts.HTTPClient == nil {
			opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
		}
		if opts.JWKSTTL == 0 {
			opts.JWKSTTL = DefaultJWKSTTL
		}
		if opts.JWKSMinRefresh == 0 {
			opts.JWKSMinRefresh = DefaultJWKSMinRefresh
		}
		v.keys = &keySet{
			url: opts.JWKSURL, client: opts.HTTPClient, ttl: opts.JWKSTTL, minRefresh: opts.JWKSMinRefresh,
			now: opts.Now, log: opts.Logger,
		}
		methods = append(methods, jwt.SigningMethodES256.Alg(), jwt.SigningMethodRS256.Alg())
	}
	popts := []jwt.ParserOption{
		jwt.WithValidMethods(methods), // refuses "none" and every algorithm not configured
		jwt.WithLeeway(opts.Leeway),
		jwt.WithTimeFunc(opts.Now),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithAudience(opts.Audience),
	}
	if opts.Issuer != "" {
		popts = append(popts, jwt.WithIssuer(opts.Issuer))
	}
	v.parser = jwt.NewParser(popts...)
	return v, nil
}

// Prefetch loads the JWKS now (at start-up, so the first request does not wait). It returns nil
// without a JWKS URL, and the fetch error otherwise; the Verifier keeps retrying on demand.
func (v *Verifier) Prefetch(ctx context.Context) error {
	if v.keys == nil {
		return nil
	}
	v.keys.refresh(ctx)
	v.keys.mu.RLock()
	defer v.keys.mu.RUnlock()
	return v.keys.lastErr
}

// tokenClaims is the JSON shape of a Supabase access token.
type tokenClaims struct {
	jwt.RegisteredClaims
	Email       string         `json:"email"`
	Role        string         `json:"role"`
	SessionID   string         `json:"session_id"`
	IsAnonymous bool           `json:"is_anonymous"`
	AppMetadata map[string]any `json:"app_metadata"`
}

// Verify checks a user's access token (without the "Bearer " prefix) and returns its claims. The error
// is an *Error whose Reason says why the token was refused.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Claims, error) {
	if raw == "" || len(raw) > MaxTokenBytes {
		return nil, &Error{Reason: ReasonMalformed, Err: fmt.Errorf("token empty or longer than %d bytes", MaxTokenBytes)}
	}
	var tc tokenClaims
	_, err := v.parser.ParseWithClaims(raw, &tc, func(t *jwt.Token) (any, error) { return v.keyFor(ctx, t) })
	if err != nil {
		return nil, classify(err)
	}
	if tc.IssuedAt == nil {
		return nil, &Error{Reason: ReasonMalformed, Err: errors.New("no iat claim")}
	}
	iat, exp := tc.IssuedAt.Time, tc.ExpiresAt.Time
	if !exp.After(iat) || exp.Sub(iat) > v.maxLife {
		return nil, &Error{Reason: ReasonMalformed, Err: fmt.Errorf("lifetime %s outside (0, %s]", exp.Sub(iat), v.maxLife)}
	}
	if tc.Role != RoleAuthenticated {
		return nil, &Error{Reason: ReasonWrongRole, Err: fmt.Errorf("role %q is not a signed-in user", tc.Role)}
	}
	sub, ok := canonicalUUID(tc.Subject)
	if !ok {
		return nil, &Error{Reason: ReasonBadSubject, Err: fmt.Errorf("sub %q is not a UUID", tc.Subject)}
	}
	md := tc.AppMetadata
	if md == nil {
		md = map[string]any{}
	}
	return &Claims{
		UserID:      sub,
		Email:       tc.Email,
		Role:        tc.Role,
		SessionID:   tc.SessionID,
		IsAnonymous: tc.IsAnonymous,
		AppMetadata: md,
		ExpiresAt:   exp,
	}, nil
}

// keyFor picks the verification key for the token's algorithm. Each algorithm only ever gets its own
// kind of key, so an HS256 token "signed" with a public key, or an RS256 token checked with an EC key,
// cannot verify (algorithm confusion).
func (v *Verifier) keyFor(ctx context.Context, t *jwt.Token) (any, error) {
	alg := t.Method.Alg()
	switch alg {
	case jwt.SigningMethodHS256.Alg():
		if v.secret == nil {
			return nil, &Error{Reason: ReasonBadAlgorithm, Err: errors.New("HS256 tokens are not accepted (no secret configured)")}
		}
		return v.secret, nil
	case jwt.SigningMethodES256.Alg(), jwt.SigningMethodRS256.Alg():
		if v.keys == nil {
			return nil, &Error{Reason: ReasonBadAlgorithm, Err: fmt.Errorf("%s tokens are not accepted (no JWKS configured)", alg)}
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, &Error{Reason: ReasonMalformed, Err: fmt.Errorf("%s token without kid", alg)}
		}
		k, err := v.keys.key(ctx, kid)
		if err != nil {
			return nil, err
		}
		if k.alg != alg {
			return nil, &Error{Reason: ReasonBadAlgorithm, Err: fmt.Errorf("key %q is for %s, token says %s", kid, k.alg, alg)}
		}
		return k.key, nil
	}
	return nil, &Error{Reason: ReasonBadAlgorithm, Err: fmt.Errorf("algorithm %q", alg)}
}

// classify turns a golang-jwt error into an *Error.
func classify(err error) error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	reason := ReasonMalformed
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		reason = ReasonExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		reason = ReasonNotYetValid
	case errors.Is(err, jwt.ErrTokenInvalidAudience),
		errors.Is(err, jwt.ErrTokenRequiredClaimMissing) && strings.Contains(err.Error(), "aud claim"):
		reason = ReasonWrongAudience
	case errors.Is(err, jwt.ErrTokenInvalidIssuer),
		errors.Is(err, jwt.ErrTokenRequiredClaimMissing) && strings.Contains(err.Error(), "iss claim"):
		reason = ReasonWrongIssuer
	case strings.Contains(err.Error(), "signing method"):
		// Algorithm not in the accepted list (none, HS512, ...) or unknown to golang-jwt.
		reason = ReasonBadAlgorithm
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		reason = ReasonBadSignature
	}
	return &Error{Reason: reason, Err: err}
}

// canonicalUUID checks the 8-4-4-4-12 hex form and returns it lower-cased.
func canonicalUUID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

// BearerToken returns the token of an "Authorization: Bearer <token>" header value (the scheme is
// case-insensitive).
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

type claimsKey struct{}

// NewContext returns ctx carrying the verified claims.
func NewContext(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// FromContext returns the claims put in ctx by the HTTP middleware, if any.
func FromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}
