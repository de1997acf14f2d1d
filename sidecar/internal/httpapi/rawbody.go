package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

const rawBodyKey = "httpapi.raw_body"

// RawBody returns the request body exactly as the client sent it, for webhook signature checks
// (Stripe-Signature is computed over these bytes: never re-encode JSON before verifying). The body
// limit still applies: a larger body gives a 413 *Error. The bytes are cached and the request body is
// replaced with a fresh reader over them, so RawBody may be called more than once and c.Bind still
// works afterwards.
//
//	s.Webhooks().POST("/stripe", func(c echo.Context) error {
//		payload, err := httpapi.RawBody(c)
//		if err != nil {
//			return err
//		}
//		ev, err := webhook.ConstructEvent(payload, c.Request().Header.Get("Stripe-Signature"), secret)
//		...
//	})
func RawBody(c echo.Context) ([]byte, error) {
	if b, ok := c.Get(rawBodyKey).([]byte); ok {
		return b, nil
	}
	req := c.Request()
	var b []byte
	if req.Body != nil {
		var err error
		b, err = io.ReadAll(req.Body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, errPayloadTooLarge
			}
			return nil, &Error{Status: http.StatusBadRequest, Code: CodeBadRequest, Message: "could not read the request body"}
		}
		_ = req.Body.Close()
	}
	if b == nil {
		b = []byte{}
	}
	c.Set(rawBodyKey, b)
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}
