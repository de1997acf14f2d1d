package investorgen

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Stream identifiers: each kind of draw gets its own PCG stream so that adding a draw to one kind
// never shifts the values of another.
const (
	streamFundCore uint64 = iota + 1
	streamFundText
	streamFundSizes
	streamAngel
	streamEmployee
	streamCompanyCore
	streamCompanyText
	streamSlug
)

// mix64 is the splitmix64 finaliser: a bijection on uint64 with good avalanche.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// mix32 is a 32-bit bijective integer hash (lowbias32).
func mix32(x uint32) uint32 {
	x ^= x >> 16
	x *= 0x7feb352d
	x ^= x >> 15
	x *= 0x846ca68b
	x ^= x >> 16
	return x
}

// rnd is a reseedable random source: one per goroutine, reseeded for every row.
type rnd struct {
	src rand.PCG
	r   *rand.Rand
}

func newRnd() *rnd {
	x := &rnd{}
	x.r = rand.New(&x.src)
	return x
}

// reset positions the source at the start of the stream for (seed, stream, index).
func (x *rnd) reset(seed, stream, index uint64) {
	x.src.Seed(mix64(seed^mix64(stream)), mix64(index^(stream<<56)))
}

func (x *rnd) intn(n int) int { return x.r.IntN(n) }

// between returns an int in [lo, hi].
func (x *rnd) between(lo, hi int) int { return lo + x.r.IntN(hi-lo+1) }

func (x *rnd) chance(p float64) bool { return x.r.Float64() < p }

func (x *rnd) pick(list []string) string { return list[x.r.IntN(len(list))] }

func (x *rnd) float() float64 { return x.r.Float64() }

// normalCenti draws from N(mean, sd), clamps to [lo, hi] and returns hundredths (2 decimals).
func (x *rnd) normalCenti(mean, sd, lo, hi float64) int32 {
	v := mean + sd*x.r.NormFloat64()
	v = math.Max(lo, math.Min(hi, v))
	return int32(math.Round(v * 100))
}

// weighted is a discrete distribution over items with integer weights.
type weighted[T any] struct {
	items []T
	cum   []int
}

func newWeighted[T any](items []T, weight func(T) int) weighted[T] {
	w := weighted[T]{items: items, cum: make([]int, len(items))}
	total := 0
	for i, it := range items {
		total += weight(it)
		w.cum[i] = total
	}
	return w
}

func (w weighted[T]) index(x *rnd) int {
	n := x.intn(w.cum[len(w.cum)-1])
	return sort.SearchInts(w.cum, n+1)
}

func (w weighted[T]) pick(x *rnd) T { return w.items[w.index(x)] }

// distinct draws up to n distinct items (weighted, without replacement) in draw order.
func (w weighted[T]) distinct(x *rnd, n int) []T {
	if n > len(w.items) {
		n = len(w.items)
	}
	out := make([]T, 0, n)
	taken := make([]bool, len(w.items))
	for tries := 0; len(out) < n && tries < 20*n+20; tries++ {
		i := w.index(x)
		if taken[i] {
			continue
		}
		taken[i] = true
		out = append(out, w.items[i])
	}
	return out
}

// weightedString is a string with a weight, for small literal distributions.
type weightedString struct {
	S string
	W int
}

func newWeightedStrings(items []weightedString) weighted[weightedString] {
	return newWeighted(items, func(w weightedString) int { return w.W })
}
