package importer

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// record is a row ready to write: values by target column, and its natural key.
type record struct {
	line   int
	key    string // natural key within the file
	values map[string]any
	raw    []string
}

// rowError rejects a row.
type rowError struct {
	column, reason string
}

// parser turns rows into records for one kind, remembering natural keys to catch duplicates.
type parser struct {
	kind    Kind
	v       *vocab
	lenient bool
	seen    map[string]int // natural key -> first line
	seenURL map[string]int // organisations: LinkedIn URL -> first line

	// per row
	r        *row
	values   map[string]any
	warnings []Warning
}

func newParser(kind Kind, v *vocab, lenient bool) *parser {
	return &parser{kind: kind, v: v, lenient: lenient, seen: map[string]int{}, seenURL: map[string]int{}}
}

// parse validates and maps one row. On rejection it returns the reason; warnings are only
// meaningful for rows that were accepted.
func (p *parser) parse(r *row) (rec *record, warnings []Warning, rej *rowError) {
	p.r, p.values, p.warnings = r, map[string]any{}, nil
	for i, cell := range r.rec {
		if !utf8.ValidString(cell) {
			col := ""
			if i < len(r.h.names) {
				col = r.h.names[i]
			}
			return nil, nil, &rowError{col, "not valid UTF-8 (save the file as UTF-8)"}
		}
	}
	if len(r.rec) > len(r.h.names) {
		return nil, nil, &rowError{"", fmt.Sprintf("row has %d fields, the header has %d", len(r.rec), len(r.h.names))}
	}
	var err *rowError
	switch p.kind {
	case Angels:
		err = p.angel()
	case Funds:
		err = p.fund()
	case Employees:
		err = p.employee()
	case Companies:
		err = p.company()
	}
	if err != nil {
		return nil, nil, err
	}
	key, keyCol, alt := p.naturalKey()
	if first, dup := p.seen[key]; dup {
		return nil, nil, &rowError{keyCol, fmt.Sprintf("duplicate %s (first seen on line %d)", keyCol, first)}
	}
	if alt != "" {
		if first, dup := p.seenURL[alt]; dup {
			col := r.col(fLinkedIn)
			return nil, nil, &rowError{col, fmt.Sprintf("duplicate %s (first seen on line %d)", col, first)}
		}
		p.seenURL[alt] = r.line
	}
	p.seen[key] = r.line
	return &record{line: r.line, key: key, values: p.values, raw: r.rec}, p.warnings, nil
}

// naturalKey is the in-file identity of the current row (and, for organisations, the LinkedIn URL,
// which is unique in the table too).
func (p *parser) naturalKey() (key, column, alt string) {
	url, _ := p.values["linkedin_url"].(string)
	switch p.kind {
	case Angels, Employees:
		return url, p.r.col(fLinkedIn), ""
	case Funds:
		return strings.ToLower(p.values["name"].(string)), p.r.col(fName), url
	default: // companies: LinkedIn page, else name
		if url != "" {
			return "url:" + url, p.r.col(fLinkedIn), ""
		}
		return "name:" + strings.ToLower(p.values["name"].(string)), p.r.col(fName), ""
	}
}

// soft handles a problem with an optional value: rejects the row, or in lenient mode drops the
// value (stores NULL) and records a warning.
func (p *parser) soft(col, dbCol, reason string) *rowError {
	if !p.lenient {
		return &rowError{col, reason}
	}
	p.values[dbCol] = nil
	p.warnings = append(p.warnings, Warning{Line: p.r.line, Column: col, Message: reason + " (dropped)"})
	return nil
}

func (p *parser) required(f field, dbCol string, maxLen int) *rowError {
	v := p.r.get(f)
	if v == "" {
		return &rowError{p.r.col(f), p.r.col(f) + " is required"}
	}
	if !lengthOK(v, maxLen) {
		return &rowError{p.r.col(f), fmt.Sprintf("longer than %d characters", maxLen)}
	}
	p.values[dbCol] = v
	return nil
}

// text copies an optional text field (NULL when blank), checking its length.
func (p *parser) text(f field, dbCol string, maxLen int) *rowError {
	if !p.r.h.has(f) {
		return nil
	}
	v := p.r.get(f)
	if !lengthOK(v, maxLen) {
		return &rowError{p.r.col(f), fmt.Sprintf("longer than %d characters", maxLen)}
	}
	p.values[dbCol] = nullable(v)
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (p *parser) linkedIn(kind linkedInKind, required bool) *rowError {
	f := fLinkedIn
	if !p.r.h.has(f) {
		return nil
	}
	raw := p.r.get(f)
	if raw == "" {
		if required {
			return &rowError{p.r.col(f), p.r.col(f) + " is required"}
		}
		p.values["linkedin_url"] = nil
		return nil
	}
	u, err := normalizeLinkedIn(raw, kind)
	if err != nil {
		reason := fmt.Sprintf("invalid LinkedIn URL '%s' (%v)", raw, err)
		if required {
			return &rowError{p.r.col(f), reason}
		}
		return p.soft(p.r.col(f), "linkedin_url", reason)
	}
	p.values["linkedin_url"] = u
	return nil
}

func (p *parser) email(f field) *rowError {
	if !p.r.h.has(f) {
		return nil
	}
	v := strings.TrimPrefix(p.r.get(f), "mailto:")
	if v != "" && !validEmail(v) {
		return p.soft(p.r.col(f), "email", fmt.Sprintf("invalid email '%s'", v))
	}
	p.values["email"] = nullable(v)
	return nil
}

func (p *parser) website(f field) *rowError {
	if !p.r.h.has(f) {
		return nil
	}
	v := p.r.get(f)
	if v == "" {
		p.values["website"] = nil
		return nil
	}
	u, err := normalizeWebsite(v)
	if err != nil {
		return p.soft(p.r.col(f), "website", fmt.Sprintf("invalid website '%s'", v))
	}
	p.values["website"] = u
	return nil
}

func (p *parser) phone(f field) *rowError {
	if !p.r.h.has(f) {
		return nil
	}
	v := p.r.get(f)
	if !lengthOK(v, 40) {
		return p.soft(p.r.col(f), "phone", fmt.Sprintf("phone number '%s' longer than 40 characters", v))
	}
	p.values["phone"] = nullable(v)
	return nil
}

func (p *parser) picture(f field) *rowError {
	if !p.r.h.has(f) {
		return nil
	}
	v := p.r.get(f)
	if v != "" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		return p.soft(p.r.col(f), "profile_pic_url", fmt.Sprintf("invalid picture URL '%s'", v))
	}
	p.values["profile_pic_url"] = nullable(v)
	return nil
}

// score parses a score with ',' or '.' decimals and checks its range (in hundredths).
func (p *parser) score(dbCol string, maxCenti int64) *rowError {
	f := fScore
	if !p.r.h.has(f) {
		return nil
	}
	raw := p.r.get(f)
	if raw == "" {
		p.values[dbCol] = "0" // the column is NOT NULL DEFAULT 0
		return nil
	}
	v, err := parseCenti(raw)
	if err != nil {
		return &rowError{p.r.col(f), fmt.Sprintf("%s '%s' is not a number", p.r.col(f), raw)}
	}
	if v < 0 || v > maxCenti {
		return &rowError{p.r.col(f), fmt.Sprintf("%s %s out of range 0–%d", p.r.col(f), raw, maxCenti/100)}
	}
	p.values[dbCol] = centiString(v)
	return nil
}

// list reads the list cells of fields, in order, into one list.
func (p *parser) list(fields []field) ([]string, []string, *rowError) {
	var items, cols []string
	for _, f := range fields {
		if !p.r.h.has(f) {
			continue
		}
		vals, err := parseList(p.r.raw(f))
		if err != nil {
			return nil, nil, &rowError{p.r.col(f), fmt.Sprintf("%v in '%s'", err, p.r.raw(f))}
		}
		for _, v := range vals {
			items = append(items, v)
			cols = append(cols, p.r.col(f))
		}
	}
	return items, cols, nil
}

// sectors maps the list cells of fields to sorted, distinct sector ids.
func (p *parser) sectors(fields []field, dbCol string) *rowError {
	if !p.r.h.hasAny(fields) {
		return nil
	}
	items, cols, err := p.list(fields)
	if err != nil {
		return err
	}
	ids := []string{}
	for i, it := range items {
		id, ok := p.v.sectorID(it)
		if !ok {
			reason := fmt.Sprintf("unknown sector '%s'", it)
			if !p.lenient {
				return &rowError{cols[i], reason}
			}
			p.warnings = append(p.warnings, Warning{Line: p.r.line, Column: cols[i], Message: reason + " (dropped)"})
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	p.values[dbCol] = slices.Compact(ids)
	return nil
}

// stages maps the list cells of fields to distinct funding stages in enum order.
func (p *parser) stages(fields []field, dbCol string) *rowError {
	if !p.r.h.hasAny(fields) {
		return nil
	}
	items, cols, err := p.list(fields)
	if err != nil {
		return err
	}
	out := []string{}
	for i, it := range items {
		st, ok := stagesFor(it)
		if !ok {
			reason := fmt.Sprintf("unknown stage '%s'", it)
			if !p.lenient {
				return &rowError{cols[i], reason}
			}
			p.warnings = append(p.warnings, Warning{Line: p.r.line, Column: cols[i], Message: reason + " (dropped)"})
			continue
		}
		out = append(out, st...)
	}
	p.values[dbCol] = sortStages(out)
	return nil
}

// location fills location/city/region/country from a location string or the flattened
// location_identifiers columns.
func (p *parser) location() *rowError {
	if !p.r.h.hasAny(locationFields) {
		return nil
	}
	var pl place
	var err error
	col := p.r.col(fLocation)
	if text := p.r.get(fLocation); text != "" {
		pl, err = parseLocation(p.v, text, strings.Split(text, ","))
	} else {
		var parts []string
		for _, f := range locationFields[1:] {
			if v := p.r.get(f); v != "" {
				parts = append(parts, v)
				col = p.r.col(f)
			}
		}
		pl, err = parseLocation(p.v, "", parts)
	}
	if err != nil {
		if !p.lenient || pl.text == "" {
			return &rowError{col, err.Error()}
		}
		p.warnings = append(p.warnings, Warning{Line: p.r.line, Column: col, Message: err.Error() + " (kept as text only)"})
		pl = place{text: pl.text}
	}
	p.values["location"], p.values["city"], p.values["region"], p.values["country"] =
		nullable(pl.text), nullable(pl.city), nullable(pl.region), nullable(pl.country)
	return nil
}

// first runs checks in order and returns the first rejection.
func first(checks ...func() *rowError) *rowError {
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) angel() *rowError {
	return first(
		func() *rowError { return p.linkedIn(linkedInPerson, true) },
		func() *rowError { return p.required(fName, "full_name", 200) },
		func() *rowError { return p.text(fHeadline, "headline", 500) },
		func() *rowError { return p.text(fAbout, "about", 10000) },
		func() *rowError { return p.email(fEmail) },
		func() *rowError { return p.picture(fPic) },
		p.location,
		func() *rowError { return p.score("score", 10000) },
		func() *rowError { return p.sectors(catStrongFields, "categories_strong") },
		func() *rowError { return p.sectors(catGeneralFields, "categories_general") },
		func() *rowError { return p.stages(stStrongFields, "stages_strong") },
		func() *rowError { return p.stages(stGeneralFields, "stages_general") },
		func() *rowError { return p.text(fReasonsEN, "reasons_en", 1<<20) },
		func() *rowError { return p.text(fReasonsES, "reasons_es", 1<<20) },
	)
}

func (p *parser) fund() *rowError {
	return first(
		func() *rowError { return p.required(fName, "name", 200) },
		func() *rowError { return p.linkedIn(linkedInOrg, false) },
		func() *rowError { return p.text(fDescription, "description", 10000) },
		func() *rowError { return p.email(fEmail) },
		func() *rowError { return p.phone(fPhone) },
		func() *rowError { return p.website(fWebsite) },
		p.location,
		func() *rowError { return p.score("score", 10000) },
		func() *rowError { return p.sectors([]field{fCatStr}, "categories_strong") },
		func() *rowError { return p.sectors([]field{fCatGen}, "categories_general") },
		func() *rowError { return p.stages([]field{fStStr}, "stages_strong") },
		func() *rowError { return p.stages([]field{fStGen}, "stages_general") },
	)
}

func (p *parser) employee() *rowError {
	return first(
		func() *rowError { return p.linkedIn(linkedInPerson, true) },
		func() *rowError { return p.required(fName, "full_name", 200) },
		func() *rowError {
			name := p.r.get(fFundName)
			if name == "" {
				return &rowError{p.r.col(fFundName), p.r.col(fFundName) + " is required"}
			}
			id, ok := p.v.funds[strings.ToLower(name)]
			if !ok {
				return &rowError{p.r.col(fFundName), fmt.Sprintf("unknown fund '%s'", name)}
			}
			p.values["fund_id"] = id
			return nil
		},
		func() *rowError { return p.text(fHeadline, "headline", 500) },
		func() *rowError {
			if err := p.text(fJobTitle, "job_title", 200); err != nil || !p.r.h.has(fJobTitle) {
				return err
			}
			p.values["seniority"] = seniorityOf(p.r.get(fJobTitle))
			return nil
		},
		func() *rowError { return p.email(fEmail) },
		func() *rowError { return p.picture(fPic) },
		p.location,
		func() *rowError { return p.score("score", 1000) },
	)
}

func (p *parser) company() *rowError {
	return first(
		func() *rowError { return p.required(fName, "name", 200) },
		func() *rowError { return p.linkedIn(linkedInOrg, false) },
		func() *rowError {
			raw := p.r.get(fServiceCategory)
			if raw == "" {
				return &rowError{p.r.col(fServiceCategory), p.r.col(fServiceCategory) + " is required"}
			}
			slug := serviceCategory(raw)
			if slug == "" {
				return &rowError{p.r.col(fServiceCategory), fmt.Sprintf("invalid service category '%s'", raw)}
			}
			p.values["service_category"] = slug
			return nil
		},
		func() *rowError { return p.text(fDescription, "description", 10000) },
		func() *rowError { return p.email(fEmail) },
		func() *rowError { return p.phone(fPhone) },
		func() *rowError { return p.website(fWebsite) },
		p.location,
		func() *rowError { return p.score("relevance_score", 10000) },
		func() *rowError { return p.sectors([]field{fCatGen}, "sectors") },
		func() *rowError {
			if !p.r.h.hasAny([]field{fKwGen, fKwSpec, fKw}) {
				return nil
			}
			items, _, err := p.list([]field{fKwGen, fKwSpec, fKw})
			if err != nil {
				return err
			}
			kw := []string{}
			for _, it := range items {
				if k := strings.ToLower(strings.TrimSpace(it)); k != "" && !slices.Contains(kw, k) {
					kw = append(kw, k)
				}
			}
			p.values["keywords"] = kw
			return nil
		},
	)
}
