package chat

import (
	"fmt"
	"math"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/agents"
	"github.com/zerobullshit/backend/sidecar/internal/search"
)

// hitOf turns a search result into the agents' summary, with its reasons in the reply language.
func hitOf(r search.Result, lang string) agents.SearchHit {
	h := agents.SearchHit{Kind: r.Kind, Name: r.Name, Headline: r.Headline, Location: r.Location,
		LinkedInURL: r.LinkedInURL, Score: int(math.Round(r.Score))}
	if r.Fund != nil {
		h.Fund = r.Fund.Name
	}
	if h.Headline == "" && r.Title != "" {
		h.Headline = r.Title
	}
	h.Reasons = reasonWords(r.Reasons, lang)
	return h
}

func reasonWords(rs search.Reasons, lang string) []string {
	es := lang == "es"
	var out []string
	say := func(en, sp string, args ...any) {
		if es {
			out = append(out, fmt.Sprintf(sp, args...))
		} else {
			out = append(out, fmt.Sprintf(en, args...))
		}
	}
	if len(rs.SectorsStrong) > 0 {
		say("known for %s", "especializado en %s", strings.Join(rs.SectorsStrong, ", "))
	} else if len(rs.SectorsGeneral) > 0 {
		say("invests in %s", "invierte en %s", strings.Join(rs.SectorsGeneral, ", "))
	} else if len(rs.SectorsRelated) > 0 {
		say("invests in related sectors (%s)", "invierte en sectores afines (%s)", strings.Join(rs.SectorsRelated, ", "))
	}
	switch rs.Stage {
	case "exact":
		say("invests at your stage", "invierte en tu etapa")
	case "adjacent":
		say("invests at a neighbouring stage", "invierte en una etapa cercana")
	}
	switch rs.Geography {
	case "city":
		say("in your city", "en tu ciudad")
	case "country":
		say("in your country", "en tu país")
	case "region":
		say("in your region", "en tu región")
	}
	if rs.CheckSize == "fits" {
		say("ticket fits your round", "su ticket encaja con tu ronda")
	}
	if rs.Service == "match" {
		say("offers the service you need", "ofrece el servicio que buscas")
	}
	if len(rs.SectorsServed) > 0 {
		say("works with %s startups", "trabaja con startups de %s", strings.Join(rs.SectorsServed, ", "))
	}
	return out
}
