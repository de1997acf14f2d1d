package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"
)

// Error codes: the stable vocabulary of the "code" field of every error response. Clients switch on
// the code, never on the message. Add codes, never rename them.
const (
	CodeBadRequest           = "bad_request"
	CodeUnauthorized         = "unauthorized"
	CodePaymentRequired      = "payment_required" // e.g. not enough credits (SQL PT402)
	CodeForbidden            = "forbidden"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeNotAcceptable        = "not_acceptable"
	CodeConflict             = "conflict"
	CodeGone                 = "gone"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeUnprocessable        = "unprocessable"
	CodeRateLimited          = "rate_limited"
	CodeClientClosed         = "client_closed" // 499: the client went away (logs and metrics only)
	CodeInternal             = "internal"
	CodeNotImplemented       = "not_implemented"
	CodeBadGateway           = "bad_gateway"
	CodeUnavailable          = "unavailable"
	CodeTimeout              = "timeout"
)

// StatusClientClosedRequest is the nginx convention for a request the client abandoned.
const StatusClientClosedRequest = 499

// Error is an error response: the HTTP status and the JSON body {"code", "message"[, "hint"]}.
// Handlers return it (or any error: see the Server's error handler) and the server writes it.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Hint is optional advice for the user (from a SQL function's HINT).
	Hint string `json:"hint,omitempty"`
	// RetryAfter, when > 0, is sent as the Retry-After header in seconds.
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return strconv.Itoa(e.Status) + " " + e.Code + ": " + e.Message }

// NewError returns an error response with status, the code the status maps to, and message.
func NewError(status int, message string) *Error {
	return &Error{Status: status, Code: CodeForStatus(status), Message: message}
}

// Convenience constructors for handlers.
func BadRequest(msg string) *Error   { return NewError(http.StatusBadRequest, msg) }
func Unauthorized(msg string) *Error { return NewError(http.StatusUnauthorized, msg) }
func Forbidden(msg string) *Error    { return NewError(http.StatusForbidden, msg) }
func NotFound(msg string) *Error     { return NewError(http.StatusNotFound, msg) }
func Conflict(msg string) *Error     { return NewError(http.StatusConflict, msg) }
func Unavailable(msg string) *Error  { return NewError(http.StatusServiceUnavailable, msg) }

var (
	errInternal        = &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "internal error"}
	errPayloadTooLarge = &Error{Status: http.StatusRequestEntityTooLarge, Code: CodePayloadTooLarge, Message: "request body too large"}
)

// CodeForStatus maps an HTTP status to the error code vocabulary.
func CodeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return CodeBadRequest
	case http.StatusUnauthorized:
		return CodeUnauthorized
	case http.StatusPaymentRequired:
		return CodePaymentRequired
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusMethodNotAllowed:
		return CodeMethodNotAllowed
	case http.StatusNotAcceptable:
		return CodeNotAcceptable
	case http.StatusRequestTimeout, http.StatusGatewayTimeout:
		return CodeTimeout
	case http.StatusConflict:
		return CodeConflict
	case http.StatusGone:
		return CodeGone
	case http.StatusRequestEntityTooLarge:
		return CodePayloadTooLarge
	case http.StatusUnsupportedMediaType:
		return CodeUnsupportedMediaType
	case http.StatusUnprocessableEntity:
		return CodeUnprocessable
	case http.StatusTooManyRequests:
		return CodeRateLimited
	case StatusClientClosedRequest:
		return CodeClientClosed
	case http.StatusNotImplemented:
		return CodeNotImplemented
	case http.StatusBadGateway:
		return CodeBadGateway
	case http.StatusServiceUnavailable:
		return CodeUnavailable
	}
	if status >= 400 && status < 500 {
		return CodeBadRequest
	}
	return CodeInternal
}

// toAPIError converts any handler error into the response to send. internal reports whether the
// error is unexpected (a 5xx whose cause must be logged, not shown).
func toAPIError(ctx context.Context, err error) (apiErr *Error, internal bool) {
	var ae *Error
	if errors.As(err, &ae) {
		return ae, false
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errPayloadTooLarge, false
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if he.Code >= 500 {
			return NewError(he.Code, strings.ToLower(http.StatusText(he.Code))), true
		}
		msg, ok := he.Message.(string)
		if !ok || msg == "" || msg == http.StatusText(he.Code) {
			msg = strings.ToLower(http.StatusText(he.Code)) // echo's own "Not Found" etc.
		}
		return NewError(he.Code, msg), false
	}
	if pe, ok := fromPgError(err); ok {
		return pe, false
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return NewError(StatusClientClosedRequest, "client closed the request"), false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return NewError(http.StatusGatewayTimeout, "the request took too long"), true
	}
	return errInternal, true
}

// fromPgError maps the SQL functions' error conventions (ARCHITECTURE.md §6, as PostgREST does):
// P0001 (raise exception) → 400 with the function's message and hint; 42501 → 403; PTxxx → HTTP status
// xxx (4xx only); 23505 (unique violation) → 409 with a generic message. Anything else is internal.
func fromPgError(err error) (*Error, bool) {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return nil, false
	}
	switch {
	case pg.Code == "P0001":
		return &Error{Status: http.StatusBadRequest, Code: CodeBadRequest, Message: pg.Message, Hint: pg.Hint}, true
	case pg.Code == "42501":
		return &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: pg.Message, Hint: pg.Hint}, true
	case pg.Code == "23505":
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "already exists"}, true
	case len(pg.Code) == 5 && strings.HasPrefix(pg.Code, "PT"):
		status, err := strconv.Atoi(pg.Code[2:])
		if err == nil && status >= 400 && status < 500 {
			return &Error{Status: status, Code: CodeForStatus(status), Message: pg.Message, Hint: pg.Hint}, true
		}
	}
	return nil, false
}

// handleError is echo's HTTPErrorHandler: every error, echo's own 404/405/413 included, becomes a JSON
// {"code", "message"} response. Unexpected errors are logged with the request id and answered with a
// generic 500 that reveals nothing.
func (s *Server) handleError(err error, c echo.Context) {
	ctx := c.Request().Context()
	apiErr, internal := toAPIError(ctx, err)
	if internal {
		s.log.ErrorContext(ctx, "request failed", "error", err, "status", apiErr.Status,
			"method", c.Request().Method, "route", c.Path())
	}
	if c.Response().Committed {
		if !internal {
			s.log.DebugContext(ctx, "error after the response was sent", "error", err)
		}
		return
	}
	if apiErr.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(apiErr.RetryAfter))
	}
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(apiErr.Status)
	} else {
		werr = c.JSON(apiErr.Status, apiErr)
	}
	if werr != nil {
		s.log.DebugContext(ctx, "writing the error response", "error", werr)
	}
}
