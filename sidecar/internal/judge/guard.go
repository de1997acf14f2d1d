package judge

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Guards are the cheap deterministic checks that run before any model call. Build them once with
// NewGuards (compiling the word lists) and share them: they are safe for concurrent use.
type Guards struct {
	cfg       Config
	abuse     termSet
	abuseAim  termSet
	injection termSet
	promo     termSet
}

// termSet is a compiled weighted word list.
type termSet struct {
	set     *patternSet
	weights []float64
}

// NewGuards validates cfg and compiles its word lists.
func NewGuards(cfg Config) (*Guards, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	g := &Guards{cfg: cfg}
	for _, l := range []struct {
		name  string
		terms []Term
		dst   *termSet
	}{
		{"Abuse", cfg.Abuse, &g.abuse}, {"AbuseAim", cfg.AbuseAim, &g.abuseAim},
		{"Injection", cfg.Injection, &g.injection}, {"Promo", cfg.Promo, &g.promo},
	} {
		var ps []pattern
		for _, t := range l.terms {
			src := t.Pattern
			if l.name == "Abuse" || l.name == "AbuseAim" {
				src = squeezeLetters(src) // matched against squeezed words: "fuuuuck" → "fuck"
			}
			p, err := compilePattern(src, nil)
			if err != nil {
				return nil, fmt.Errorf("judge: config %s: %w", l.name, err)
			}
			ps = append(ps, p)
			l.dst.weights = append(l.dst.weights, t.Weight)
		}
		l.dst.set = newPatternSet(ps)
	}
	return g, nil
}

var defaultGuards = sync.OnceValue(func() *Guards {
	g, err := NewGuards(DefaultConfig())
	if err != nil {
		panic(err) // the defaults are constants; guard_test.go compiles them
	}
	return g
})

// Guard runs the default guards (DefaultConfig) on in. See Guards.Check.
func Guard(in Input) (Decision, bool) { return defaultGuards().Check(in) }

// Config returns the configuration the guards were built with.
func (g *Guards) Config() Config { return g.cfg }

// Check runs every guard on in. When a guard settles the message, it returns the final Decision
// and true; no model should be called. Settled decisions are:
//
//   - smalltalk (confidence 1, spam score 0) for empty or whitespace-only input: harmless, and
//     answered with a nudge rather than a curt spam reply (the database rejects such messages
//     anyway, so this only happens when a caller skips that check);
//   - spam, with the combined spam score as confidence, for oversize input, flooding, abuse,
//     prompt injection, link or commercial spam, repeated characters or words and keyboard mashing.
//
// Otherwise it returns false and a partial Decision carrying the detected language and the soft
// spam score and reasons of checks that fired below the threshold; Intent is empty.
// Settled decisions have Mode ModeOffline: no model was involved.
func (g *Guards) Check(in Input) (Decision, bool) {
	text := strings.ToValidUTF8(in.Text, "\uFFFD")
	return g.check(in, text, tokenize(text))
}

// check is Check for a message already made valid UTF-8 and tokenized.
func (g *Guards) check(in Input, text string, toks []token) (Decision, bool) {
	d := Decision{Language: detectLanguageTokens(text, toks, in.History), Mode: ModeOffline}
	if isBlank(text) {
		d.Intent, d.Confidence, d.Reasons = IntentSmalltalk, 1, []string{"guard:empty"}
		return d, true
	}
	if n := runeLen(text); n > g.cfg.MaxChars {
		return g.spam(d, 0.9, fmt.Sprintf("guard:too_long(%d>%d chars)", n, g.cfg.MaxChars)), true
	}
	if in.RecentUserMessages > g.cfg.FloodPerMinute {
		return g.spam(d, 0.9, fmt.Sprintf("guard:flood(%d>%d per minute)", in.RecentUserMessages, g.cfg.FloodPerMinute)), true
	}
	var s signals
	g.scan(text, toks, &s)
	score := s.combined()
	d.SpamScore = round3(score)
	d.Reasons = s.reasons
	if score >= g.cfg.SpamThreshold {
		d.Intent, d.Confidence = IntentSpam, d.SpamScore
		return d, true
	}
	return d, false
}

func (g *Guards) spam(d Decision, score float64, reason string) Decision {
	d.Intent, d.Confidence, d.SpamScore = IntentSpam, score, score
	d.Reasons = []string{reason}
	return d
}

// signals collects the score of each check; checks combine as independent evidence (noisy-or).
type signals struct {
	scores  []float64
	reasons []string
}

func (s *signals) add(name string, score float64) {
	if score <= 0 {
		return
	}
	score = math.Min(score, 1)
	s.scores = append(s.scores, score)
	s.reasons = append(s.reasons, fmt.Sprintf("guard:%s=%.2f", name, score))
}

func (s *signals) combined() float64 {
	keep := 1.0
	for _, v := range s.scores {
		keep *= 1 - v
	}
	return 1 - keep
}

// isBlank reports whether s has nothing but white space and invisible format characters.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// squeezeLetters collapses every run of one repeated letter to a single letter ("fuuuck" → "fuck",
// "gilipollas" → "gilipolas"); other characters are kept.
func squeezeLetters(s string) string {
	doubled := false
	for i := 1; i < len(s) && !doubled; i++ {
		doubled = s[i] == s[i-1] || s[i] >= utf8.RuneSelf
	}
	if !doubled {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	for _, r := range s {
		if r == prev && unicode.IsLetter(r) {
			continue
		}
		prev = r
		b.WriteRune(r)
	}
	return b.String()
}

// squeezeTokens returns copies of toks with squeezed words, for the abuse lists.
func squeezeTokens(toks []token) []token {
	out := make([]token, len(toks))
	for i, t := range toks {
		t.norm = squeezeLetters(t.norm)
		t.stem = stem(t.norm)
		out[i] = t
	}
	return out
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
