package judge

import (
	"regexp"
	"strings"
)

// The startup's name, in the few ways founders introduce it. The cue is matched in any case; the
// name is up to four words, each starting with an upper-case letter or a digit, optionally quoted.
const (
	nameWordPattern = `[\p{Lu}0-9][\p{L}\p{N}&'’.\-]*`
	namePattern     = `["“«']?(` + nameWordPattern + `(?:[ \t]+` + nameWordPattern + `){0,3})["”»']?`
	nameStart       = `(?:^|[\s¡¿(,;:])`
)

var (
	// "Somos Verdana Pay, una fintech…", "We are Acme, a seed-stage…": a self-introduction only when
	// the name is followed by a comma and an article, so "we are Spanish founders" is not a name.
	introducedNameRe = regexp.MustCompile(nameStart + `(?i:somos|we are|we're|we’re)[ \t]+` + namePattern +
		`[ \t]*,[ \t]*(?i:una|un|a|an|the|el|la)[ \t]`)
	// "nos llamamos Acme", "nuestra startup se llama Acme", "our company is called Acme".
	calledNameRe = regexp.MustCompile(nameStart + `(?i:nos llamamos|we are called|we're called|we’re called|` +
		`(?:mi|nuestra) (?:startup|empresa|compañía|compania) se llama|` +
		`(?:mi|nuestro) (?:proyecto|negocio) se llama|` +
		`(?:our|my) (?:startup|company|project|business) is (?:called|named))[ \t]+` + namePattern)
)

// notStartupNames are capitalised words that follow "we are"/"somos" without being a name.
var notStartupNames = map[string]bool{
	"spanish": true, "english": true, "french": true, "german": true, "italian": true, "portuguese": true,
	"american": true, "british": true, "mexican": true, "argentinian": true, "colombian": true, "chilean": true,
	"european": true, "latam": true, "yc": true, "founders": true, "fundadores": true, "startup": true,
	"series": true, "serie": true, "seed": true, "pre seed": true, "b2b": true, "b2c": true, "saas": true,
}

// startupName returns the name the text gives the founder's startup, or "".
func startupName(text string) string {
	for _, re := range []*regexp.Regexp{calledNameRe, introducedNameRe} {
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		name := strings.TrimRight(m[1], ".’'-")
		if isPlainName(name) {
			return name
		}
	}
	return ""
}

// isPlainName rejects what the vocabularies already mean: a place, a sector, a stage, a nationality.
func isPlainName(name string) bool {
	f := fold(name)
	if f == "" || runeLen(name) > maxNameLen || notStartupNames[f] || notStartupNames[strings.Fields(f)[0]] {
		return false
	}
	if _, ok := SectorID(name); ok {
		return false
	}
	if _, ok := CountryCode(name); ok {
		return false
	}
	if _, ok := cityNames[f]; ok {
		return false
	}
	if _, ok := ParseStage(name); ok {
		return false
	}
	return true
}
