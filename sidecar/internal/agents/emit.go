package agents

import (
	"strings"
	"unicode/utf8"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// offline finishes an offline reply: contacts masked, length bounded, streamed in paragraphs.
func offline(r Request, s Stream, text string) Reply {
	return deliver(s, finish(r.Language, text, MaxReplyChars))
}

// finish masks contact details, trims and bounds text to limit characters (0: no bound).
func finish(lang, text string, limit int) string {
	text = strings.TrimSpace(maskContacts(text, lang))
	if limit > 0 {
		text = clip(text, limit)
	}
	return text
}

// deliver streams text to s (when set) in paragraph pieces whose concatenation is text, and returns
// it as an offline Reply.
func deliver(s Stream, text string) Reply {
	if s != nil {
		for _, p := range chunks(text) {
			s(p)
		}
	}
	return Reply{Text: text, Mode: judge.ModeOffline}
}

// chunks splits text after each blank line; the pieces concatenate back to text.
func chunks(text string) []string {
	var out []string
	for text != "" {
		i := strings.Index(text, "\n\n")
		if i < 0 {
			out = append(out, text)
			break
		}
		out = append(out, text[:i+2])
		text = text[i+2:]
	}
	return out
}

// clip bounds text to limit characters: whole paragraphs first, then (for an over-long first
// paragraph) whole lines and words, ending with "…".
func clip(text string, limit int) string {
	if utf8.RuneCountInString(text) <= limit {
		return text
	}
	paras := strings.Split(text, "\n\n")
	var kept []string
	n := 0
	for _, p := range paras {
		l := utf8.RuneCountInString(p)
		if n+l+2 > limit {
			break
		}
		kept = append(kept, p)
		n += l + 2
	}
	if len(kept) > 0 {
		return strings.Join(kept, "\n\n")
	}
	r := []rune(text)[:limit-1]
	cut := strings.LastIndexAny(string(r), " \n")
	s := string(r)
	if cut > limit/2 {
		s = s[:cut]
	}
	return strings.TrimSpace(s) + "…"
}

// truncate shortens s to n characters with "…".
func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}
