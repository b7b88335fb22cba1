package report

import (
	"bytes"
	"math"
)

// Spread is how a scorer's results vary over the repeats of each case
// (--repeat K > 1).
type Spread struct {
	K        int     `json:"k"`
	Cases    int     `json:"cases"`      // cases with K judged repeats
	PassAtK  float64 `json:"pass_at_k"`  // share of cases passed at least once
	PassAllK float64 `json:"pass_all_k"` // share of cases passed every time (pass^k)
	Flipped  float64 `json:"flipped"`    // share of cases whose verdict changed between repeats
	MeanSD   float64 `json:"mean_sd"`    // mean over cases of the score's standard deviation
	MinScore float64 `json:"min_score"`
	MaxScore float64 `json:"max_score"`
}

// spreadSum adds up a scorer's spread over the repeats of each case, one
// result at a time in case order: keys sort case\x00repeat, so a case's
// repeats come together and only the current case's are held.
type spreadSum struct {
	k      int
	s      Spread
	cur    []byte // the case ID whose repeats are being added
	open   bool
	vals   []float64
	passes []bool
	sdSum  float64
	sdN    int
	atK    int
	allK   int
	flips  int
}

func newSpreadSum(k int) *spreadSum {
	return &spreadSum{k: k, s: Spread{K: k, MinScore: math.Inf(1), MaxScore: math.Inf(-1)}}
}

// add counts a usable score (the call worked and the scorer gave one) of
// the case × repeat key.
func (s *spreadSum) add(key []byte, sc scoreCell) {
	id := key
	if i := bytes.LastIndexByte(key, 0); i >= 0 {
		id = key[:i]
	}
	if !s.open || !bytes.Equal(id, s.cur) {
		s.endCase()
		s.cur, s.open = append(s.cur[:0], id...), true
	}
	s.vals = append(s.vals, sc.value)
	if sc.judged() {
		s.passes = append(s.passes, sc.state == scorePass)
	}
	s.s.MinScore, s.s.MaxScore = math.Min(s.s.MinScore, sc.value), math.Max(s.s.MaxScore, sc.value)
}

func (s *spreadSum) endCase() {
	if !s.open {
		return
	}
	if len(s.vals) > 1 {
		s.sdSum += sampleSD(s.vals)
		s.sdN++
	}
	if len(s.passes) == s.k {
		s.s.Cases++
		n := 0
		for _, p := range s.passes {
			if p {
				n++
			}
		}
		if n > 0 {
			s.atK++
		}
		if n == s.k {
			s.allK++
		}
		if n > 0 && n < s.k {
			s.flips++
		}
	}
	s.vals, s.passes, s.open = s.vals[:0], s.passes[:0], false
}

// spread is the spread of everything added.
func (s *spreadSum) spread() *Spread {
	s.endCase()
	out := s.s
	if out.Cases > 0 {
		c := float64(out.Cases)
		out.PassAtK, out.PassAllK, out.Flipped = float64(s.atK)/c, float64(s.allK)/c, float64(s.flips)/c
	}
	if s.sdN > 0 {
		out.MeanSD = s.sdSum / float64(s.sdN)
	}
	if math.IsInf(out.MinScore, 0) {
		out.MinScore, out.MaxScore = 0, 0
	}
	return &out
}

func sampleSD(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return math.Sqrt(ss / float64(len(x)-1))
}
