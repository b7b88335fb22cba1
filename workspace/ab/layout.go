package ab

import (
	"fmt"
	"slices"
)

// Initial lays the weights (integer percents summing to 100) out as
// cumulative ranges: the first variant owns buckets 0 to w1·100−1, the
// next the following w2·100, and so on.
func Initial(weights []int) (Layout, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	l := make(Layout, len(weights))
	at := 0
	for v, w := range weights {
		if w > 0 {
			l[v] = []Range{{at, at + w*BucketsPerPercent}}
		}
		at += w * BucketsPerPercent
	}
	return l, nil
}

// Rebalance moves l to new weights so that no key moves between two
// variants unless one of them shrinks and the other grows: a variant
// whose weight falls gives up the highest buckets it owns, one whose
// weight rises keeps every bucket it had and takes freed buckets, lowest
// first, in variant order; a variant whose weight stays keeps exactly its
// buckets. Raising a variant's weight therefore only moves keys into it.
func Rebalance(l Layout, weights []int) (Layout, error) {
	if len(weights) != len(l) {
		return nil, fmt.Errorf("%d weights for %d variants", len(weights), len(l))
	}
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	sizes := l.Sizes()
	out := make(Layout, len(l))
	var free []int // bucket numbers given up, then taken
	for v, rs := range l {
		keep := weights[v] * BucketsPerPercent
		var buckets []int
		for _, r := range rs {
			for b := r.From; b < r.To; b++ {
				buckets = append(buckets, b)
			}
		}
		slices.Sort(buckets)
		if keep < len(buckets) {
			free = append(free, buckets[keep:]...)
			buckets = buckets[:keep]
		}
		out[v] = toRanges(buckets)
	}
	// Buckets no variant owned (none, in a layout made here) are free too.
	owned := make([]bool, Buckets)
	for _, rs := range l {
		for _, r := range rs {
			for b := r.From; b < r.To; b++ {
				owned[b] = true
			}
		}
	}
	for b, o := range owned {
		if !o {
			free = append(free, b)
		}
	}
	slices.Sort(free)
	for v := range out {
		need := weights[v]*BucketsPerPercent - min(sizes[v], weights[v]*BucketsPerPercent)
		if need == 0 {
			continue
		}
		var buckets []int
		for _, r := range out[v] {
			for b := r.From; b < r.To; b++ {
				buckets = append(buckets, b)
			}
		}
		buckets = append(buckets, free[:need]...)
		free = free[need:]
		slices.Sort(buckets)
		out[v] = toRanges(buckets)
	}
	return out, nil
}

// toRanges joins sorted bucket numbers into ranges.
func toRanges(buckets []int) []Range {
	var out []Range
	for _, b := range buckets {
		if n := len(out); n > 0 && out[n-1].To == b {
			out[n-1].To++
			continue
		}
		out = append(out, Range{b, b + 1})
	}
	return out
}

// WeightError is weights that are not whole percents from 0 to 100
// summing to 100.
type WeightError struct{ Msg string }

func (e *WeightError) Error() string { return e.Msg }

func checkWeights(weights []int) error {
	sum := 0
	for _, w := range weights {
		if w < 0 || w > 100 {
			return &WeightError{fmt.Sprintf("weight %d is not a percent from 0 to 100", w)}
		}
		sum += w
	}
	if sum != 100 {
		return &WeightError{fmt.Sprintf("weights sum to %d, not 100", sum)}
	}
	return nil
}

// Valid checks that l gives every bucket to exactly one variant.
func (l Layout) Valid() error {
	seen := make([]bool, Buckets)
	for v, rs := range l {
		for _, r := range rs {
			if r.From < 0 || r.To > Buckets || r.From >= r.To {
				return fmt.Errorf("variant %d: range %d-%d is outside 0-%d or empty", v, r.From, r.To, Buckets)
			}
			for b := r.From; b < r.To; b++ {
				if seen[b] {
					return fmt.Errorf("bucket %d belongs to two variants", b)
				}
				seen[b] = true
			}
		}
	}
	for b, s := range seen {
		if !s {
			return fmt.Errorf("bucket %d belongs to no variant", b)
		}
	}
	return nil
}
