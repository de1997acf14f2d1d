package investorgen

import (
	"strings"
	"time"
)

// Employee is one row of public.fund_employees. Empty strings are NULL; empty categories/stages mean
// "as the fund".
type Employee struct {
	ID                [16]byte
	FundID            [16]byte
	FundName          string // not a column: the fund the person works at
	LinkedInURL       string
	FullName          string
	Headline          string
	JobTitle          string
	Seniority         string
	Email             string
	ProfilePicURL     string
	Location          Location
	CategoriesStrong  []string
	CategoriesGeneral []string
	StagesStrong      []string
	StagesGeneral     []string
	Score             int32 // hundredths (0-10, so 0..1000)
	DataUpdatedAt     time.Time
}

type seniorityInfo struct {
	Name   string
	Weight int
	Bonus  float64 // added to the employee score
	Titles []string
}

var seniorityTable = []seniorityInfo{
	{"analyst", 15, -0.5, []string{"Analyst", "Investment Analyst", "Venture Capital Analyst", "Analista de inversiones"}},
	{"associate", 22, -0.1, []string{"Associate", "Senior Associate", "Investment Associate", "Asociado de inversiones"}},
	{"principal", 12, 0.3, []string{"Principal", "Investment Director", "Investment Manager", "Directora de inversiones", "Director de inversiones"}},
	{"partner", 22, 0.6, []string{"Partner", "General Partner", "Founding Partner", "Socio", "Socia"}},
	{"managing_partner", 10, 0.9, []string{"Managing Partner", "Founding & Managing Partner", "Socio director", "Managing Director"}},
	{"venture_partner", 7, 0.3, []string{"Venture Partner", "Operating Partner"}},
	{"other", 12, -0.3, []string{"Platform Manager", "Head of Platform", "Chief of Staff", "Investor Relations Manager", "CFO", "Scout", "Head of Community", "Office Manager"}},
}

var seniorityDist = newWeighted(seniorityTable, func(s seniorityInfo) int { return s.Weight })

// Employee generates fund employee i (0 <= i < Counts().Employees). Employees are ordered by fund:
// the first ones belong to fund 0, and each fund's first person is a (managing) partner.
func (g *Generator) Employee(i int) Employee {
	checkIndex(i, g.counts.Employees)
	f, pos := g.employeeFund(i)
	c := &g.funds[f]
	x := g.x
	x.reset(g.seed, streamEmployee, uint64(i))

	p := c.place
	switch r := x.float(); {
	case r < 0.10:
		p.city = cityDists[p.country].index(x)
	case r < 0.15:
		p = pickPlace(x)
	}
	first, last := personName(x, p)
	e := Employee{ID: g.rowID(kindEmployee, i), FundID: g.rowID(kindFund, f), FundName: c.name,
		FullName: first + " " + last, Location: p.location()}
	e.LinkedInURL = "https://www.linkedin.com/in/" + g.personSlug(kindEmployee, i, first, last, x.chance(0.2))

	var s *seniorityInfo
	if pos == 0 {
		s = &seniorityTable[3] // partner
		if x.chance(0.6) {
			s = &seniorityTable[4] // managing_partner
		}
	} else {
		s = &seniorityTable[seniorityDist.index(x)]
	}
	e.Seniority = s.Name
	e.JobTitle = x.pick(s.Titles)
	e.Score = x.normalCenti(6.3+s.Bonus, 1.2, 1, 10)

	if x.chance(0.55) {
		e.CategoriesGeneral = subsetOf(x, c.general, 4)
		e.CategoriesStrong = subsetOf(x, e.CategoriesGeneral, 2)
	}
	if x.chance(0.3) {
		e.StagesGeneral = stageStrings(c.stGen)
		k := x.intn(len(c.stGen))
		e.StagesStrong = stageStrings(c.stGen[k : k+1])
	}

	spanish := p.Country().Spanish && x.chance(0.7)
	labels := sectorLabels(c.strong, spanish)
	switch x.intn(3) {
	case 0:
		if spanish {
			e.Headline = e.JobTitle + " en " + c.name
		} else {
			e.Headline = e.JobTitle + " at " + c.name
		}
	case 1:
		e.Headline = e.JobTitle + " @ " + c.name + " | " + strings.Join(labels, " · ")
	default:
		if spanish {
			e.Headline = e.JobTitle + " en " + c.name + " | Invirtiendo en " + joinAnd(labels, "y")
		} else {
			e.Headline = e.JobTitle + " at " + c.name + " | Investing in " + joinAnd(labels, "and")
		}
	}
	if x.chance(0.55) {
		if x.chance(0.8) {
			e.Email = workEmail(x, first, last, c.domain)
		} else {
			e.Email = personalEmail(x, first, last)
		}
	}
	if x.chance(0.75) {
		e.ProfilePicURL = profilePic(x)
	}
	e.DataUpdatedAt = g.updatedAt(x)
	return e
}

// FundEmployees returns the index range [from, to) of fund f's employees.
func (g *Generator) FundEmployees(f int) (from, to int) {
	checkIndex(f, g.counts.Funds)
	return g.offsets[f], g.offsets[f+1]
}
