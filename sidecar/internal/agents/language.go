package agents

import (
	"strings"
	"unicode"
)

// Offline replies exist in English and Spanish; every other language is answered in English.
const (
	langEN = "en"
	langES = "es"
)

// offlineLang is the language an offline reply is written in.
func offlineLang(lang string) string {
	if strings.EqualFold(strings.TrimSpace(lang), langES) {
		return langES
	}
	return langEN
}

// msg is a text in both offline languages.
type msg struct{ en, es string }

func (m msg) in(lang string) string {
	if offlineLang(lang) == langES {
		return m.es
	}
	return m.en
}

// pick returns en or es by language.
func pick(lang, en, es string) string { return msg{en, es}.in(lang) }

// DefaultProjectName is the name of a project the chat creates before the founder has named it,
// in the language of the message that created it.
func DefaultProjectName(lang string) string { return pick(lang, "My startup", "Mi startup") }

// languageNames names the languages a model reply may be asked for.
var languageNames = map[string]string{
	"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
	"ca": "Catalan", "nl": "Dutch", "gl": "Galician", "eu": "Basque", "pl": "Polish", "sv": "Swedish",
	"da": "Danish", "no": "Norwegian", "fi": "Finnish", "ro": "Romanian", "el": "Greek", "tr": "Turkish",
	"ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "zh": "Chinese",
	"ja": "Japanese", "ko": "Korean", "id": "Indonesian", "vi": "Vietnamese", "th": "Thai",
}

// languageName is the English name of an ISO 639-1 code, for model instructions.
func languageName(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	if n, ok := languageNames[code]; ok {
		return n
	}
	if len(code) == 2 {
		return "the language with ISO 639-1 code " + code
	}
	return "English"
}

// foldWords lower-cases s, removes accents and punctuation and returns its words joined by single
// spaces, with a space at both ends, for keyword matching.
func foldWords(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToLower(s) {
		if plain, ok := unaccented[r]; ok {
			r = plain
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// keywordHits counts the keywords found in folded (a foldWords result). A keyword is one or more
// folded words; a trailing '*' makes its last word a prefix ("valuat*" matches "valuation").
func keywordHits(folded string, keywords []string) int {
	n := 0
	for _, k := range keywords {
		if hasKeyword(folded, k) {
			n++
		}
	}
	return n
}

func hasKeyword(folded, k string) bool {
	if p, ok := strings.CutSuffix(k, "*"); ok {
		return strings.Contains(folded, " "+p)
	}
	return strings.Contains(folded, " "+k+" ")
}

// unaccented maps the accented letters of Spanish, Portuguese, French, Catalan and German to their
// base letter.
var unaccented = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "áàâäãå", 'e': "éèêë", 'i': "íìîï", 'o': "óòôöõ", 'u': "úùûü", 'n': "ñ", 'c': "ç",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
