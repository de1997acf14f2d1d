package importer

import (
	"fmt"
	"strings"
)

// place is a parsed location.
type place struct {
	text, city, region, country string
}

// continents appear as the last Crunchbase location identifier; they are not countries.
var continents = map[string]bool{
	"europe": true, "europa": true, "north america": true, "south america": true, "latin america": true,
	"america": true, "asia": true, "africa": true, "oceania": true, "middle east": true, "asia-pacific": true,
	"norteamerica": true, "sudamerica": true, "latinoamerica": true, "oriente medio": true, "apac": true, "emea": true,
}

// parseLocation resolves parts (city first, country last) into a place. text is what is stored in
// the location column. An unknown country is an error when there are several parts (the last one is
// meant as a country); a single part that is no country is kept as text only.
func parseLocation(v *vocab, text string, parts []string) (place, error) {
	var ps []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	for len(ps) > 1 && continents[fold(ps[len(ps)-1])] {
		ps = ps[:len(ps)-1]
	}
	if len(ps) == 0 {
		return place{}, nil
	}
	if text == "" {
		text = strings.Join(ps, ", ")
	}
	pl := place{text: text}
	if !lengthOK(pl.text, 300) {
		return place{}, fmt.Errorf("location longer than 300 characters")
	}
	last := ps[len(ps)-1]
	code, ok := v.countryCode(last)
	if !ok {
		if len(ps) == 1 {
			return pl, nil
		}
		return pl, fmt.Errorf("unknown country '%s'", last)
	}
	pl.country = code
	if len(ps) >= 2 {
		pl.city = ps[0]
	}
	if len(ps) >= 3 {
		pl.region = ps[len(ps)-2]
	}
	if !lengthOK(pl.city, 100) || !lengthOK(pl.region, 100) {
		return place{}, fmt.Errorf("city or region longer than 100 characters")
	}
	return pl, nil
}
