package judge

import (
	"fmt"
	"strings"
)

// A pattern is a small token-level matcher, written as text so that rules and guard terms are data:
//
//	find ... @inv            "find", then within 4 words any alternative of the macro @inv
//	who|quien .. pitch       "who" or "quien", then within 2 words "pitch"
//	^how_much_is             at the start of the message; '_' joins words of one alternative
//	thanks$                  at the end of the message
//	fuck*                    any word starting with "fuck" (prefix match on the folded word)
//	*amos                    any word of 5+ letters ending in "amos" (suffix match on the folded word)
//	@person & at|en|de #Name several sub-patterns joined by " & " must all match (anywhere)
//	#Name                    a capitalised word that does not start a sentence (a fund's name)
//	#num                     a number
//
// Literal words are folded and stemmed like message words, so "Inversores" in a pattern matches
// "inversor" in a message. Matching never looks inside words: "puta" does not match "disputa".
type pattern struct {
	src   string
	parts []seq // all must match
}

type seq struct {
	elems       []element
	anchorStart bool
	anchorEnd   bool
}

type element struct {
	gap  int   // > 0: skip 0..gap words
	alts []alt // otherwise: one of these must match here
	// The same alternatives split for speed: one-word literals in a set, the rest in a list.
	single map[string]bool
	multi  []alt
}

// index splits el.alts into single and multi.
func (el *element) index() {
	for _, a := range el.alts {
		if len(a) == 1 && a[0].kind == atomLit {
			if el.single == nil {
				el.single = map[string]bool{}
			}
			el.single[a[0].s] = true
			continue
		}
		el.multi = append(el.multi, a)
	}
}

type alt []atom // consecutive words

type atomKind uint8

const (
	atomLit atomKind = iota
	atomPrefix
	atomSuffix
	atomName
	atomNum
)

type atom struct {
	kind atomKind
	s    string
}

const (
	longGap  = 4 // "..."
	shortGap = 2 // ".."
)

// compilePattern parses src; macros maps a macro name (without '@') to its alternatives, which use
// the same word syntax (with '_' or spaces joining words).
func compilePattern(src string, macros map[string][]string) (pattern, error) {
	p := pattern{src: src}
	for _, part := range strings.Split(src, " & ") {
		s, err := compileSeq(strings.TrimSpace(part), macros)
		if err != nil {
			return pattern{}, fmt.Errorf("pattern %q: %w", src, err)
		}
		p.parts = append(p.parts, s)
	}
	return p, nil
}

func compileSeq(src string, macros map[string][]string) (seq, error) {
	var s seq
	if strings.HasPrefix(src, "^") {
		s.anchorStart = true
		src = src[1:]
	}
	if strings.HasSuffix(src, "$") {
		s.anchorEnd = true
		src = src[:len(src)-1]
	}
	for _, f := range strings.Fields(src) {
		switch f {
		case "...":
			s.elems = append(s.elems, element{gap: longGap})
			continue
		case "..":
			s.elems = append(s.elems, element{gap: shortGap})
			continue
		}
		var el element
		for _, a := range strings.Split(f, "|") {
			if strings.HasPrefix(a, "@") {
				words, ok := macros[a[1:]]
				if !ok {
					return seq{}, fmt.Errorf("unknown macro %s", a)
				}
				for _, w := range words {
					c, err := compileAlt(w)
					if err != nil {
						return seq{}, fmt.Errorf("macro %s: %w", a, err)
					}
					el.alts = append(el.alts, c)
				}
				continue
			}
			c, err := compileAlt(a)
			if err != nil {
				return seq{}, err
			}
			el.alts = append(el.alts, c)
		}
		if len(el.alts) == 0 {
			return seq{}, fmt.Errorf("empty element %q", f)
		}
		el.index()
		s.elems = append(s.elems, el)
	}
	if len(s.elems) == 0 {
		return seq{}, fmt.Errorf("empty pattern")
	}
	return s, nil
}

// compileAlt compiles one alternative: words joined by '_' or spaces.
func compileAlt(a string) (alt, error) {
	var out alt
	for _, w := range strings.FieldsFunc(a, func(r rune) bool { return r == '_' || r == ' ' }) {
		switch {
		case w == "#Name":
			out = append(out, atom{kind: atomName})
		case w == "#num":
			out = append(out, atom{kind: atomNum})
		case strings.HasPrefix(w, "*") && len(w) > 1:
			f := fold(w[1:])
			if f == "" || strings.Contains(f, " ") {
				return nil, fmt.Errorf("bad suffix %q", w)
			}
			out = append(out, atom{kind: atomSuffix, s: f})
		case strings.HasSuffix(w, "*") && len(w) > 1:
			f := fold(w[:len(w)-1])
			if f == "" || strings.Contains(f, " ") {
				return nil, fmt.Errorf("bad prefix %q", w)
			}
			out = append(out, atom{kind: atomPrefix, s: f})
		default:
			toks := tokenize(w)
			if len(toks) == 0 {
				return nil, fmt.Errorf("no word in %q", w)
			}
			for _, t := range toks {
				out = append(out, atom{kind: atomLit, s: t.stem})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty alternative %q", a)
	}
	return out, nil
}

// match reports whether every part of p matches somewhere in toks.
func (p *pattern) match(toks []token) bool {
	for i := range p.parts {
		if !p.parts[i].match(toks) {
			return false
		}
	}
	return true
}

func (s *seq) match(toks []token) bool {
	last := len(toks)
	if s.anchorStart {
		last = 0
	}
	for start := 0; start <= last && start <= len(toks); start++ {
		if s.matchFrom(toks, 0, start) {
			return true
		}
	}
	return false
}

func (s *seq) matchFrom(toks []token, ei, pos int) bool {
	if ei == len(s.elems) {
		return !s.anchorEnd || pos == len(toks)
	}
	el := &s.elems[ei]
	if el.gap > 0 {
		for k := 0; k <= el.gap && pos+k <= len(toks); k++ {
			if s.matchFrom(toks, ei+1, pos+k) {
				return true
			}
		}
		return false
	}
	if pos < len(toks) && el.single[toks[pos].stem] && s.matchFrom(toks, ei+1, pos+1) {
		return true
	}
	for _, a := range el.multi {
		if n := a.matchAt(toks, pos); n > 0 && s.matchFrom(toks, ei+1, pos+n) {
			return true
		}
	}
	return false
}

// matchAt returns how many tokens a matches at pos, or 0.
func (a alt) matchAt(toks []token, pos int) int {
	if pos+len(a) > len(toks) {
		return 0
	}
	for i, at := range a {
		t := &toks[pos+i]
		switch at.kind {
		case atomLit:
			if t.stem != at.s {
				return 0
			}
		case atomPrefix:
			if !strings.HasPrefix(t.norm, at.s) {
				return 0
			}
		case atomSuffix:
			if len(t.norm) < 5 || !strings.HasSuffix(t.norm, at.s) {
				return 0
			}
		case atomNum:
			if !t.num {
				return 0
			}
		case atomName:
			if !isNameToken(t) {
				return 0
			}
		}
	}
	return len(a)
}

// isNameToken reports whether t looks like part of an organisation's name: capitalised, not the
// first word of a sentence, at least two letters, and not a common acronym (SHA, MVP, CEO) or a word
// that is capitalised for other reasons (places, plan names, stages). Acronyms of three or more
// letters that are not common ones count ("JME Ventures").
func isNameToken(t *token) bool {
	if !t.cap || t.sentStart || len(t.norm) < 2 || t.num {
		return false
	}
	if t.allCaps && (len(t.norm) < 3 || commonAcronyms[t.norm]) {
		return false
	}
	if notNames[t.norm] {
		return false
	}
	if _, ok := cityNames[t.norm]; ok {
		return false
	}
	if _, ok := countryByName[t.norm]; ok {
		return false
	}
	return true
}

// notNames are capitalised words that are not organisation names.
var notNames = map[string]bool{
	"series": true, "serie": true, "seed": true, "pre": true, "pro": true, "free": true, "outreach": true,
	"linkedin": true, "saas": true, "fintech": true, "healthtech": true, "edtech": true, "proptech": true,
	"europe": true, "europa": true, "latam": true, "latinoamerica": true, "america": true, "asia": true,
	"africa": true, "i": true, "ai": true, "ia": true, "ok": true, "google": true, "paypal": true,
	"stripe": true, "gmail": true, "whatsapp": true, "spanish": true, "english": true, "espanol": true,
	"ingles": true, "ceo": true, "cto": true, "mvp": true, "safe": true, "enisa": true, "cdti": true,
	"monday": true, "friday": true, "lunes": true, "viernes": true, "ffff": true, "fff": true,
}

// commonAcronyms are all-capital words that are not organisation names.
var commonAcronyms = toSet(`mrr arr sha mvp ceo cto coo cpo cfo cmo cro cdo safe enisa cdti saas fff vcs usa eeuu gdpr
rgpd kpi kpis cac ltv esop nda llc seo crm api sdk ipo roi faq pdf url ffff nps gtm smb smbs pyme pymes b2b b2c d2c
dtc aws hr rrhh mau dau yoy mom cdmx nyc uae eau`)
