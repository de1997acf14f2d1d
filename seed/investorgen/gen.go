package investorgen

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Counts says how many rows of each kind to generate.
type Counts struct {
	Angels int
	Funds  int
	// MinEmployeesPerFund and MaxEmployeesPerFund bound how many people each fund has.
	MinEmployeesPerFund int
	MaxEmployeesPerFund int
	// Employees, when positive, is the exact total number of fund employees: per-fund sizes are drawn
	// within the bounds and then adjusted to add up. Zero means "whatever the per-fund draws add up to".
	Employees int
	Companies int
}

// Investors is angels + funds + fund employees (companies are not investors). With drawn employee
// totals (Employees 0) ask the Generator's Counts, which hold the real total.
func (c Counts) Investors() int { return c.Angels + c.Funds + c.Employees }

const maxPerKind = 1 << 30

func (c Counts) validate() error {
	for _, v := range []struct {
		name string
		n    int
	}{{"angels", c.Angels}, {"funds", c.Funds}, {"employees", c.Employees}, {"companies", c.Companies},
		{"min employees per fund", c.MinEmployeesPerFund}, {"max employees per fund", c.MaxEmployeesPerFund}} {
		if v.n < 0 || v.n >= maxPerKind {
			return fmt.Errorf("investorgen: %s must be between 0 and %d, got %d", v.name, maxPerKind-1, v.n)
		}
	}
	if c.MinEmployeesPerFund > c.MaxEmployeesPerFund {
		return fmt.Errorf("investorgen: min employees per fund (%d) is above the max (%d)", c.MinEmployeesPerFund, c.MaxEmployeesPerFund)
	}
	if c.Employees > 0 {
		lo, hi := c.Funds*c.MinEmployeesPerFund, c.Funds*c.MaxEmployeesPerFund
		if c.Employees < lo || c.Employees > hi {
			return fmt.Errorf("investorgen: %d employees cannot be spread over %d funds with %d-%d each (possible: %d-%d)",
				c.Employees, c.Funds, c.MinEmployeesPerFund, c.MaxEmployeesPerFund, lo, hi)
		}
	}
	return nil
}

// Preset names.
const (
	PresetDemo = "demo"
	Preset100k = "100k"
	Preset1M   = "1m"
)

// LookupPreset returns the counts of a named preset (see the package documentation for the split).
func LookupPreset(name string) (Counts, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case PresetDemo:
		return Counts{Angels: 1_500, Funds: 300, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 6, Employees: 1_200, Companies: 400}, nil
	case Preset100k:
		return Counts{Angels: 56_000, Funds: 8_800, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 6, Employees: 35_200, Companies: 4_000}, nil
	case Preset1M:
		return Counts{Angels: 560_000, Funds: 88_000, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 6, Employees: 352_000, Companies: 20_000}, nil
	}
	return Counts{}, fmt.Errorf("investorgen: unknown preset %q (want %s)", name, strings.Join(Presets(), ", "))
}

// Presets lists the preset names, smallest first.
func Presets() []string { return []string{PresetDemo, Preset100k, Preset1M} }

// DefaultAsOf anchors data_updated_at when no AsOf is given, so output never depends on the clock.
var DefaultAsOf = time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC)

// Generator produces the rows by index. A Generator is not safe for concurrent use; give each
// goroutine its own Clone.
type Generator struct {
	seed   uint64
	counts Counts
	asOf   time.Time
	x      *rnd

	funds     []fundCore
	offsets   []int // offsets[i] is the index of fund i's first employee; len(funds)+1 entries
	companies []companyCore
}

// New builds a generator and runs the small sequential pre-pass that makes fund names and
// company/fund LinkedIn slugs unique. The same (seed, counts, asOf) always yields the same rows; a
// zero asOf means DefaultAsOf.
func New(seed int64, counts Counts, asOf time.Time) (*Generator, error) {
	if err := counts.validate(); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = DefaultAsOf
	}
	g := &Generator{seed: mix64(uint64(seed)), counts: counts, asOf: asOf.UTC().Truncate(time.Second), x: newRnd()}
	g.buildFunds()
	g.buildFundSizes()
	g.buildCompanies()
	return g, nil
}

// Clone returns a generator sharing the immutable pre-pass data but with its own random source.
func (g *Generator) Clone() *Generator {
	c := *g
	c.x = newRnd()
	return &c
}

// Counts returns the effective counts (Employees is the real total even when it was drawn).
func (g *Generator) Counts() Counts { return g.counts }

// Rows is the total number of rows the generator produces.
func (g *Generator) Rows() int {
	return g.counts.Angels + g.counts.Funds + g.counts.Employees + g.counts.Companies
}

// uuid namespace for generated rows (random, fixed forever: changing it changes every id).
var idNamespace = [16]byte{0x6f, 0x1b, 0x0e, 0x5a, 0x3c, 0x77, 0x4d, 0x2b, 0x9a, 0x41, 0xd2, 0x08, 0xc5, 0x6e, 0x13, 0xf0}

type kind byte

const (
	kindAngel kind = iota
	kindEmployee
	kindFund
	kindCompany
)

// rowID is a name-based (version 5, SHA-1) UUID of (seed, kind, index).
func (g *Generator) rowID(k kind, index int) [16]byte {
	var buf [16 + 8 + 1 + 8]byte
	copy(buf[:16], idNamespace[:])
	binary.BigEndian.PutUint64(buf[16:], g.seed)
	buf[24] = byte(k)
	binary.BigEndian.PutUint64(buf[25:], uint64(index))
	sum := sha1.Sum(buf[:])
	var id [16]byte
	copy(id[:], sum[:16])
	id[6] = (id[6] & 0x0f) | 0x50
	id[8] = (id[8] & 0x3f) | 0x80
	return id
}

// personSlug is a LinkedIn /in/ slug: the name plus an 8-hex suffix that is a bijection of
// (kind, index), so slugs never collide within or across angels and employees.
func (g *Generator) personSlug(k kind, index int, first, last string, compact bool) string {
	sep := "-"
	if compact {
		sep = ""
	}
	suffix := hex8(mix32((uint32(k)<<30 | uint32(index)) ^ uint32(g.seed)))
	return slugify(first+" "+last, sep) + "-" + suffix
}

// updatedAt spreads data_updated_at over the two years before asOf, denser in recent months.
func (g *Generator) updatedAt(x *rnd) time.Time {
	u := x.float()
	days := int(730 * u * u)
	secs := x.intn(86_400)
	return g.asOf.Add(-time.Duration(days)*24*time.Hour - time.Duration(secs)*time.Second)
}

func (g *Generator) buildFundSizes() {
	c := &g.counts
	n := c.Funds
	sizes := make([]int, n)
	x := g.x
	sum := 0
	for i := range sizes {
		x.reset(g.seed, streamFundSizes, uint64(i))
		s := x.between(c.MinEmployeesPerFund, c.MaxEmployeesPerFund)
		if k := g.funds[i].kind; (k == fundGrowth || k == fundMulti) && s < c.MaxEmployeesPerFund && x.chance(0.5) {
			s++ // bigger funds, bigger teams
		}
		sizes[i] = s
		sum += s
	}
	if c.Employees > 0 {
		x.reset(g.seed, streamFundSizes, 1<<40)
		for sum != c.Employees {
			i := x.intn(n)
			switch {
			case sum < c.Employees && sizes[i] < c.MaxEmployeesPerFund:
				sizes[i]++
				sum++
			case sum > c.Employees && sizes[i] > c.MinEmployeesPerFund:
				sizes[i]--
				sum--
			}
		}
	}
	c.Employees = sum
	g.offsets = make([]int, n+1)
	for i, s := range sizes {
		g.offsets[i+1] = g.offsets[i] + s
	}
}

// employeeFund maps a global employee index to (fund index, position within the fund).
func (g *Generator) employeeFund(i int) (fund, pos int) {
	f := sort.Search(len(g.funds), func(k int) bool { return g.offsets[k+1] > i })
	return f, i - g.offsets[f]
}

var errIndex = errors.New("investorgen: row index out of range")

func checkIndex(i, n int) {
	if i < 0 || i >= n {
		panic(fmt.Errorf("%w: %d not in [0, %d)", errIndex, i, n))
	}
}
