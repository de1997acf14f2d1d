package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"slices"
	"sync"
	"time"
)

// maxJWKSBytes bounds the JWKS document read from Supabase Auth.
const maxJWKSBytes = 1 << 20

// minRSABits is the smallest RSA modulus accepted for RS256.
const minRSABits = 2048

// verifyKey is a public key from the JWKS, ready for golang-jwt.
type verifyKey struct {
	alg string // "ES256" or "RS256": the only algorithm this key may verify
	key any    // *ecdsa.PublicKey (P-256) or *rsa.PublicKey
}

// keySet fetches and caches the JSON Web Key Set of Supabase Auth.
//
// Keys are refreshed when the cache is older than ttl, and when a token names a kid the cache does not
// hold, but never more often than once per minRefresh (a flood of tokens with made-up kids costs at
// most one fetch per interval). When a refresh fails the previous keys stay in use.
type keySet struct {
	url        string
	client     *http.Client
	ttl        time.Duration
	minRefresh time.Duration
	now        func() time.Time
	log        *slog.Logger

	fetchMu sync.Mutex // one fetch at a time

	mu          sync.RWMutex
	keys        map[string]verifyKey
	fetchedAt   time.Time // last successful fetch
	lastAttempt time.Time // last fetch attempt, successful or not
	lastErr     error     // error of the last attempt
}

func (s *keySet) cached(kid string) (verifyKey, bool, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.keys[kid]
	fresh := !s.fetchedAt.IsZero() && s.now().Sub(s.fetchedAt) < s.ttl
	return k, ok, fresh
}

// key returns the key with this kid, refreshing the set first when needed (see keySet).
func (s *keySet) key(ctx context.Context, kid string) (verifyKey, error) {
	k, ok, fresh := s.cached(kid)
	if ok && fresh {
		return k, nil
	}
	s.refresh(ctx)
	k, ok, _ = s.cached(kid)
	if ok {
		return k, nil
	}
	s.mu.RLock()
	neverFetched, lastErr := s.fetchedAt.IsZero(), s.lastErr
	s.mu.RUnlock()
	if neverFetched {
		return verifyKey{}, &Error{Reason: ReasonKeysUnavailable, Err: fmt.Errorf("signing keys not available: %w", lastErr)}
	}
	return verifyKey{}, &Error{Reason: ReasonUnknownKey, Err: fmt.Errorf("no signing key with kid %q", kid)}
}

// refresh fetches the set unless an attempt happened within minRefresh.
func (s *keySet) refresh(ctx context.Context) {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	s.mu.RLock()
	recent := !s.lastAttempt.IsZero() && s.now().Sub(s.lastAttempt) < s.minRefresh
	s.mu.RUnlock()
	if recent {
		return
	}
	// The fetch is shared by every waiting request: one client going away must not cancel it.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	keys, skipped, err := s.fetch(fctx)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastAttempt = s.now()
	s.lastErr = err
	if err != nil {
		s.log.WarnContext(ctx, "jwks refresh failed; keeping the previous keys", "url", s.url, "error", err, "cached_keys", len(s.keys))
		return
	}
	s.keys = keys
	s.fetchedAt = s.now()
	s.log.DebugContext(ctx, "jwks refreshed", "url", s.url, "keys", len(keys), "skipped", skipped)
}

// fetch downloads and parses the set. skipped counts keys that cannot verify ES256/RS256 tokens.
func (s *keySet) fetch(ctx context.Context) (map[string]verifyKey, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("jwks request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("fetching jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("fetching jwks: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("reading jwks: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return nil, 0, fmt.Errorf("jwks larger than %d bytes", maxJWKSBytes)
	}
	return parseJWKS(body)
}

type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Alg    string   `json:"alg"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Crv    string   `json:"crv"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
	N      string   `json:"n"`
	E      string   `json:"e"`
}

// parseJWKS returns the usable verification keys by kid. Keys without a kid, symmetric keys, keys for
// other uses or algorithms, and malformed keys are skipped (counted), never an error: one odd key must
// not lock every user out.
func parseJWKS(body []byte) (map[string]verifyKey, int, error) {
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, 0, fmt.Errorf("parsing jwks: %w", err)
	}
	if doc.Keys == nil {
		return nil, 0, errors.New("parsing jwks: no \"keys\" array")
	}
	keys := make(map[string]verifyKey, len(doc.Keys))
	skipped := 0
	for _, k := range doc.Keys {
		vk, err := k.verifyKey()
		if err != nil || k.Kid == "" {
			skipped++
			continue
		}
		keys[k.Kid] = vk
	}
	return keys, skipped, nil
}

func (k jwk) verifyKey() (verifyKey, error) {
	if k.Use != "" && k.Use != "sig" {
		return verifyKey{}, fmt.Errorf("use %q", k.Use)
	}
	if len(k.KeyOps) > 0 && !slices.Contains(k.KeyOps, "verify") {
		return verifyKey{}, errors.New("key_ops without verify")
	}
	switch k.Kty {
	case "EC":
		if k.Crv != "P-256" || (k.Alg != "" && k.Alg != "ES256") {
			return verifyKey{}, fmt.Errorf("EC key crv %q alg %q", k.Crv, k.Alg)
		}
		x, errX := b64(k.X)
		y, errY := b64(k.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return verifyKey{}, errors.New("bad EC coordinates")
		}
		point := append(append([]byte{4}, x...), y...)
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
		if err != nil {
			return verifyKey{}, fmt.Errorf("EC key: %w", err)
		}
		return verifyKey{alg: "ES256", key: pub}, nil
	case "RSA":
		if k.Alg != "" && k.Alg != "RS256" {
			return verifyKey{}, fmt.Errorf("RSA key alg %q", k.Alg)
		}
		n, errN := b64(k.N)
		e, errE := b64(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			return verifyKey{}, errors.New("bad RSA modulus or exponent")
		}
		exp := int(new(big.Int).SetBytes(e).Int64())
		mod := new(big.Int).SetBytes(n)
		if exp < 3 || exp%2 == 0 || mod.BitLen() < minRSABits {
			return verifyKey{}, errors.New("weak RSA key")
		}
		return verifyKey{alg: "RS256", key: &rsa.PublicKey{N: mod, E: exp}}, nil
	}
	return verifyKey{}, fmt.Errorf("kty %q", k.Kty)
}

func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(s)
}
