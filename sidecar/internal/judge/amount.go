package judge

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// amount is a number found in a message, with its currency, multiplier and percent sign:
// "12k€", "$1.2M", "3.400", "1,5 millones de euros", "20%".
type amount struct {
	value    float64
	currency string // ISO 4217 ("EUR", "USD", "GBP") or ""
	mult     bool   // had a multiplier (k, M, mil, millones...)
	percent  bool
	start    int // byte span in the text, currency and multiplier included
	end      int
}

// money reports whether the amount reads as money (a currency or a multiplier).
func (a amount) money() bool { return !a.percent && (a.currency != "" || a.mult) }

var multipliers = []struct {
	word string
	mult float64
}{
	// Longest first; matched case-insensitively and only when followed by a non-letter.
	{"millones", 1e6}, {"millions", 1e6}, {"million", 1e6}, {"millón", 1e6}, {"millon", 1e6},
	{"thousand", 1e3}, {"billion", 1e9}, {"mil", 1e3}, {"mm", 1e6}, {"mn", 1e6}, {"bn", 1e9},
	{"k", 1e3}, {"m", 1e6},
}

var currencyWords = []struct {
	word string
	code string
}{
	{"dólares", "USD"}, {"dolares", "USD"}, {"dollars", "USD"}, {"dollar", "USD"}, {"usd", "USD"},
	{"euros", "EUR"}, {"euro", "EUR"}, {"eur", "EUR"}, {"libras", "GBP"}, {"pounds", "GBP"}, {"gbp", "GBP"},
}

func currencySymbol(r rune) string {
	switch r {
	case '€':
		return "EUR"
	case '$':
		return "USD"
	case '£':
		return "GBP"
	}
	return ""
}

// scanAmounts finds the numbers in text.
func scanAmounts(text string) []amount {
	var out []amount
	for i := 0; i < len(text); {
		c := text[i]
		if c < '0' || c > '9' || (i > 0 && isWordByteBefore(text, i)) {
			i++
			continue
		}
		a, next := parseAmountAt(text, i)
		out = append(out, a)
		i = next
	}
	return out
}

// isWordByteBefore reports whether the rune before i is a letter or digit (so "B2B" or "web3" are
// not numbers).
func isWordByteBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func parseAmountAt(text string, i int) (amount, int) {
	a := amount{start: i}
	j := i
	for j < len(text) {
		c := text[j]
		if c >= '0' && c <= '9' {
			j++
			continue
		}
		if (c == '.' || c == ',') && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9' {
			j++
			continue
		}
		break
	}
	raw := text[i:j]
	// Currency before the number: "$1.2M", "€ 500k", "US$ 2M", "USD 500k".
	before := strings.TrimRight(text[:i], " ")
	if r, size := utf8.DecodeLastRuneInString(before); currencySymbol(r) != "" {
		a.currency = currencySymbol(r)
		a.start = len(before) - size
	} else if lb := strings.ToLower(before); strings.HasSuffix(lb, "usd") || strings.HasSuffix(lb, "eur") || strings.HasSuffix(lb, "gbp") {
		if len(lb) == 3 || !unicode.IsLetter(rune(lb[len(lb)-4])) {
			a.currency = strings.ToUpper(lb[len(lb)-3:])
			a.start = len(before) - 3
		}
	}
	// After: percent, multiplier, currency ("12k€", "1,5 millones de euros", "40.000 euros", "20 %").
	k := skipSpaces(text, j, 1)
	mult := 1.0
	if strings.HasPrefix(text[k:], "%") {
		a.percent = true
		j = k + 1
	} else if w, n := wordAt(text, k); n > 0 && (strings.EqualFold(w, "por") || strings.EqualFold(w, "percent")) {
		if strings.EqualFold(w, "percent") {
			a.percent, j = true, k+n
		} else if w2, n2 := wordAt(text, skipSpaces(text, k+n, 1)); strings.EqualFold(w2, "ciento") {
			a.percent, j = true, skipSpaces(text, k+n, 1)+n2
		}
	} else {
		for _, m := range multipliers {
			if hasWordPrefixFold(text[k:], m.word) {
				mult, a.mult = m.mult, true
				j = k + len(m.word)
				break
			}
		}
		// "M€", "k$": symbol right after; "millones de euros", "500k USD".
		k = skipSpaces(text, j, 1)
		if r, size := utf8.DecodeRuneInString(text[k:]); currencySymbol(r) != "" {
			if a.currency == "" {
				a.currency = currencySymbol(r)
			}
			j = k + size
		} else {
			kk := k
			if w, n := wordAt(text, kk); n > 0 && strings.EqualFold(w, "de") && a.mult {
				kk = skipSpaces(text, kk+n, 1)
			}
			for _, cw := range currencyWords {
				if hasWordPrefixFold(text[kk:], cw.word) {
					if a.currency == "" {
						a.currency = cw.code
					}
					j = kk + len(cw.word)
					break
				}
			}
		}
	}
	a.value = parseLocaleNumber(raw, a.mult) * mult
	a.end = j
	return a, max(j, i+1)
}

func skipSpaces(text string, i, limit int) int {
	for n := 0; i < len(text) && text[i] == ' ' && n < limit; n++ {
		i++
	}
	return i
}

// wordAt returns the letter run at text[i:] and its byte length.
func wordAt(text string, i int) (string, int) {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += size
	}
	return text[i:j], j - i
}

// hasWordPrefixFold reports whether s starts with word (case-insensitive) followed by a non-letter.
func hasWordPrefixFold(s, word string) bool {
	if len(s) < len(word) || !strings.EqualFold(s[:len(word)], word) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[len(word):])
	return len(s) == len(word) || !unicode.IsLetter(r)
}

// parseLocaleNumber reads "3.400" and "3,400" as 3400, "1.2" and "1,5" as decimals, "1.250.000" as
// 1250000 and "1,234.56" as 1234.56. With a multiplier ("1.250M") a single separator is decimal.
func parseLocaleNumber(raw string, mult bool) float64 {
	dots, commas := strings.Count(raw, "."), strings.Count(raw, ",")
	var clean string
	switch {
	case dots > 0 && commas > 0:
		dec := strings.LastIndexAny(raw, ".,")
		clean = strings.NewReplacer(".", "", ",", "").Replace(raw[:dec]) + "." + raw[dec+1:]
	case dots+commas > 1:
		clean = strings.NewReplacer(".", "", ",", "").Replace(raw)
	case dots+commas == 1:
		sep := strings.IndexAny(raw, ".,")
		if len(raw)-sep-1 == 3 && !mult {
			clean = raw[:sep] + raw[sep+1:]
		} else {
			clean = raw[:sep] + "." + raw[sep+1:]
		}
	default:
		clean = raw
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return 0
	}
	return f
}
