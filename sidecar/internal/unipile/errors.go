package unipile

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is an error answer from Unipile: an RFC 7807 problem ({status, type, title, detail, instance}).
// Branch on Type ("errors/already_invited_recently"), never on the text.
type Error struct {
	Status   int    `json:"status"`
	Type     string `json:"type"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

func (e *Error) Error() string {
	s := fmt.Sprintf("unipile: %d %s", e.Status, e.Type)
	if e.Title != "" {
		s += ": " + e.Title
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// NetworkError is a request that got no HTTP answer (connection refused, timeout, cut body): whether
// Unipile acted on it is unknown.
type NetworkError struct {
	Op  string
	Err error
}

func (e *NetworkError) Error() string { return "unipile: " + e.Op + ": " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }

func parseError(status int, body []byte) error {
	e := &Error{}
	if json.Unmarshal(body, e) != nil || e.Type == "" {
		e = &Error{Type: "errors/http_" + fmt.Sprint(status), Title: strings.TrimSpace(string(truncate(body, 200)))}
	}
	e.Status = status
	return e
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// Class is what the sender should do after an error.
type Class int

// Error classes.
const (
	// ClassPermanent: the request cannot succeed (invalid recipient, not found, validation): give up on it.
	ClassPermanent Class = iota
	// ClassDone: the goal is already reached (already invited, already connected): record it as done.
	ClassDone
	// ClassLimit: LinkedIn or Unipile refuses more actions now: pause the account until the window reopens.
	ClassLimit
	// ClassDisconnected: the account needs a reconnect (401): pause it and tell the user.
	ClassDisconnected
	// ClassTransient: 5xx, 504, network: retry with backoff (an invitation is verified first).
	ClassTransient
)

func (c Class) String() string {
	switch c {
	case ClassDone:
		return "done"
	case ClassLimit:
		return "limit"
	case ClassDisconnected:
		return "disconnected"
	case ClassTransient:
		return "transient"
	}
	return "permanent"
}

// Classify maps an error from the client to a Class (nil → ClassPermanent is never asked: check err first).
func Classify(err error) Class {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return ClassTransient
	}
	var e *Error
	if !errors.As(err, &e) {
		return ClassTransient
	}
	t := strings.TrimPrefix(strings.TrimPrefix(e.Type, "errors/"), "api/")
	switch t {
	case "already_invited_recently", "already_connected", "action_already_performed":
		return ClassDone
	case "cannot_resend_yet", "cannot_resend_within_24hrs", "limit_exceeded", "too_many_requests", "insufficient_credits":
		return ClassLimit
	}
	switch {
	case e.Status == http.StatusTooManyRequests:
		return ClassLimit
	case e.Status == http.StatusUnauthorized:
		return ClassDisconnected
	case e.Status >= 500:
		return ClassTransient
	}
	return ClassPermanent
}

// IsType reports whether err is a Unipile error of type t ("errors/..." or just the suffix).
func IsType(err error, t string) bool {
	var e *Error
	return errors.As(err, &e) && (e.Type == t || e.Type == "errors/"+t)
}
