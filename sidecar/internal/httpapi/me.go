package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// meResponse is the body of GET /v1/me.
type meResponse struct {
	UserID      string `json:"user_id"`
	Email       string `json:"email,omitempty"`
	IsAnonymous bool   `json:"is_anonymous"`
	// CreditStatus is private.credit_status(user): plan, daily_allowance, daily_used, daily_left,
	// balance, available, next_reset_at (the same object the frontend's public.credit_status() returns).
	CreditStatus json.RawMessage `json:"credit_status"`
}

// me answers GET /v1/me: who the token belongs to and their credits. 404 when the user has no account
// yet (no profile / credit row).
func (s *Server) me(c echo.Context) error {
	claims, ok := ClaimsFrom(c)
	if !ok {
		return errInternal
	}
	if s.db == nil {
		return Unavailable("no database configured")
	}
	ctx := c.Request().Context()
	var status []byte
	if err := s.db.QueryRow(ctx, "select private.credit_status($1::uuid)", claims.UserID).Scan(&status); err != nil {
		return fmt.Errorf("reading credit status: %w", err)
	}
	if status == nil {
		return NotFound("no account for this user")
	}
	return c.JSON(http.StatusOK, meResponse{
		UserID:       claims.UserID,
		Email:        claims.Email,
		IsAnonymous:  claims.IsAnonymous,
		CreditStatus: status,
	})
}
