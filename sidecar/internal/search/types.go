package search

import (
	"encoding/json"
	"time"
)

// Kind is what a search looks for.
type Kind string

// The kinds of search (search_results.kind).
const (
	Investors Kind = "investors" // angels and funds, each fund with its best people
	Employees Kind = "employees" // the people of one fund
	Companies Kind = "companies" // service companies for startups
)

// Valid reports whether k is one of the kinds of search.
func (k Kind) Valid() bool { return k == Investors || k == Employees || k == Companies }

// Result kinds (Result.Kind) and the investor kinds feedback accepts.
const (
	KindAngel        = "angel"
	KindFund         = "fund"
	KindFundEmployee = "fund_employee"
	KindCompany      = "company"
)

// Criteria say what to look for. Every field is optional; the database validates and normalises them
// (sector labels and synonyms in English or Spanish become ids, "Serie A" becomes series_a, "España" ES)
// and refuses unknown sectors, stages or countries with ErrInvalid. Query is free text ("climate fintech
// in LatAm", "abogados para startups"): sectors, stage, place, investor kind and service named in it are
// read out, the remaining words are matched against names, headlines and descriptions.
type Criteria struct {
	Categories    []string `json:"categories,omitempty"`
	Stage         string   `json:"stage,omitempty"`
	Country       string   `json:"country,omitempty"`
	Region        string   `json:"region,omitempty"` // europe, latam, north_america, ...
	City          string   `json:"city,omitempty"`
	FundingAskUSD int64    `json:"funding_ask_usd,omitempty"`
	Query         string   `json:"query,omitempty"`
	// Kinds limits an investor search to "angel" and/or "fund" (default both).
	Kinds []string `json:"kinds,omitempty"`
	// ExcludeContacted (default true) leaves out investors the user marked as contacted.
	ExcludeContacted *bool    `json:"exclude_contacted,omitempty"`
	MinScore         *float64 `json:"min_score,omitempty"`
	// Services are companies.service_category slugs (legal, accounting, marketing, ...) for company searches.
	Services []string `json:"services,omitempty"`
	// FundID or Fund (a name) say whose people an employee search ranks.
	FundID string `json:"fund_id,omitempty"`
	Fund   string `json:"fund,omitempty"`
}

// NormalizedCriteria are the criteria as the database understood them.
type NormalizedCriteria struct {
	Criteria
	ProjectID string `json:"project_id,omitempty"`
	// Terms are the words of Query left for text matching.
	Terms []string `json:"terms,omitempty"`
}

// Request is one search.
type Request struct {
	// ProjectID, when set, supplies the criteria's defaults (sectors, stage, place, funding ask); explicit
	// criteria override them. Only Client.Search uses it (the project must belong to the user).
	ProjectID string
	Criteria  Criteria
	// Limit is the page size; Client.Search caps it at the user's plan (0: the plan's limit).
	Limit  int
	Offset int
	// RequestID makes a search idempotent: the same id again returns the recorded search, charged once.
	RequestID string
	// FundID is the fund of an employee search (or Criteria.FundID / Criteria.Fund).
	FundID string
}

// Response is a ranked page.
type Response struct {
	SearchID     string             `json:"search_id,omitempty"`
	Kind         Kind               `json:"kind,omitempty"`
	ProjectID    string             `json:"project_id,omitempty"`
	Criteria     NormalizedCriteria `json:"criteria"`
	Results      []Result           `json:"results"`
	ResultCount  int                `json:"result_count"`
	TotalMatches int                `json:"total_matches"`
	Limit        int                `json:"limit"`
	Offset       int                `json:"offset"`
	// Fund is the fund of an employee search.
	Fund *FundRef `json:"fund,omitempty"`
	// Plan and Credits are set by Client.Search.
	Plan       *Plan      `json:"plan,omitempty"`
	Credits    *Credits   `json:"credits,omitempty"`
	DurationMS int        `json:"duration_ms,omitempty"`
	CreatedAt  *time.Time `json:"created_at,omitempty"`
	// Replayed is true when the request id had been seen: this is the recorded search, not charged again.
	Replayed bool `json:"replayed,omitempty"`

	// Raw is the JSON the database returned.
	Raw json.RawMessage `json:"-"`
}

// Plan says how the user's plan shaped the page.
type Plan struct {
	ID          string `json:"id"`
	ResultLimit int    `json:"result_limit"`
	// Limited is true when more results exist than the plan shows in one search (an upsell moment).
	Limited bool `json:"limited"`
}

// Credits is what the search cost.
type Credits struct {
	// Status is debited, duplicate (the same request was charged before) or not_charged (no results).
	Status    string `json:"status,omitempty"`
	Charged   int    `json:"charged"`
	Available *int   `json:"available,omitempty"`
	Balance   *int   `json:"balance,omitempty"`
	DailyLeft *int   `json:"daily_left,omitempty"`
}

// FundRef names a fund.
type FundRef struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Website     string `json:"website,omitempty"`
	LinkedInURL string `json:"linkedin_url,omitempty"`
	Location    string `json:"location,omitempty"`
	Country     string `json:"country,omitempty"`
}

// Result is one angel, fund, fund employee or company. Which fields are set depends on Kind.
type Result struct {
	Rank          int      `json:"rank"`
	Kind          string   `json:"kind"`
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Headline      string   `json:"headline,omitempty"`
	Fund          *FundRef `json:"fund,omitempty"`
	Location      string   `json:"location,omitempty"`
	City          string   `json:"city,omitempty"`
	Country       string   `json:"country,omitempty"`
	LinkedInURL   string   `json:"linkedin_url,omitempty"`
	ProfilePicURL string   `json:"profile_pic_url,omitempty"`
	Website       string   `json:"website,omitempty"`
	// Score is 0-100; Components are its points by component (they add up to Score).
	Score      float64            `json:"score"`
	Components map[string]float64 `json:"components,omitempty"`
	Reasons    Reasons            `json:"reasons"`

	// Angels and funds.
	Categories  []string `json:"categories,omitempty"`
	Stages      []string `json:"stages,omitempty"`
	CheckMinUSD *int64   `json:"check_min_usd,omitempty"`
	CheckMaxUSD *int64   `json:"check_max_usd,omitempty"`
	SummaryEN   string   `json:"summary_en,omitempty"`
	SummaryES   string   `json:"summary_es,omitempty"`
	// People of a fund, best first (at most people.per_fund).
	People []Result `json:"people,omitempty"`

	// Fund employees.
	Title     string `json:"title,omitempty"`
	Seniority string `json:"seniority,omitempty"`
	FundID    string `json:"fund_id,omitempty"`

	// Companies.
	ServiceCategory string   `json:"service_category,omitempty"`
	Sectors         []string `json:"sectors,omitempty"`
	Keywords        []string `json:"keywords,omitempty"`
}

// Reasons say why a result fits.
type Reasons struct {
	SectorsStrong  []string `json:"sectors_strong,omitempty"`  // project sectors the investor is known for
	SectorsGeneral []string `json:"sectors_general,omitempty"` // project sectors the investor also invests in
	SectorsRelated []string `json:"sectors_related,omitempty"` // related sectors the investor invests in
	// Stage is exact, adjacent, none or unknown (empty when no stage was asked for).
	Stage         string `json:"stage,omitempty"`
	StageStrength string `json:"stage_strength,omitempty"` // strong or general, for an exact stage
	// Geography is city, country, region, global (an investor without a home country) or none.
	Geography string `json:"geography,omitempty"`
	// CheckSize is fits, below, above or unknown (empty without a funding ask).
	CheckSize     string   `json:"check_size,omitempty"`
	Quality       *float64 `json:"quality,omitempty"`
	FreshnessDays *int     `json:"freshness_days,omitempty"`
	TextMatch     *float64 `json:"text_match,omitempty"`
	Saved         bool     `json:"saved,omitempty"`

	// Fund employees.
	Seniority   string   `json:"seniority,omitempty"`
	PersonScore *float64 `json:"person_score,omitempty"`
	Focus       string   `json:"focus,omitempty"` // own, or fund when the person has no focus of their own
	BelowFloor  bool     `json:"below_floor,omitempty"`

	// Companies.
	Service       string   `json:"service,omitempty"` // match or other
	SectorsServed []string `json:"sectors_served,omitempty"`
	Generalist    bool     `json:"generalist,omitempty"`
}

// Feedback verdicts.
const (
	VerdictSaved     = "saved"
	VerdictDismissed = "dismissed"
	VerdictContacted = "contacted"
)
