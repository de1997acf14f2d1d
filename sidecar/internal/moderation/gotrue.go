package moderation

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	gotrue "github.com/supabase-community/gotrue-go"
	"github.com/supabase-community/gotrue-go/types"
)

// GoTrueBanner bans users through the Supabase Auth (GoTrue) admin API with gotrue-go:
// PUT {authURL}/admin/users/{id} {"ban_duration": "720h0m0s"} with the service-role key.
type GoTrueBanner struct {
	client gotrue.Client
}

var _ Banner = (*GoTrueBanner)(nil)

// NewGoTrueBanner returns a banner for the Auth server at authURL (https://<ref>.supabase.co/auth/v1)
// using serviceRoleKey. A legacy service_role JWT is sent as apikey and as the bearer token; a new
// sb_secret_ key, which is not a JWT, only as apikey (the platform rejects it as a bearer token).
// timeout bounds each call (gotrue-go takes no context).
func NewGoTrueBanner(authURL, serviceRoleKey string, timeout time.Duration) *GoTrueBanner {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	c := gotrue.New("unused", serviceRoleKey).
		WithCustomGoTrueURL(strings.TrimRight(authURL, "/")).
		WithClient(http.Client{Timeout: timeout})
	if !strings.HasPrefix(serviceRoleKey, "sb_secret_") {
		c = c.WithToken(serviceRoleKey)
	}
	return &GoTrueBanner{client: c}
}

// Ban sets the user's ban_duration. It returns when ctx is done even if the call is still running
// (gotrue-go has no context; the client timeout ends it).
func (b *GoTrueBanner) Ban(ctx context.Context, userID string, d time.Duration) error {
	id, err := uuid.Parse(userID)
	if err != nil {
		return fmt.Errorf("moderation: ban: user id %q: %w", userID, err)
	}
	if d <= 0 {
		return fmt.Errorf("moderation: ban: duration %s is not positive", d)
	}
	dur := types.BanDurationTime(d)
	done := make(chan error, 1)
	go func() {
		_, err := b.client.AdminUpdateUser(types.AdminUpdateUserRequest{UserID: id, BanDuration: &dur})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			// gotrue-go errors quote the response body (no secret: the key is only in our headers).
			return fmt.Errorf("%w: user %s: %w", ErrBanRejected, id, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("moderation: ban user %s: %w", id, ctx.Err())
	}
}
