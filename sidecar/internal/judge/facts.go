package judge

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ProjectFacts are facts about a founder's startup, in the shape and vocabularies of the projects
// table. Every field is optional; the zero value (empty string, 0, nil) means "not stated".
type ProjectFacts struct {
	Name            string   `json:"name,omitempty"`             // the startup's name as the founder writes it, ≤ 100 characters
	Categories      []string `json:"categories,omitempty"`       // sector ids (public.sectors.id)
	Stage           string   `json:"stage,omitempty"`            // funding_stage
	Country         string   `json:"country,omitempty"`          // ISO 3166-1 alpha-2, upper-case
	City            string   `json:"city,omitempty"`             // free text, ≤ 100 characters
	BusinessModel   string   `json:"business_model,omitempty"`   // free text, ≤ 2000 characters
	TargetMarket    string   `json:"target_market,omitempty"`    // free text, ≤ 2000 characters
	Metrics         *Metrics `json:"metrics,omitempty"`          // projects.metrics
	Team            *Team    `json:"team,omitempty"`             // projects.team
	Problem         string   `json:"problem,omitempty"`          // free text, ≤ 5000 characters
	ProductStatus   string   `json:"product_status,omitempty"`   // product_status
	PreviousFunding string   `json:"previous_funding,omitempty"` // free text, ≤ 2000 characters
	FundingAskUSD   int64    `json:"funding_ask_usd,omitempty"`  // 1 … 10,000,000,000
}

// Metrics mirrors the projects.metrics JSON object. Amounts are in the currency the founder used
// (Currency, ISO 4217, when stated); 0 means unknown.
type Metrics struct {
	ARR          float64 `json:"arr,omitempty"`
	MRR          float64 `json:"mrr,omitempty"`
	Users        int64   `json:"users,omitempty"`   // users, customers or students, whichever the founder counts
	Revenue      float64 `json:"revenue,omitempty"` // yearly revenue
	GrowthRate   float64 `json:"growth_rate,omitempty"`
	GrowthPeriod string  `json:"growth_period,omitempty"` // "monthly" or "yearly": the period of GrowthRate (percent)
	BurnRate     float64 `json:"burn_rate,omitempty"`     // net burn per month
	RunwayMonths float64 `json:"runway_months,omitempty"`
	Currency     string  `json:"currency,omitempty"`
}

// Team mirrors the projects.team JSON object.
type Team struct {
	Size       int      `json:"size,omitempty"`
	Roles      []string `json:"roles,omitempty"`
	Experience string   `json:"experience,omitempty"`
}

// Limits shared with the projects table's check constraints.
const (
	maxCategories     = 10
	maxNameLen        = 100
	maxCityLen        = 100
	maxLongTextLen    = 2000
	maxProblemLen     = 5000
	maxFundingAskUSD  = 10_000_000_000
	maxJSONFactBytes  = 16384
	maxRoles          = 20
	maxRoleLen        = 60
	maxTeamSize       = 1_000_000
	maxGrowthPercent  = 100_000
	minGrowthPercent  = -100
	maxMetricAmount   = 1e13
	maxCurrencyLength = 3
)

// FieldError is one fact that failed validation.
type FieldError struct {
	Field  string // JSON name, e.g. "stage" or "metrics.mrr"
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// ErrInvalidFacts wraps every validation failure: errors.Is(err, ErrInvalidFacts).
var ErrInvalidFacts = errors.New("judge: invalid project facts")

// IsZero reports whether no fact is set.
func (f ProjectFacts) IsZero() bool {
	return f.Name == "" && len(f.Categories) == 0 && f.Stage == "" && f.Country == "" && f.City == "" &&
		f.BusinessModel == "" && f.TargetMarket == "" && f.Metrics == nil && f.Team == nil &&
		f.Problem == "" && f.ProductStatus == "" && f.PreviousFunding == "" && f.FundingAskUSD == 0
}

// Count returns how many fact groups are set (categories, stage, place, business model, target
// market, metrics, team, problem, product status, previous funding, funding ask). The name is not
// counted: naming the startup says little about what the message asks for.
func (f ProjectFacts) Count() int {
	n := 0
	for _, set := range []bool{
		len(f.Categories) > 0, f.Stage != "", f.Country != "" || f.City != "", f.BusinessModel != "",
		f.TargetMarket != "", f.Metrics != nil, f.Team != nil, f.Problem != "", f.ProductStatus != "",
		f.PreviousFunding != "", f.FundingAskUSD != 0,
	} {
		if set {
			n++
		}
	}
	return n
}

// Validate rejects anything the database would reject or that lies outside the vocabularies:
// unknown sector ids (labels are not accepted: normalise with SectorID first), stages, product
// statuses or country codes, over-long texts, control characters, negative or absurd numbers. The
// error wraps ErrInvalidFacts and joins one *FieldError per problem.
func (f ProjectFacts) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if len(f.Categories) > maxCategories {
		bad("categories", "%d sectors, at most %d", len(f.Categories), maxCategories)
	}
	for i, c := range f.Categories {
		if !IsSector(c) {
			bad(fmt.Sprintf("categories[%d]", i), "unknown sector id %q", c)
		} else if slices.Index(f.Categories, c) != i {
			bad(fmt.Sprintf("categories[%d]", i), "duplicate sector %q", c)
		}
	}
	if f.Stage != "" && !slices.Contains(fundingStages, f.Stage) {
		bad("stage", "unknown funding stage %q (want one of %s)", f.Stage, strings.Join(fundingStages, ", "))
	}
	if f.Country != "" && !IsCountry(f.Country) {
		bad("country", "unknown ISO 3166-1 alpha-2 code %q", f.Country)
	}
	if f.ProductStatus != "" && !slices.Contains(productStatuses, f.ProductStatus) {
		bad("product_status", "unknown product status %q (want one of %s)", f.ProductStatus, strings.Join(productStatuses, ", "))
	}
	checkText := func(field, v string, limit int) {
		if v == "" {
			return
		}
		if msg := textProblem(v, limit); msg != "" {
			bad(field, "%s", msg)
		}
	}
	if f.Name != "" && strings.ContainsAny(f.Name, "\n\r\t") {
		bad("name", "more than one line")
	} else {
		checkText("name", f.Name, maxNameLen)
	}
	checkText("city", f.City, maxCityLen)
	checkText("business_model", f.BusinessModel, maxLongTextLen)
	checkText("target_market", f.TargetMarket, maxLongTextLen)
	checkText("problem", f.Problem, maxProblemLen)
	checkText("previous_funding", f.PreviousFunding, maxLongTextLen)
	if f.FundingAskUSD < 0 || f.FundingAskUSD > maxFundingAskUSD {
		bad("funding_ask_usd", "%d is outside 1..%d", f.FundingAskUSD, int64(maxFundingAskUSD))
	}
	if m := f.Metrics; m != nil {
		for _, a := range []struct {
			name string
			v    float64
		}{{"arr", m.ARR}, {"mrr", m.MRR}, {"revenue", m.Revenue}, {"burn_rate", m.BurnRate}, {"runway_months", m.RunwayMonths}} {
			if math.IsNaN(a.v) || a.v < 0 || a.v > maxMetricAmount {
				bad("metrics."+a.name, "%v is not an amount between 0 and %g", a.v, maxMetricAmount)
			}
		}
		if m.Users < 0 {
			bad("metrics.users", "%d is negative", m.Users)
		}
		if math.IsNaN(m.GrowthRate) || m.GrowthRate < minGrowthPercent || m.GrowthRate > maxGrowthPercent {
			bad("metrics.growth_rate", "%v%% is outside %d..%d", m.GrowthRate, minGrowthPercent, maxGrowthPercent)
		}
		switch m.GrowthPeriod {
		case "", "monthly", "yearly":
		default:
			bad("metrics.growth_period", "%q is not monthly or yearly", m.GrowthPeriod)
		}
		if m.Currency != "" && !isCurrencyCode(m.Currency) {
			bad("metrics.currency", "%q is not an ISO 4217 code", m.Currency)
		}
		if b, err := json.Marshal(m); err == nil && len(b) > maxJSONFactBytes {
			bad("metrics", "%d bytes, at most %d", len(b), maxJSONFactBytes)
		}
	}
	if t := f.Team; t != nil {
		if t.Size < 0 || t.Size > maxTeamSize {
			bad("team.size", "%d is outside 0..%d", t.Size, maxTeamSize)
		}
		if len(t.Roles) > maxRoles {
			bad("team.roles", "%d roles, at most %d", len(t.Roles), maxRoles)
		}
		for i, r := range t.Roles {
			if strings.TrimSpace(r) == "" {
				bad(fmt.Sprintf("team.roles[%d]", i), "empty role")
			} else if msg := textProblem(r, maxRoleLen); msg != "" {
				bad(fmt.Sprintf("team.roles[%d]", i), "%s", msg)
			}
		}
		checkText("team.experience", t.Experience, maxLongTextLen)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalidFacts, errors.Join(errs...))
}

// textProblem describes why v cannot be stored in a text column of at most limit characters, or
// returns "".
func textProblem(v string, limit int) string {
	if !utf8.ValidString(v) {
		return "not valid UTF-8"
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return fmt.Sprintf("%d characters, at most %d", n, limit)
	}
	if strings.TrimSpace(v) == "" {
		return "blank"
	}
	for _, r := range v {
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') {
			return fmt.Sprintf("contains control character %U", r)
		}
	}
	return ""
}

func isCurrencyCode(s string) bool {
	if len(s) != maxCurrencyLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Validate checks a decision before it is trusted (typically one parsed from model output): a
// known intent, confidence and spam score in [0,1], a two-letter lower-case language and valid facts.
func (d Decision) Validate() error {
	var errs []error
	if !d.Intent.Valid() {
		errs = append(errs, fmt.Errorf("unknown intent %q", d.Intent))
	}
	if math.IsNaN(d.Confidence) || d.Confidence < 0 || d.Confidence > 1 {
		errs = append(errs, fmt.Errorf("confidence %v outside [0,1]", d.Confidence))
	}
	if math.IsNaN(d.SpamScore) || d.SpamScore < 0 || d.SpamScore > 1 {
		errs = append(errs, fmt.Errorf("spam_score %v outside [0,1]", d.SpamScore))
	}
	if !isLanguageCode(d.Language) {
		errs = append(errs, fmt.Errorf("language %q is not an ISO 639-1 code", d.Language))
	}
	if err := d.Facts.Validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("judge: invalid decision: %w", errors.Join(errs...))
}

func isLanguageCode(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}
