package search

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestErrorsMapLikePostgREST(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code   string
		status int
		is     error
	}{
		{"P0001", 400, ErrInvalid},
		{"PT402", 402, ErrNotEnoughCredits},
		{"PT404", 404, ErrNotFound},
		{"42501", 403, ErrForbidden},
		{"23505", 409, nil},
		{"XX000", 500, nil},
		{"22P02", 400, nil},
	} {
		err := fmt.Errorf("search: doing things: %w", wrapPgError(&pgconn.PgError{Code: tc.code, Message: "boom", Hint: "try again"}))
		var se *Error
		if !errors.As(err, &se) || se.Status != tc.status || se.Hint != "try again" {
			t.Errorf("%s: got %+v, want status %d", tc.code, se, tc.status)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: errors.Is(err, %v) is false", tc.code, tc.is)
		}
		if tc.is != ErrInvalid && errors.Is(err, ErrInvalid) {
			t.Errorf("%s: matches ErrInvalid", tc.code)
		}
	}
	if err := errors.New("plain"); wrapPgError(err) != err {
		t.Error("a non-database error must pass through unchanged")
	}
}

func TestFoldMatchesSQL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Málaga": "malaga", "BOGOTÁ": "bogota", "São Paulo": "sao paulo", "Zürich": "zurich", "A Coruña": "a coruna"} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}
