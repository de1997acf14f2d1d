package agents

import (
	"regexp"
	"strings"
)

// Replies never carry contact details: e-mail addresses and phone numbers are masked wherever they
// come from (a scraped headline, the model, the user's own text echoed back).

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// phoneCandidate finds digit runs with phone-like separators; isPhone decides.
	phoneCandidate = regexp.MustCompile(`\+?\(?\d[\d ().\-]{6,}\d`)
)

// maskContacts replaces e-mail addresses and phone numbers in s.
// The patterns run only on text that could hold a match: most replies have no '@' and fewer
// digits than the shortest phone number.
func maskContacts(s, lang string) string {
	email := strings.IndexByte(s, '@') >= 0
	phone := asciiDigits(s) >= minPhoneDigits
	if !email && !phone {
		return s
	}
	hidden := pick(lang, "[hidden]", "[oculto]")
	if email {
		s = emailPattern.ReplaceAllString(s, hidden)
	}
	if !phone {
		return s
	}
	return phoneCandidate.ReplaceAllStringFunc(s, func(m string) string {
		if isPhone(m) {
			return hidden
		}
		return m
	})
}

// Digits in a phone number (isPhone).
const minPhoneDigits, maxPhoneDigits = 9, 15

// asciiDigits counts the bytes of s that are ASCII digits: a cheap test of whether the phone
// pattern could match at all.
func asciiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// isPhone tells a phone number ("+34 600 000 000", "(555) 123-4567") from an amount or a range
// ("1.500.000", "2023-2024"): 9 to 15 digits, and either a leading '+' or space, dash or
// parenthesis separators.
func isPhone(m string) bool {
	if digits := asciiDigits(m); digits < minPhoneDigits || digits > maxPhoneDigits {
		return false
	}
	if strings.HasPrefix(m, "+") {
		return true
	}
	return strings.ContainsAny(m, " -()")
}

// maskingStream forwards deltas to out with contact details masked. It holds back the text after
// the last space (an address or number may continue in the next delta), and a trailing run of
// digits and separators (a phone number written with spaces).
type maskingStream struct {
	out     Stream
	lang    string
	pending strings.Builder
	sent    bool // out has received text
}

func (m *maskingStream) write(delta string) {
	if m.out == nil || delta == "" {
		return
	}
	m.pending.WriteString(delta)
	p := m.pending.String()
	cut := strings.LastIndexAny(p, " \n\t")
	if cut < 0 {
		return
	}
	cut = phoneSafeCut(p, cut)
	if cut <= 0 {
		return
	}
	m.emit(p[:cut])
	rest := p[cut:]
	m.pending.Reset()
	m.pending.WriteString(rest)
}

// phoneSafeCut moves cut back to the start of a run of digits and phone separators ending there.
func phoneSafeCut(p string, cut int) int {
	i := cut
	digit := false
	for i > 0 {
		c := p[i-1]
		if c >= '0' && c <= '9' {
			digit = true
		} else if !strings.ContainsRune("+ ().-", rune(c)) {
			break
		}
		i--
	}
	if digit {
		return i
	}
	return cut
}

func (m *maskingStream) flush() {
	if m.out == nil || m.pending.Len() == 0 {
		return
	}
	m.emit(m.pending.String())
	m.pending.Reset()
}

func (m *maskingStream) emit(s string) {
	if s == "" {
		return
	}
	m.sent = true
	m.out(maskContacts(s, m.lang))
}
