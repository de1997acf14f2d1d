package judge

import "strings"

// patternSet matches many patterns against one message in a single pass: each sequence is indexed
// by the words its first element can start with, so a word only tries the sequences that can begin
// there instead of every pattern trying every position.
type patternSet struct {
	patterns []pattern
	seqs     []seqRef
	byLit    map[string][]int   // first literal (stem) → sequence ids
	byPrefix map[byte][]affixed // first prefix atom, bucketed by its first byte
	bySuffix []affixed          // first suffix atom
	always   []int              // first element may match any word (#Name, #num)
}

type seqRef struct {
	pattern int
	s       *seq
}

type affixed struct {
	affix string
	seq   int
}

func newPatternSet(ps []pattern) *patternSet {
	set := &patternSet{patterns: ps, byLit: map[string][]int{}, byPrefix: map[byte][]affixed{}}
	for pi := range ps {
		for si := range ps[pi].parts {
			id := len(set.seqs)
			s := &ps[pi].parts[si]
			set.seqs = append(set.seqs, seqRef{pattern: pi, s: s})
			first := s.elems[0]
			if first.gap > 0 {
				set.always = append(set.always, id)
				continue
			}
			added := map[string]bool{}
			always := false
			for _, a := range first.alts {
				at := a[0]
				switch at.kind {
				case atomLit:
					if !added["l"+at.s] {
						set.byLit[at.s] = append(set.byLit[at.s], id)
						added["l"+at.s] = true
					}
				case atomPrefix:
					if !added["p"+at.s] {
						set.byPrefix[at.s[0]] = append(set.byPrefix[at.s[0]], affixed{at.s, id})
						added["p"+at.s] = true
					}
				case atomSuffix:
					if !added["s"+at.s] {
						set.bySuffix = append(set.bySuffix, affixed{at.s, id})
						added["s"+at.s] = true
					}
				default:
					always = true
				}
			}
			if always {
				set.always = append(set.always, id)
			}
		}
	}
	return set
}

// match reports, for each pattern of the set, whether it matches toks.
func (set *patternSet) match(toks []token) []bool {
	seqOK := make([]bool, len(set.seqs))
	try := func(id, pos int) {
		if seqOK[id] {
			return
		}
		s := set.seqs[id].s
		if s.anchorStart && pos != 0 {
			return
		}
		if s.matchFrom(toks, 0, pos) {
			seqOK[id] = true
		}
	}
	for i := range toks {
		t := &toks[i]
		for _, id := range set.byLit[t.stem] {
			try(id, i)
		}
		if t.norm != "" {
			for _, a := range set.byPrefix[t.norm[0]] {
				if strings.HasPrefix(t.norm, a.affix) {
					try(a.seq, i)
				}
			}
		}
		if len(t.norm) >= 5 {
			for _, a := range set.bySuffix {
				if strings.HasSuffix(t.norm, a.affix) {
					try(a.seq, i)
				}
			}
		}
		for _, id := range set.always {
			try(id, i)
		}
	}
	// A gap-first or anchored-end sequence can also match an empty tail; patterns never start with
	// a gap, so the empty message matches nothing.
	out := make([]bool, len(set.patterns))
	for pi := range out {
		out[pi] = true
	}
	for id, ref := range set.seqs {
		if !seqOK[id] {
			out[ref.pattern] = false
		}
	}
	return out
}
