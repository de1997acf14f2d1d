package judge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldRune lower-cases r and strips the diacritics that matter for Spanish, Portuguese, French and
// German text (á→a, ñ→n, ü→u, ç→c...). Other runes are only lower-cased.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	r = unicode.ToLower(r)
	switch r {
	case 'á', 'à', 'â', 'ä', 'ã', 'å':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	case 'ó', 'ò', 'ô', 'ö', 'õ':
		return 'o'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold lower-cases s, strips diacritics and turns every run of characters that are neither letters
// nor digits into one space. The result is trimmed: fold("¿Qué es  un SAFE?") == "que es un safe".
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isWordRune(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(foldRune(r))
			continue
		}
		space = true
	}
	return b.String()
}

// token is one word of a message.
type token struct {
	norm      string // folded (lower-case, no diacritics), letter runs of 3+ collapsed to 2
	stem      string // norm with a light plural/suffix stemming, see stem
	start     int    // byte offset of the token in the original text
	end       int
	cap       bool // the original starts with an upper-case letter
	allCaps   bool // two or more letters, all upper-case (an acronym: SHA, MVP, CEO)
	sentStart bool // first token of a sentence (or of the text)
	num       bool // digits only
}

// tokenize splits s into words (maximal runs of letters and digits). Punctuation, symbols and emoji
// separate words and are dropped; . ! ? ¿ ¡ : ; and newlines also start a new sentence.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/5+1)
	sent := true
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch r {
			case '.', '!', '?', '¿', '¡', ':', ';', '\n':
				sent = true
			}
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		word := s[start:i]
		first, _ := utf8.DecodeRuneInString(word)
		n := foldWord(word)
		toks = append(toks, token{
			norm: n, stem: stem(n), start: start, end: i,
			cap: unicode.IsUpper(first), allCaps: isAllCaps(word), sentStart: sent, num: isDigits(n),
		})
		sent = false
	}
	return toks
}

// foldWord folds one word and collapses runs of three or more equal letters to two ("sooooo" →
// "soo", "fuuuck" → "fuuck").
func foldWord(w string) string {
	if plainLower(w) {
		return w // the common case: no allocation
	}
	var b strings.Builder
	b.Grow(len(w))
	var prev rune
	run := 0
	for _, r := range w {
		r = foldRune(r)
		if r == prev && unicode.IsLetter(r) {
			run++
			if run >= 2 {
				continue
			}
		} else {
			run = 0
		}
		prev = r
		b.WriteRune(r)
	}
	return b.String()
}

// plainLower reports whether w is ASCII lower-case letters and digits without a run of three equal
// letters, i.e. already folded.
func plainLower(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			return false
		}
		if i >= 2 && c == w[i-1] && c == w[i-2] && c >= 'a' {
			return false
		}
	}
	return true
}

func isAllCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// stem strips English and Spanish plural endings from a folded word, deliberately lightly:
// "investors" → "investor", "inversores" → "inversor", "agencies" → "agency", "fondos" → "fondo".
// Patterns are stemmed with the same function, so both sides always agree.
func stem(w string) string {
	n := len(w)
	if n < 5 || isDigits(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 5:
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "es") && strings.IndexByte("rlndz", w[n-3]) >= 0 && n > 5:
		return w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case w[n-1] == 's':
		return w[:n-1]
	}
	return w
}

// runeLen counts the runes of s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
