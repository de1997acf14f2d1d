package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// vocab is the reference data rows are mapped through, read once per import.
type vocab struct {
	sectors   map[string]string // lower-cased id, label or synonym -> sector id
	countries map[string]string // lower-cased (and accent-folded) name, code or alias -> ISO code
	funds     map[string][16]byte
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func loadVocab(ctx context.Context, q querier, withFunds bool) (*vocab, error) {
	v := &vocab{sectors: map[string]string{}, countries: map[string]string{}}

	rows, err := q.Query(ctx, "select id, label_en, label_es, synonyms from public.sectors order by id")
	if err != nil {
		return nil, fmt.Errorf("importer: read sectors: %w", err)
	}
	sectors, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sectorRow])
	if err != nil {
		return nil, fmt.Errorf("importer: read sectors: %w", err)
	}
	v.sectors = sectorIndex(sectors)

	rows, err = q.Query(ctx, "select code::text, name_en, name_es from public.countries")
	if err != nil {
		return nil, fmt.Errorf("importer: read countries: %w", err)
	}
	var code, en, es string
	_, err = pgx.ForEachRow(rows, []any{&code, &en, &es}, func() error {
		for _, k := range []string{code, en, es} {
			v.countries[strings.ToLower(k)] = code
			v.countries[fold(k)] = code
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("importer: read countries: %w", err)
	}
	for alias, code := range countryAliases {
		if _, known := v.countries[strings.ToLower(code)]; known {
			if _, taken := v.countries[alias]; !taken {
				v.countries[alias] = code
			}
		}
	}

	if withFunds {
		v.funds = map[string][16]byte{}
		rows, err = q.Query(ctx, "select lower(name), id from public.investment_funds")
		if err != nil {
			return nil, fmt.Errorf("importer: read funds: %w", err)
		}
		var name string
		var id [16]byte
		_, err = pgx.ForEachRow(rows, []any{&name, &id}, func() error {
			v.funds[name] = id
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("importer: read funds: %w", err)
		}
	}
	return v, nil
}

// sectorRow is a row of public.sectors.
type sectorRow struct {
	ID, LabelEN, LabelES string
	Synonyms             []string
}

// sectorIndex builds the lookup public.sector_id performs: an exact id wins; otherwise the smallest
// id whose lower(label_en), lower(label_es) or one of its synonyms (stored lower-case, compared as
// stored) equals the lower-cased, space-trimmed input. Sectors must come ordered by id.
func sectorIndex(sectors []sectorRow) map[string]string {
	idx := map[string]string{}
	for _, s := range sectors {
		for _, k := range append([]string{strings.ToLower(s.LabelEN), strings.ToLower(s.LabelES)}, s.Synonyms...) {
			if _, taken := idx[k]; !taken {
				idx[k] = s.ID
			}
		}
	}
	for _, s := range sectors {
		idx[s.ID] = s.ID
	}
	return idx
}

// sectorID maps a name the way public.sector_id does (btrim strips spaces only).
func (v *vocab) sectorID(name string) (string, bool) {
	id, ok := v.sectors[strings.ToLower(strings.Trim(name, " "))]
	return id, ok
}

// countryCode resolves a country name (English or Spanish), ISO code or alias.
func (v *vocab) countryCode(name string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	if c, ok := v.countries[k]; ok {
		return c, true
	}
	c, ok := v.countries[fold(k)]
	return c, ok
}

// countryAliases are common ways exports name countries that public.countries does not spell out.
var countryAliases = map[string]string{
	"usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "eeuu": "US", "ee.uu.": "US",
	"ee. uu.": "US", "estados unidos de america": "US", "uk": "GB", "u.k.": "GB", "great britain": "GB",
	"britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"gran bretana": "GB", "inglaterra": "GB", "the netherlands": "NL", "holland": "NL", "holanda": "NL",
	"czech republic": "CZ", "republica checa": "CZ", "turkiye": "TR", "korea": "KR", "republic of korea": "KR",
	"uae": "AE", "eau": "AE", "deutschland": "DE", "espana": "ES", "brasil": "BR", "mexico": "MX",
}

var folder = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c",
)

// fold lower-cases and strips the accents of Spanish, Portuguese and French text.
func fold(s string) string { return folder.Replace(strings.ToLower(s)) }

// Funding stages in enum order.
var stageOrder = []string{"idea", "pre_seed", "seed", "series_a", "series_b", "series_c", "growth"}

// stageWords maps normalised stage phrases (see normStage) to funding_stage values.
var stageWords = map[string][]string{}

func init() {
	add := func(stages []string, phrases ...string) {
		for _, p := range phrases {
			stageWords[p] = stages
		}
	}
	add([]string{"idea"}, "idea", "ideation", "ideacion", "concept", "concepto", "idea stage", "fase idea")
	add([]string{"pre_seed"}, "pre seed", "preseed", "pre semilla", "presemilla", "friends and family",
		"friends & family", "fff", "amigos y familia", "pre seed round", "ronda pre semilla")
	add([]string{"seed"}, "seed", "semilla", "seed round", "ronda semilla", "capital semilla", "seed stage",
		"pre series a", "pre serie a", "bridge", "puente")
	add([]string{"series_a"}, "series a", "serie a", "a round", "round a", "ronda a", "series a round", "ronda serie a")
	add([]string{"series_b"}, "series b", "serie b", "b round", "round b", "ronda b", "series b round", "ronda serie b",
		"expansion")
	add([]string{"series_c"}, "series c", "serie c", "c round", "round c", "ronda c", "series c round", "ronda serie c",
		"series d", "serie d", "series e", "serie e", "series c+", "serie c+")
	add([]string{"growth"}, "growth", "growth stage", "growth equity", "crecimiento", "fase de crecimiento",
		"scale up", "scaleup", "pre ipo", "ipo", "mezzanine", "private equity")
	add([]string{"pre_seed", "seed"}, "early stage", "early", "early stage venture", "etapa temprana", "fase temprana")
	add([]string{"series_c", "growth"}, "late stage", "late", "late stage venture", "etapa tardia", "fase tardia")
}

// normStage lower-cases, folds accents and turns '-', '_' and '.' into spaces.
func normStage(s string) string {
	s = fold(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func stagesFor(word string) ([]string, bool) {
	st, ok := stageWords[normStage(word)]
	return st, ok
}

// sortStages orders distinct stages as the enum does.
func sortStages(in []string) []string {
	out := slices.Clone(in)
	slices.SortFunc(out, func(a, b string) int { return slices.Index(stageOrder, a) - slices.Index(stageOrder, b) })
	return slices.Compact(out)
}

// serviceCategorySlugs maps service category labels (English and Spanish) to the slugs used by
// the product; anything else that slugifies cleanly is kept as its own slug.
var serviceCategorySlugs = map[string]string{
	"legal": "legal", "abogados": "legal", "asesoria legal": "legal", "law": "legal", "juridico": "legal",
	"accounting": "accounting", "contabilidad": "accounting", "asesoria fiscal": "accounting", "tax": "accounting",
	"fiscal": "accounting", "gestoria": "accounting", "finanzas": "accounting",
	"software development": "software_development", "desarrollo de software": "software_development",
	"desarrollo": "software_development", "development": "software_development", "software": "software_development",
	"desarrollo web": "software_development", "web development": "software_development",
	"design": "design", "diseno": "design", "diseno ux/ui": "design", "ux/ui": "design", "branding": "design",
	"marketing": "marketing", "marketing digital": "marketing", "digital marketing": "marketing", "publicidad": "marketing",
	"growth": "growth", "growth hacking": "growth", "crecimiento": "growth",
	"pr": "pr", "public relations": "pr", "relaciones publicas": "pr", "comunicacion": "pr", "communications": "pr",
	"recruiting": "recruiting", "recruitment": "recruiting", "reclutamiento": "recruiting", "seleccion de personal": "recruiting",
	"recursos humanos": "recruiting", "hr": "recruiting", "talent": "recruiting",
	"consulting": "consulting", "consultoria": "consulting", "consultancy": "consulting", "estrategia": "consulting",
	"fundraising advisory": "fundraising_advisory", "fundraising": "fundraising_advisory",
	"levantamiento de capital": "fundraising_advisory", "corporate finance": "fundraising_advisory",
	"cloud": "cloud", "cloud services": "cloud", "nube": "cloud", "devops": "cloud", "hosting": "cloud",
	"cybersecurity": "cybersecurity", "ciberseguridad": "cybersecurity", "security": "cybersecurity", "seguridad": "cybersecurity",
}

// serviceCategory maps a label to a slug matching ^[a-z][a-z0-9_]{1,39}$, or "" when impossible.
func serviceCategory(s string) string {
	k := strings.Join(strings.Fields(fold(strings.ReplaceAll(s, "_", " "))), " ")
	if slug, ok := serviceCategorySlugs[k]; ok {
		return slug
	}
	var b strings.Builder
	sep := false
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		default:
			sep = true
		}
	}
	slug := b.String()
	if len(slug) < 2 || len(slug) > 40 || slug[0] < 'a' || slug[0] > 'z' {
		return ""
	}
	return slug
}

// seniorityOf classifies a job title into fund_employees.seniority by whole words.
func seniorityOf(title string) string {
	words := strings.FieldsFunc(fold(title), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	t := " " + strings.Join(words, " ") + " "
	has := func(phrases ...string) bool {
		for _, p := range phrases {
			if strings.Contains(t, " "+p+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has("venture partner", "operating partner"):
		return "venture_partner"
	case has("managing partner", "managing director", "socio director", "socia directora", "socio gerente", "general manager"):
		return "managing_partner"
	case has("partner", "socio", "socia"):
		return "partner"
	case has("principal", "investment director", "director de inversiones", "directora de inversiones", "investment manager"):
		return "principal"
	case has("associate", "asociado", "asociada"):
		return "associate"
	case has("analyst", "analista"):
		return "analyst"
	}
	return "other"
}
