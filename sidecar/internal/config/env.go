package config

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Env reads typed values from environment variables and collects every problem it meets instead of
// stopping at the first, so that start-up can report them all at once (see Error).
//
// A variable that is unset, empty or only white space counts as unset: the default applies. Each getter
// records a problem for a malformed value and returns the default, so callers can keep going.
type Env struct {
	lookup   func(string) (string, bool)
	problems []string
}

// NewEnv returns an Env reading through lookup (os.LookupEnv in production, a map in tests).
func NewEnv(lookup func(string) (string, bool)) *Env {
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	return &Env{lookup: lookup}
}

// MapLookup adapts a map to the lookup function NewEnv and Load take (handy in tests).
func MapLookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// Problemf records a configuration problem. Messages start with the variable name.
func (e *Env) Problemf(format string, args ...any) {
	e.problems = append(e.problems, fmt.Sprintf(format, args...))
}

// Err returns an *Error listing every recorded problem, or nil when there are none.
func (e *Env) Err() error {
	if len(e.problems) == 0 {
		return nil
	}
	return &Error{Problems: append([]string(nil), e.problems...)}
}

// raw returns the trimmed value and whether it is set (non-empty).
func (e *Env) raw(name string) (string, bool) {
	v, ok := e.lookup(name)
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	return v, v != ""
}

// IsSet reports whether name has a non-empty value.
func (e *Env) IsSet(name string) bool {
	_, ok := e.raw(name)
	return ok
}

// String returns the value of name, or def when unset.
func (e *Env) String(name, def string) string {
	if v, ok := e.raw(name); ok {
		return v
	}
	return def
}

// Required returns the value of name and records a problem when it is unset.
func (e *Env) Required(name, why string) string {
	v, ok := e.raw(name)
	if !ok {
		if why != "" {
			e.Problemf("%s is required (%s)", name, why)
		} else {
			e.Problemf("%s is required", name)
		}
	}
	return v
}

// OneOf returns the value of name, lower-cased, which must be one of allowed; def when unset.
func (e *Env) OneOf(name, def string, allowed ...string) string {
	v, ok := e.raw(name)
	if !ok {
		return def
	}
	v = strings.ToLower(v)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	e.Problemf("%s=%q: must be one of %s", name, v, strings.Join(allowed, ", "))
	return def
}

// Bool returns the value of name as a boolean (true/false, 1/0, yes/no, on/off); def when unset.
func (e *Env) Bool(name string, def bool) bool {
	v, ok := e.raw(name)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "true", "t", "yes", "y", "on":
		return true
	case "0", "false", "f", "no", "n", "off":
		return false
	}
	e.Problemf("%s=%q: not a boolean (use true or false)", name, v)
	return def
}

// Int returns the value of name as an integer in [lo, hi]; def when unset.
func (e *Env) Int(name string, def, lo, hi int) int {
	v, ok := e.raw(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.Problemf("%s=%q: not an integer", name, v)
		return def
	}
	if n < lo || n > hi {
		e.Problemf("%s=%d: must be between %d and %d", name, n, lo, hi)
		return def
	}
	return n
}

// Duration returns the value of name as a Go duration ("20s", "1m30s") in [lo, hi]; def when unset.
func (e *Env) Duration(name string, def, lo, hi time.Duration) time.Duration {
	v, ok := e.raw(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.Problemf("%s=%q: not a duration (examples: 20s, 1m30s)", name, v)
		return def
	}
	if d < lo || d > hi {
		e.Problemf("%s=%s: must be between %s and %s", name, d, lo, hi)
		return def
	}
	return d
}

// Bytes returns the value of name as a byte count in [lo, hi]; def when unset. It accepts a plain
// number of bytes or a number with a binary unit: B, K/KB/KiB, M/MB/MiB, G/GB/GiB (1KB = 1024 bytes).
func (e *Env) Bytes(name string, def, lo, hi int64) int64 {
	v, ok := e.raw(name)
	if !ok {
		return def
	}
	n, err := ParseBytes(v)
	if err != nil {
		e.Problemf("%s=%q: %v", name, v, err)
		return def
	}
	if n < lo || n > hi {
		e.Problemf("%s=%q: must be between %d and %d bytes", name, v, lo, hi)
		return def
	}
	return n
}

// ParseBytes parses a size such as "1048576", "512KB", "1M" or "2MiB" (binary units).
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("not a size (examples: 1048576, 512KB, 1MB)")
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a size: %w", err)
	}
	var mult int64
	switch strings.ToUpper(strings.TrimSpace(s[i:])) {
	case "", "B":
		mult = 1
	case "K", "KB", "KIB":
		mult = 1 << 10
	case "M", "MB", "MIB":
		mult = 1 << 20
	case "G", "GB", "GIB":
		mult = 1 << 30
	default:
		return 0, fmt.Errorf("unknown unit %q (use B, KB, MB or GB)", strings.TrimSpace(s[i:]))
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size too large")
	}
	return n * mult, nil
}

// Prefixes returns the comma-separated CIDRs (or single addresses, taken as /32 or /128) of name;
// nil when unset.
func (e *Env) Prefixes(name string) []netip.Prefix {
	v, ok := e.raw(name)
	if !ok {
		return nil
	}
	var out []netip.Prefix
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		e.Problemf("%s: %q is not a CIDR (10.0.0.0/8) or an IP address", name, item)
	}
	return out
}

// List returns the comma-separated, trimmed, non-empty items of name; nil when unset.
func (e *Env) List(name string) []string {
	v, ok := e.raw(name)
	if !ok {
		return nil
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// Error lists every configuration problem found at start-up.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid configuration (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p)
	}
	return b.String()
}
