package report

import (
	"fmt"
	"math"
)

// The HTML report's charts are inline SVG drawn from numbers computed
// here, so that the page needs no script library and no network.

const (
	labelWidth = 240 // variant names, left of the plot
	plotLeft   = 250
	plotWidth  = 380
	rowHeight  = 30
)

// passChart draws one scorer's pass rate per variant: a bar, its 95%
// Wilson interval as a whisker, and the figures as text.
type passChart struct {
	Scorer string
	Height int
	Bars   []passBar
	Ticks  []tick
	AxisY  int
}

type passBar struct {
	Label, Full, Text   string
	Y, MidY, TextY      int
	WhiskerTop          int
	WhiskerBottom       int
	Width, Low, High, X string // x coordinates, formatted
}

type tick struct {
	X, Label string
}

func x(rate float64) string { return fmt.Sprintf("%.1f", plotLeft+rate*plotWidth) }

// passChartOf is nil when no variant judged spec (a scorer without
// pass/fail).
func passChartOf(r *Report, spec string) *passChart {
	c := &passChart{Scorer: spec}
	judged := false
	for _, v := range r.Variants {
		for _, s := range v.Scorers {
			if s.Spec != spec {
				continue
			}
			y := 10 + len(c.Bars)*rowHeight
			b := passBar{Label: clip(v.ID, 34), Full: v.ID, Y: y, MidY: y + 10, TextY: y + 15, X: x(0), WhiskerTop: y + 4, WhiskerBottom: y + 16}
			if s.Judged > 0 {
				judged = true
				b.Width = fmt.Sprintf("%.1f", s.PassRate*plotWidth)
				b.Low, b.High = x(s.CI.Low), x(s.CI.High)
				b.Text = fmt.Sprintf("%.1f%% [%.1f–%.1f] of %d", s.PassRate*100, s.CI.Low*100, s.CI.High*100, s.Judged)
			} else {
				b.Width, b.Low, b.High, b.Text = "0", x(0), x(0), "no pass/fail"
			}
			c.Bars = append(c.Bars, b)
		}
	}
	if !judged {
		return nil
	}
	c.AxisY = 10 + len(c.Bars)*rowHeight
	c.Height = c.AxisY + 22
	for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.Ticks = append(c.Ticks, tick{X: x(p), Label: fmt.Sprintf("%.0f%%", p*100)})
	}
	return c
}

// distChart draws one scorer's score distribution per variant: a row of
// histogram bars each.
type distChart struct {
	Scorer string
	Height int
	Rows   []distRow
	Ticks  []tick
	AxisY  int
}

type distRow struct {
	Label, Full string
	Y, TextY    int
	Bars        []distBar
}

type distBar struct {
	X, Y, W, H string
	Title      string
}

const distBins = 10

// distChartOf counts the scores of spec in bins over their range ([0, 1]
// when they all fall in it); nil when no variant has a score.
func (res *Results) distChartOf(spec string) *distChart {
	lo, hi := math.Inf(1), math.Inf(-1)
	res.each(func(c *caseCells) bool {
		for v := range c.cells {
			if s, ok := res.score(c, v, spec); ok && s.scored() {
				lo, hi = math.Min(lo, s.value), math.Max(hi, s.value)
			}
		}
		return true
	})
	if math.IsInf(lo, 0) {
		return nil
	}
	if lo >= 0 && hi <= 1 {
		lo, hi = 0, 1
	}
	bins := distBins
	if hi == lo {
		bins = 1
	}
	bin := func(v float64) int {
		if bins == 1 {
			return 0
		}
		return min(int((v-lo)/(hi-lo)*float64(bins)), bins-1)
	}
	c := &distChart{Scorer: spec}
	counts := make([][]int, len(res.specs))
	most := 1
	for v := range counts {
		if _, ok := res.specAt[v][spec]; ok {
			counts[v] = make([]int, bins)
		}
	}
	res.each(func(c *caseCells) bool {
		for v := range counts {
			if counts[v] == nil {
				continue
			}
			if s, ok := res.score(c, v, spec); ok && s.scored() {
				b := bin(s.value)
				counts[v][b]++
				most = max(most, counts[v][b])
			}
		}
		return true
	})
	const h = 40
	w := float64(plotWidth) / float64(bins)
	for v, cs := range counts {
		if cs == nil {
			continue
		}
		id := res.in.Run.Variants[v].ID
		y := 10 + len(c.Rows)*(h+10)
		row := distRow{Label: clip(id, 34), Full: id, Y: y, TextY: y + h/2 + 5}
		for b, n := range cs {
			bh := float64(n) / float64(most) * h
			from, to := lo+(hi-lo)*float64(b)/float64(bins), lo+(hi-lo)*float64(b+1)/float64(bins)
			row.Bars = append(row.Bars, distBar{
				X: fmt.Sprintf("%.1f", plotLeft+float64(b)*w+1), W: fmt.Sprintf("%.1f", w-2),
				Y: fmt.Sprintf("%.1f", float64(y+h)-bh), H: fmt.Sprintf("%.1f", bh),
				Title: fmt.Sprintf("%s: %d score(s) from %.3g to %.3g", id, n, from, to),
			})
		}
		c.Rows = append(c.Rows, row)
	}
	c.AxisY = 10 + len(c.Rows)*(h+10)
	c.Height = c.AxisY + 22
	for _, p := range []float64{0, 0.5, 1} {
		c.Ticks = append(c.Ticks, tick{X: fmt.Sprintf("%.1f", plotLeft+p*plotWidth), Label: fmt.Sprintf("%.3g", lo+(hi-lo)*p)})
	}
	return c
}
