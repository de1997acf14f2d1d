package judge

import (
	"math"
	"regexp"
	"strings"
	"unicode"
)

// The content checks behind Guards.Check: injection, abuse, links and promotions, repetition and
// keyboard mashing.

// scan runs the content checks.
func (g *Guards) scan(text string, all []token, s *signals) {
	var urls [][]int
	if strings.Contains(text, ".") {
		urls = urlPattern.FindAllStringIndex(text, -1)
	}
	rest, toks := text, all
	if len(urls) > 0 {
		rest = urlPattern.ReplaceAllString(text, " ")
		toks = tokenize(rest)
	}

	s.add("injection", g.injectionScore(text, toks))
	squeezed := squeezeTokens(toks)
	if a := termScore(g.abuse, squeezed); a > 0 {
		s.add("abuse", a+termScore(g.abuseAim, squeezed))
	}
	s.add("links", g.linkScore(len(urls), len(toks)))
	if p := termScore(g.promo, toks); p > 0 {
		if len(urls) > 0 {
			p += 0.25
		}
		if shouting(rest) {
			p += 0.15
		}
		s.add("promo", p)
	}
	s.add("repeated_chars", g.repeatedCharScore(rest, toks))
	s.add("repeated_words", g.repeatedWordScore(toks))
	s.add("gibberish", g.gibberishScore(rest, toks))
}

// termScore adds the weights of the matching terms, capped at 1.
func termScore(ts termSet, toks []token) float64 {
	sum := 0.0
	for i, ok := range ts.set.match(toks) {
		if ok {
			sum += ts.weights[i]
		}
	}
	return math.Min(sum, 1)
}

var (
	urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|xyz|biz|info|co|es|ai|app|ly|me|top|click|site|online|shop|ru|cn|tk|link|store|dev|tech)\b(?:/[^\s<>"]*)?`)
	// Fake conversation delimiters and chat-template tokens.
	delimiterPattern = regexp.MustCompile(`(?i)</?\s*(?:user|usuario|system|sistema|assistant|asistente|human|humano|instructions?|instrucciones|prompt)\s*>|\[\s*/?\s*(?:system|sistema|inst|admin|assistant|asistente)\s*\]|<\|[a-z_]+\|>|<<\s*/?\s*sys\s*>>|(?m:^\s*#{2,}\s*(?:system|instruction|sistema|instrucciones)\b)|(?m:^\s*(?:system|sistema)\s*:)`)
	danPattern       = regexp.MustCompile(`\bDAN\b`)
)

func (g *Guards) injectionScore(text string, toks []token) float64 {
	score := termScore(g.injection, toks)
	if strings.ContainsAny(text, "<[#:") && delimiterPattern.MatchString(text) {
		score += 0.95
	}
	if strings.Contains(text, "DAN") && danPattern.MatchString(text) {
		score += 0.6
	}
	return math.Min(score, 1)
}

func (g *Guards) linkScore(urls, words int) float64 {
	switch {
	case urls > g.cfg.MaxURLsHard:
		return 0.9
	case urls > g.cfg.MaxURLs && words < g.cfg.URLWordsPerLink*urls:
		return 0.85
	case urls > 0:
		return 0.1
	}
	return 0
}

// shouting reports whether most letters of a longer text are capitals.
func shouting(s string) bool {
	upper, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 12 && upper*10 >= letters*6
}

// repeatedCharScore: letters in runs of one repeated letter ("aaaaa") or in words that are a short
// cycle repeated ("jdjdjdjd", "asdasdasd"; laughter such as "jajajaja" excepted).
func (g *Guards) repeatedCharScore(text string, toks []token) float64 {
	letters, inRuns := 0, 0
	var prev rune
	run := 0
	flush := func() {
		if run >= g.cfg.RepeatedRunLength {
			inRuns += run
		}
	}
	for _, r := range text {
		if !unicode.IsLetter(r) {
			flush()
			run, prev = 0, 0
			continue
		}
		letters++
		r = foldRune(r)
		if r == prev {
			run++
		} else {
			flush()
			run, prev = 1, r
		}
	}
	flush()
	cycles := 0
	for i := range toks {
		if toks[i].end-toks[i].start < 8 {
			continue
		}
		w := strings.Map(foldRune, text[toks[i].start:toks[i].end])
		if cyclic(w) {
			cycles += runeLen(w)
		}
	}
	if letters < g.cfg.RepeatedMinLetters {
		return 0
	}
	if float64(inRuns+cycles) >= g.cfg.RepeatedRunShare*float64(letters) {
		return 0.85
	}
	return 0
}

// cyclic reports whether w (8+ letters) repeats a cycle of 2 or 3 letters, other than laughter.
func cyclic(w string) bool {
	if len(w) < 8 {
		return false
	}
	for p := 2; p <= 3; p++ {
		ok := true
		for i := p; i < len(w); i++ {
			if w[i] != w[i-p] {
				ok = false
				break
			}
		}
		if ok {
			return !(p == 2 && strings.Trim(w, "jhaeiol") == "")
		}
	}
	return false
}

// repeatedWordScore: "buy buy buy buy", "test test test test test".
func (g *Guards) repeatedWordScore(toks []token) float64 {
	n := len(toks)
	if n < g.cfg.RepeatedWordsMin {
		return 0
	}
	counts := make(map[string]int, n)
	maxCount := 0
	for _, t := range toks {
		counts[t.norm]++
		maxCount = max(maxCount, counts[t.norm])
	}
	if len(counts)*3 <= n && maxCount >= 3 {
		return 0.85
	}
	return 0
}

var keyboardRows = []string{"qwertyuiop", "asdfghjkln", "zxcvbnm", "poiuytrewq", "nlkjhgfdsa", "mnbvcxz"}

// Consonant-only words and acronyms that are fine in founder messages.
var consonantWords = map[string]bool{
	"html": true, "http": true, "https": true, "www": true, "nfts": true, "crm": true, "sdk": true,
	"kpis": true, "gdpr": true, "rgpd": true, "cdmx": true, "pfff": true, "pff": true, "hmm": true,
	"hmmm": true, "mmm": true, "psst": true, "shh": true, "brr": true, "grr": true, "zzz": true,
	"tsk": true, "lmfao": true, "wtf": true, "sql": true, "pwa": true, "mvps": true, "ctos": true, "ceos": true,
}

// gibberishScore: keyboard mashing ("asdfghjkl", "sdfkjh wqpo zxcmnv").
func (g *Guards) gibberishScore(text string, toks []token) float64 {
	letters, mashed := 0, 0
	for i := range toks {
		t := &toks[i]
		if t.num || strings.ContainsAny(t.norm, "0123456789") {
			continue
		}
		w := text[t.start:t.end]
		if !plainLower(w) {
			w = strings.Map(foldRune, w)
		}
		n := runeLen(w)
		letters += n
		if n < 4 || (t.allCaps && n <= 5) || consonantWords[w] || consonantWords[t.norm] {
			continue
		}
		if mashWord(w) {
			mashed += n
		}
	}
	if letters < g.cfg.GibberishMinLetters {
		return 0
	}
	if float64(mashed) >= g.cfg.GibberishShare*float64(letters) {
		return 0.8
	}
	return 0
}

func mashWord(w string) bool {
	vowels, run, maxRun := 0, 0, 0
	for _, r := range w {
		if strings.ContainsRune("aeiouy", r) {
			vowels++
			run = 0
			continue
		}
		run++
		maxRun = max(maxRun, run)
	}
	if vowels == 0 || maxRun >= 5 {
		return true
	}
	for _, row := range keyboardRows {
		if strings.Contains(row, w) {
			return true
		}
	}
	return false
}
