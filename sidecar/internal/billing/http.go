package billing

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// Routes registers the billing endpoints:
//
//	POST /v1/billing/checkout   {"plan": "pro"} or {"pack": "small"} → {"url", "session_id", ...}
//	POST /v1/billing/portal     → {"url"}
//	GET  /v1/billing/history    → {"items": [...]} invoices and credit purchases, newest first
//	POST /webhooks/stripe       Stripe's signed events
//
// svc and rcv may be nil (Stripe disabled): those endpoints answer 503. The history reads only the
// database and always works.
func Routes(v1, webhooks *echo.Group, pool *pgxpool.Pool, svc *Service, rcv *Receiver, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	h := &handlers{pool: pool, svc: svc, log: log}
	v1.POST("/billing/checkout", h.checkout)
	v1.POST("/billing/portal", h.portal)
	v1.GET("/billing/history", h.history)
	if rcv != nil {
		webhooks.POST("/stripe", rcv.Handle)
	} else {
		webhooks.POST("/stripe", func(echo.Context) error { return errDisabled })
	}
}

var errDisabled = httpapi.Unavailable("billing is not configured on this server")

type handlers struct {
	pool *pgxpool.Pool
	svc  *Service
	log  *slog.Logger
}

func (h *handlers) user(c echo.Context) (string, error) {
	claims, ok := httpapi.ClaimsFrom(c)
	if !ok {
		return "", httpapi.Unauthorized("sign in first")
	}
	return claims.UserID, nil
}

func (h *handlers) checkout(c echo.Context) error {
	if h.svc == nil {
		return errDisabled
	}
	uid, err := h.user(c)
	if err != nil {
		return err
	}
	var req CheckoutRequest
	if err := c.Bind(&req); err != nil {
		return httpapi.BadRequest(`body must be JSON: {"plan": "pro"} or {"pack": "small"}`)
	}
	ctx := c.Request().Context()
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		key = obs.RequestID(ctx)
	}
	res, err := h.svc.Checkout(ctx, uid, req, key)
	if err != nil {
		return h.logUpstream(c, err)
	}
	return c.JSON(http.StatusOK, res)
}

func (h *handlers) portal(c echo.Context) error {
	if h.svc == nil {
		return errDisabled
	}
	uid, err := h.user(c)
	if err != nil {
		return err
	}
	url, err := h.svc.Portal(c.Request().Context(), uid)
	if err != nil {
		return h.logUpstream(c, err)
	}
	return c.JSON(http.StatusOK, map[string]string{"url": url})
}

func (h *handlers) history(c echo.Context) error {
	uid, err := h.user(c)
	if err != nil {
		return err
	}
	limit := 50
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return httpapi.BadRequest("limit must be 1-200")
		}
		limit = n
	}
	items, err := History(c.Request().Context(), h.pool, uid, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// logUpstream logs Stripe failures (their cause is hidden from the client by the 502).
func (h *handlers) logUpstream(c echo.Context, err error) error {
	var ae *httpapi.Error
	if errors.As(err, &ae) && ae.Status == http.StatusBadGateway {
		h.log.WarnContext(c.Request().Context(), "stripe call failed", "error", err)
	}
	return err
}
