package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"google.golang.org/genai"
)

// Kinds of failure. Every error of a call is an *Error whose Kind is one of these (or
// context.Canceled when the caller cancelled), so errors.Is(err, llm.ErrBlocked) works.
var (
	// ErrBlocked: the safety filters blocked the prompt (promptFeedback.blockReason) or the answer
	// (finishReason SAFETY, RECITATION, PROHIBITED_CONTENT, SPII, BLOCKLIST, ...). Not retried.
	ErrBlocked = errors.New("llm: blocked by safety filters")
	// ErrRateLimited: HTTP 429 RESOURCE_EXHAUSTED, still failing after the retries (or asking, with
	// RetryInfo, for a longer wait than Config.RetryMaxDelay; see Error.RetryAfter).
	ErrRateLimited = errors.New("llm: rate limited")
	// ErrUnavailable: HTTP 408/5xx, transport errors or timeouts, still failing after the retries, or
	// the caller's deadline expired.
	ErrUnavailable = errors.New("llm: model unavailable")
	// ErrBadOutput: the answer is unusable: no candidates, empty text, an unexpected finish reason,
	// a body that does not parse, or structured output that does not parse or match its schema. Not
	// retried (the tokens are billed).
	ErrBadOutput = errors.New("llm: bad model output")
	// ErrInvalidRequest: the request was refused before or by the API (HTTP 4xx other than 429: bad
	// key, unknown model, invalid schema; or a Request this package rejects). Not retried.
	ErrInvalidRequest = errors.New("llm: invalid request")
	// ErrStreamBroken: a stream stopped after some text was delivered, without the model finishing
	// (connection lost, in-band error, stalled past Config.Timeout, or end without a finish reason).
	// Result.Text holds the partial text. Not retried: onDelta already saw the text.
	ErrStreamBroken = errors.New("llm: stream broken")
)

// Error describes a failed call. It never contains the prompt, the model output or the API key.
type Error struct {
	// Op is the method: "generate", "generate json" or "stream".
	Op string
	// Model is the model id requested.
	Model string
	// Kind is one of the Err* sentinels, or context.Canceled.
	Kind error
	// HTTPStatus and Status are the API's HTTP code and canonical status ("RESOURCE_EXHAUSTED") when
	// the API answered with an error.
	HTTPStatus int
	Status     string
	// Reason is the block reason or finish reason behind ErrBlocked / ErrBadOutput ("SAFETY").
	Reason string
	// RetryAfter is the delay the API asked for (google.rpc.RetryInfo), when it did.
	RetryAfter time.Duration
	// Attempts is the number of requests made.
	Attempts int
	// Err is the underlying cause (genai.APIError, a transport or context error, a validation error).
	Err error

	retryable bool
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("llm: ")
	b.WriteString(e.Op)
	if e.Model != "" {
		b.WriteString(" ")
		b.WriteString(e.Model)
	}
	b.WriteString(": ")
	if e.Kind != nil {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "llm: "))
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	switch {
	case e.HTTPStatus != 0:
		fmt.Fprintf(&b, ": HTTP %d %s", e.HTTPStatus, e.Status)
		if msg := apiMessage(e.Err); msg != "" {
			b.WriteString(": ")
			b.WriteString(msg)
		}
	case e.Err != nil && e.Err != e.Kind:
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap exposes both the kind and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil || e.Err == e.Kind {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func apiMessage(err error) string {
	var api genai.APIError
	if errors.As(err, &api) {
		return api.Message
	}
	return ""
}

// errAttemptTimeout is the cancellation cause of an attempt that ran past Config.Timeout.
var errAttemptTimeout = errors.New("no answer within the configured timeout")

// classify turns the error of one attempt into an *Error. parent is the caller's context, attempt the
// attempt's (cancelled with errAttemptTimeout when Config.Timeout fired).
func classify(parent, attempt context.Context, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if parent.Err() != nil {
		if errors.Is(parent.Err(), context.DeadlineExceeded) {
			return &Error{Kind: ErrUnavailable, Err: parent.Err()}
		}
		return &Error{Kind: context.Canceled, Err: context.Cause(parent)}
	}
	timedOut := errors.Is(context.Cause(attempt), errAttemptTimeout)
	var api genai.APIError
	var ms midStream
	if errors.As(err, &ms) {
		e := &Error{Kind: ErrStreamBroken, Err: sanitize(ms.err)}
		if timedOut {
			e.Err = errAttemptTimeout
		} else if errors.As(ms.err, &api) {
			e.HTTPStatus, e.Status = api.Code, api.Status
		}
		return e
	}
	if timedOut {
		return &Error{Kind: ErrUnavailable, Err: errAttemptTimeout, retryable: true}
	}
	if errors.As(err, &api) {
		e := &Error{HTTPStatus: api.Code, Status: api.Status, Err: api}
		switch {
		case api.Code == http.StatusTooManyRequests:
			e.Kind, e.retryable, e.RetryAfter = ErrRateLimited, true, retryDelay(api.Details)
		case api.Code == http.StatusRequestTimeout, api.Code >= 500 && api.Code != http.StatusNotImplemented:
			e.Kind, e.retryable = ErrUnavailable, true
		case api.Code >= 400 && api.Code < 500:
			e.Kind = ErrInvalidRequest
		default:
			e.Kind = ErrUnavailable
		}
		return e
	}

	var (
		urlErr    *url.Error
		netErr    net.Error
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntaxErr), errors.As(err, &typeErr):
		return &Error{Kind: ErrBadOutput, Err: sanitize(err)}
	case errors.As(err, &urlErr), errors.As(err, &netErr),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Error{Kind: ErrUnavailable, Err: sanitize(err), retryable: true}
	}
	return &Error{Kind: ErrUnavailable, Err: sanitize(err)}
}

// sdkError keeps an SDK error reachable by errors.Is / errors.As while printing a message without
// the payload the SDK put in it.
type sdkError struct {
	msg string
	err error
}

func (e sdkError) Error() string { return e.msg }
func (e sdkError) Unwrap() error { return e.err }

// sanitize hides the response payload some SDK errors quote: the SDK appends the whole body to a
// JSON decoding error of generateContent, and the raw SSE line to a bad stream event, and either may
// be model output.
func sanitize(err error) error {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntaxErr):
		return sdkError{"undecodable response: " + syntaxErr.Error(), err}
	case errors.As(err, &typeErr):
		return sdkError{"undecodable response: unexpected " + typeErr.Value + " at " + typeErr.Field, err}
	case strings.HasPrefix(err.Error(), "iterateResponseStream:"):
		return sdkError{"invalid stream event", err}
	}
	return err
}

// retryDelay reads google.rpc.RetryInfo.retryDelay ("37s", "0.5s") from an error's details.
func retryDelay(details []map[string]any) time.Duration {
	for _, d := range details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		s, _ := d["retryDelay"].(string)
		if v, err := time.ParseDuration(s); err == nil && v > 0 {
			return v
		}
	}
	return 0
}
