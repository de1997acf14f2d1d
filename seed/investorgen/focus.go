package investorgen

import (
	"slices"
)

var (
	generalCounts = newWeighted([]int{2, 3, 4, 5, 6}, func(n int) int { return [...]int{20, 30, 25, 15, 10}[n-2] })
	strongCounts  = newWeighted([]int{1, 2, 3}, func(n int) int { return [...]int{35, 45, 20}[n-1] })
)

// pickSectors draws 2-6 general sectors (weighted, distinct) and makes the first 1-3 drawn the
// strong ones, so strong is always a subset of general. Both come back sorted, like
// public.normalize_sectors returns them.
func pickSectors(x *rnd, widen int) (strong, general []string) {
	n := generalCounts.pick(x) + widen
	picked := sectorDist.distinct(x, min(n, 6))
	general = make([]string, len(picked))
	for i, s := range picked {
		general[i] = s.ID
	}
	k := min(strongCounts.pick(x), len(general))
	strong = slices.Clone(general[:k])
	slices.Sort(strong)
	slices.Sort(general)
	return strong, general
}

// subsetOf returns a random non-empty sorted subset of ids (at most max items).
func subsetOf(x *rnd, ids []string, maxItems int) []string {
	n := x.between(1, min(len(ids), maxItems))
	perm := make([]string, len(ids))
	copy(perm, ids)
	for i := len(perm) - 1; i > 0; i-- {
		j := x.intn(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	out := perm[:n]
	slices.Sort(out)
	return out
}

// stageSpan is a contiguous run of stages [from, to] (enum indexes).
func stageSpan(from, to int) []int {
	out := make([]int, 0, to-from+1)
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

// strongWithin picks 1-2 contiguous stages inside general.
func strongWithin(x *rnd, general []int) []int {
	m := 1
	if len(general) > 1 && x.chance(0.4) {
		m = 2
	}
	k := x.intn(len(general) - m + 1)
	return slices.Clone(general[k : k+m])
}

func stageStrings(st []int) []string {
	out := make([]string, len(st))
	for i, s := range st {
		out[i] = stageNames[s]
	}
	return out
}

var (
	angelStageStart = newWeighted([]int{stIdea, stPreSeed, stSeed, stSeriesA}, func(s int) int { return [...]int{25, 45, 25, 5}[s] })
	angelStageLen   = newWeighted([]int{1, 2, 3}, func(n int) int { return [...]int{20, 50, 30}[n-1] })
)

// angelStages skews idea -> seed, mostly contiguous; about 5% add a stray later stage.
func angelStages(x *rnd) (strong, general []int) {
	start := angelStageStart.pick(x)
	end := min(start+angelStageLen.pick(x)-1, stSeriesB)
	general = stageSpan(start, end)
	strong = strongWithin(x, general)
	if x.chance(0.05) && end+2 <= stSeriesB {
		general = append(general, end+2)
	}
	return strong, general
}

// pickAmount picks one of a few round ticket sizes.
func pickAmount(x *rnd, options []int64) int64 { return options[x.intn(len(options))] }

// angelCheck returns ticket bounds consistent with the latest stage the angel does (USD).
func angelCheck(x *rnd, general []int) (lo, hi int64) {
	last := general[len(general)-1]
	switch {
	case last <= stPreSeed:
		lo = pickAmount(x, []int64{10_000, 15_000, 20_000, 25_000})
		hi = pickAmount(x, []int64{25_000, 50_000, 75_000, 100_000})
	case last == stSeed:
		lo = pickAmount(x, []int64{15_000, 25_000, 50_000})
		hi = pickAmount(x, []int64{50_000, 100_000, 150_000, 200_000})
	default:
		lo = pickAmount(x, []int64{25_000, 50_000, 100_000})
		hi = pickAmount(x, []int64{100_000, 150_000, 200_000, 250_000})
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	return lo, hi
}
