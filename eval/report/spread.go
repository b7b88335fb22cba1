package report

import (
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

// spreadOf groups a scorer's results by case: keys sort case\x00repeat,
// so a case's repeats are together.
func (res *Results) spreadOf(v int, spec string, k int) *Spread {
	if k < 2 {
		return nil
	}
	s := &Spread{K: k, MinScore: math.Inf(1), MaxScore: math.Inf(-1)}
	byCase := map[string][]float64{}
	passes := map[string][]bool{}
	var order []string
	for _, ci := range res.sorted() {
		if !res.usable(v, ci, spec) {
			continue
		}
		sc, _ := res.score(v, ci, spec)
		id, _ := splitCaseKey(res.keys.at(ci))
		if _, seen := byCase[id]; !seen {
			order = append(order, id)
		}
		byCase[id] = append(byCase[id], sc.value)
		if sc.judged() {
			passes[id] = append(passes[id], sc.state == scorePass)
		}
		s.MinScore, s.MaxScore = math.Min(s.MinScore, sc.value), math.Max(s.MaxScore, sc.value)
	}
	sdSum, sdN := 0.0, 0
	atK, allK, flipped := 0, 0, 0
	for _, id := range order {
		if vs := byCase[id]; len(vs) > 1 {
			sdSum += sampleSD(vs)
			sdN++
		}
		ps := passes[id]
		if len(ps) != k {
			continue
		}
		s.Cases++
		n := 0
		for _, p := range ps {
			if p {
				n++
			}
		}
		if n > 0 {
			atK++
		}
		if n == k {
			allK++
		}
		if n > 0 && n < k {
			flipped++
		}
	}
	if s.Cases > 0 {
		c := float64(s.Cases)
		s.PassAtK, s.PassAllK, s.Flipped = float64(atK)/c, float64(allK)/c, float64(flipped)/c
	}
	if sdN > 0 {
		s.MeanSD = sdSum / float64(sdN)
	}
	if math.IsInf(s.MinScore, 0) {
		s.MinScore, s.MaxScore = 0, 0
	}
	return s
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
