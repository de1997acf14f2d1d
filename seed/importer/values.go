package importer

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// blank reports whether a cell carries no value (exports write NaN, None, null or n/a for missing).
func blank(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "nan", "none", "null", "n/a", "na", "-":
		return true
	}
	return false
}

// clean trims a cell and maps the blank spellings to "".
func clean(s string) string {
	if blank(s) {
		return ""
	}
	return strings.TrimSpace(s)
}

var errListLiteral = errors.New("invalid list literal")

// parseList reads a list cell: a Python list literal ("['fintech', 'saas']", "[]", with single or
// double quotes and backslash escapes) or a plain comma/semicolon-separated string. Items come back
// trimmed, without empties.
func parseList(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if blank(s) {
		return nil, nil
	}
	if !strings.HasPrefix(s, "[") {
		var out []string
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
			if p := strings.Trim(strings.TrimSpace(part), `"'`); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	}
	return parsePyList(s)
}

func parsePyList(s string) ([]string, error) {
	var out []string
	i := 1 // after '['
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	for {
		skip()
		if i >= len(s) {
			return nil, fmt.Errorf("%w: missing ']'", errListLiteral)
		}
		if s[i] == ']' {
			i++
			break
		}
		var item string
		switch q := s[i]; q {
		case '\'', '"':
			i++
			var b strings.Builder
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					switch n := s[i+1]; n {
					case 'n', 't', 'r':
						b.WriteByte(' ')
					default:
						b.WriteByte(n)
					}
					i += 2
					continue
				}
				if c == q {
					closed = true
					i++
					break
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return nil, fmt.Errorf("%w: unterminated string", errListLiteral)
			}
			item = b.String()
		case '[':
			return nil, fmt.Errorf("%w: nested lists are not supported", errListLiteral)
		default: // bare word: None, numbers, or unquoted text
			start := i
			for i < len(s) && s[i] != ',' && s[i] != ']' {
				i++
			}
			item = strings.TrimSpace(s[start:i])
			if item == "None" {
				item = ""
			}
		}
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
		skip()
		if i < len(s) && s[i] == ',' {
			i++
			continue
		}
		if i < len(s) && s[i] == ']' {
			i++
			break
		}
		if i >= len(s) {
			return nil, fmt.Errorf("%w: missing ']'", errListLiteral)
		}
		return nil, fmt.Errorf("%w: expected ',' or ']' at position %d", errListLiteral, i+1)
	}
	skip()
	if i != len(s) {
		return nil, fmt.Errorf("%w: unexpected text after ']'", errListLiteral)
	}
	return out, nil
}

var decimalRe = regexp.MustCompile(`^[+-]?(\d+([.,]\d*)?|[.,]\d+)$`)

// parseCenti parses a decimal with ',' or '.' as separator into hundredths, rounding half away from
// zero like numeric(_, 2) does.
func parseCenti(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if !decimalRe.MatchString(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	frac += "000"
	f, _ := strconv.ParseInt(frac[:2], 10, 64)
	v := w*100 + f
	if frac[2] >= '5' {
		v++
	}
	if neg {
		v = -v
	}
	return v, nil
}

// centiString renders hundredths as a numeric literal ("72.50").
func centiString(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

type linkedInKind int

const (
	linkedInPerson linkedInKind = iota
	linkedInOrg
)

// normalizeLinkedIn rewrites a LinkedIn URL to the canonical form the CHECK constraints accept:
// https://www.linkedin.com/in/<slug> for people, /company|school|showcase/<slug> for organisations.
// Trailing sub-pages (/details/..., /about) are dropped. The error says what is wrong.
func normalizeLinkedIn(raw string, kind linkedInKind) (string, error) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "https://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("not an http(s) URL")
	}
	host := strings.ToLower(u.Hostname())
	if host != "linkedin.com" && !strings.HasSuffix(host, ".linkedin.com") {
		return "", errors.New("not a linkedin.com address")
	}
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(parts) < 2 || parts[1] == "" {
		return "", errors.New("expected /in/<name> or /company/<name>")
	}
	section := strings.ToLower(parts[0])
	switch kind {
	case linkedInPerson:
		if section != "in" {
			return "", errors.New("not a personal profile (/in/...)")
		}
	case linkedInOrg:
		if section != "company" && section != "school" && section != "showcase" {
			return "", errors.New("not a company page (/company/...)")
		}
	}
	return "https://www.linkedin.com/" + section + "/" + strings.ToLower(parts[1]), nil
}

var emailRe = regexp.MustCompile(`^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$`)

func validEmail(s string) bool { return emailRe.MatchString(s) }

// normalizeWebsite adds https:// to a bare domain and checks there is a host.
func normalizeWebsite(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(strings.ToLower(s), "http://") && !strings.HasPrefix(strings.ToLower(s), "https://") {
		s = "https://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil || !strings.Contains(u.Hostname(), ".") || strings.ContainsAny(u.Hostname(), " ,") {
		return "", errors.New("invalid website")
	}
	return s, nil
}

// lengthOK checks a text against a CHECK (char_length(x) <= n).
func lengthOK(s string, n int) bool { return utf8.RuneCountInString(s) <= n }
