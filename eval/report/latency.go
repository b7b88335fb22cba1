package report

import (
	"maps"
	"slices"
	"time"
)

// latencies finds a variant's latency percentiles exactly without holding
// a latency per call. The report shows them in whole microseconds, and
// the microseconds of the i-th smallest latency are the i-th smallest
// microseconds, so counting is enough: a first pass counts the calls per
// 1,024 µs, which tells the stretch of each percentile and its rank in
// it; a second counts the microseconds within those stretches alone.
type latencies struct {
	n      int
	coarse map[int64]int // calls by microseconds ÷ 1,024
	// After the first pass: per percentile asked for, its stretch, its
	// rank in it, and the calls per microsecond there.
	want []latencyTarget
}

type latencyTarget struct {
	p       float64
	stretch int64
	rank    int
	fine    [1024]int
}

func (l *latencies) add(d time.Duration) {
	if l.coarse == nil {
		l.coarse = map[int64]int{}
	}
	l.coarse[d.Microseconds()>>10]++
	l.n++
}

// aim readies the second pass for percentiles ps (as percentile takes
// them: the call at index ⌊(n − 1)·p⌋ in order).
func (l *latencies) aim(ps ...float64) {
	if l.n == 0 {
		return
	}
	stretches := slices.Sorted(maps.Keys(l.coarse))
	for _, p := range ps {
		i := int(float64(l.n-1) * p)
		t := &latencyTarget{p: p}
		for _, s := range stretches {
			if i < l.coarse[s] {
				t.stretch, t.rank = s, i
				break
			}
			i -= l.coarse[s]
		}
		l.want = append(l.want, *t)
	}
}

// refine counts d in the stretches aimed at (the second pass).
func (l *latencies) refine(d time.Duration) {
	us := d.Microseconds()
	for k := range l.want {
		if us>>10 == l.want[k].stretch {
			l.want[k].fine[us&1023]++
		}
	}
}

// percentile is the latency at p after both passes, in whole
// microseconds; 0 without calls.
func (l *latencies) percentile(p float64) time.Duration {
	for _, t := range l.want {
		if t.p != p {
			continue
		}
		i := t.rank
		for us, n := range t.fine {
			if i < n {
				return time.Duration(t.stretch<<10|int64(us)) * time.Microsecond
			}
			i -= n
		}
	}
	return 0
}
