package judge

import (
	"slices"
	"strings"
)

// Team facts: size, C-level roles and experience.

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
	"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
	"once": 11, "doce": 12, "quince": 15, "veinte": 20,
}

var (
	peopleNouns = toSet("people persons personas employees empleados members miembros staff")
	roleNouns   = toSet(`founders founder cofounders cofounder fundadores fundador cofundadores cofundador socios socio
engineers engineer ingenieros developers desarrolladores devs designers disenadores comerciales salespeople programadores`)
	cLevel = map[string]string{"ceo": "CEO", "cto": "CTO", "coo": "COO", "cpo": "CPO", "cfo": "CFO", "cmo": "CMO", "cro": "CRO", "cdo": "CDO"}
	// Phrases that give the size directly.
	teamPhrases = []struct {
		words string
		size  int
	}{
		{"me and my cofounder", 2}, {"me and my co founder", 2}, {"my cofounder and i", 2}, {"my co founder and i", 2},
		{"yo y mi socio", 2}, {"mi socio y yo", 2}, {"yo y mi cofundador", 2}, {"mi cofundador y yo", 2},
		{"yo y mi cofundadora", 2}, {"mi cofundadora y yo", 2}, {"me and my partner", 2},
		{"solo founder", 1}, {"just me", 1}, {"solo yo", 1}, {"fundador en solitario", 1}, {"fundadora en solitario", 1},
	}
	experienceMarkers = toSet("ex experience experiencia former formerly previously background venimos trabajamos worked")
)

func (x *factText) numberAt(i int) int {
	if i < 0 || i >= len(x.toks) {
		return 0
	}
	t := x.toks[i]
	if t.num && len(t.norm) <= 5 {
		n := 0
		for _, c := range t.norm {
			n = n*10 + int(c-'0')
		}
		return n
	}
	return numberWords[t.norm]
}

func (x *factText) team() *Team {
	var t Team
	for _, p := range teamPhrases {
		if strings.Contains(x.folded, " "+p.words+" ") {
			t.Size = p.size
			break
		}
	}
	total, parts := 0, 0
	for i, tok := range x.toks {
		n := x.numberAt(i)
		if n > 0 && n <= maxTeamSize {
			// "team of 5", "equipo de 8"
			if i >= 2 && (x.toks[i-1].norm == "of" || x.toks[i-1].norm == "de") &&
				(x.toks[i-2].norm == "team" || x.toks[i-2].norm == "equipo") && total == 0 {
				total = n
			}
			// "somos 3", "we are 4", "we're 4"
			if i >= 1 && total == 0 && (x.toks[i-1].norm == "somos" || (x.toks[i-1].norm == "are" || x.toks[i-1].norm == "re") && i >= 2 && x.toks[i-2].norm == "we") {
				total = n
			}
			if i+1 < len(x.toks) {
				next := x.toks[i+1].norm
				switch {
				case peopleNouns[next] && total == 0:
					total = n
				case roleNouns[next] || (next == "co" && i+2 < len(x.toks) && roleNouns[x.toks[i+2].norm]):
					parts += n
				case next == "person" || next == "persona":
					if total == 0 {
						total = n // "5-person team"
					}
				}
			}
		}
		if r, ok := cLevel[tok.norm]; ok && !slices.Contains(t.Roles, r) {
			t.Roles = append(t.Roles, r)
		}
		if experienceMarkers[tok.norm] && t.Experience == "" {
			if e := x.phraseFrom(tok.start); runeLen(e) >= 4 {
				t.Experience = truncateRunes(e, 200)
			}
		}
	}
	switch {
	case total > 0:
		t.Size = total
	case parts > 0 && t.Size == 0:
		t.Size = parts
	}
	if t.Size == 0 && len(t.Roles) == 0 && t.Experience == "" {
		return nil
	}
	return &t
}

// phraseFrom returns the text from byte pos to the next comma or clause end.
func (x *factText) phraseFrom(pos int) string {
	end := len(x.text)
	for i := pos; i < len(x.text); i++ {
		if x.text[i] == ',' || isClauseEnd(x.text, i) {
			end = i
			break
		}
	}
	return strings.TrimSpace(x.text[pos:end])
}
