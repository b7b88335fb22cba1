package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The HTML matrix shows outputs side by side. A large run would make a
// page no browser opens, so it shows the rows worth reading (variants
// disagree, or with one variant: the row failed) up to maxFlagged, and
// the first firstRows others, and says how many it left out.
const (
	maxFlagged = 300
	firstRows  = 50
	maxOutput  = 2000 // runes of an output shown; the rest is counted
)

type matrix struct {
	Variants []string
	Rows     []matrixRow
	Total    int // rows of the run (case × repeat)
	Flagged  int // rows where the variants disagree (or that failed)
	Shown    int
	Others   int  // rows shown that are not flagged
	Left     int  // rows not shown
	Compare  bool // two or more variants: the flag is a disagreement
}

type matrixRow struct {
	Case  string
	Flag  bool
	Cells []matrixCell
}

type matrixCell struct {
	Present   bool
	Output    string
	Truncated int // runes cut from Output
	Error     string
	Meta      string
	Chips     []chip
}

type chip struct {
	Text, Class, Title string
}

// flagged tells whether case ci is worth a look: its variants disagree on
// a verdict or on whether the call or a scorer failed; with one variant,
// whether it failed.
func (res *Results) flagged(ci int32) bool {
	if len(res.cells) == 1 {
		c := res.at(0, ci)
		if c == nil {
			return false
		}
		for _, s := range res.scoresOf(0, ci) {
			if s == scoreFail || s == scoreError {
				return true
			}
		}
		return c.err()
	}
	first := res.at(0, ci)
	for v := 1; v < len(res.cells); v++ {
		c := res.at(v, ci)
		if first == nil || c == nil {
			continue
		}
		if first.err() != c.err() {
			return true
		}
		for _, spec := range res.specs[0] {
			a, okA := res.score(0, ci, spec)
			b, okB := res.score(v, ci, spec)
			if !okA || !okB {
				continue
			}
			if (a.state == scoreError) != (b.state == scoreError) || (a.judged() && b.judged() && a.state != b.state) {
				return true
			}
		}
	}
	return false
}

// pick chooses the rows the matrix shows, in case order.
func (res *Results) pick() (picked []int32, flagged int) {
	others := 0
	for _, ci := range res.sorted() {
		switch {
		case res.flagged(ci):
			if flagged++; flagged <= maxFlagged {
				picked = append(picked, ci)
			}
		case others < firstRows:
			others++
			picked = append(picked, ci)
		}
	}
	return picked, flagged
}

// matrixOf reads the picked rows' entries (all variants) through fetch.
func (res *Results) matrixOf(r *Report, fetch Fetch) (*matrix, error) {
	picked, flagged := res.pick()
	m := &matrix{Total: res.keys.len(), Flagged: flagged, Shown: len(picked), Others: len(picked) - min(flagged, maxFlagged),
		Left: res.keys.len() - len(picked), Compare: len(res.cells) > 1}
	for _, v := range res.in.Run.Variants {
		m.Variants = append(m.Variants, v.ID)
	}
	at := map[int32]int{}
	for i, ci := range picked {
		id, rep := splitCaseKey(res.keys.at(ci))
		name := id
		if r.Repeat > 1 {
			name += fmt.Sprintf(" #%d", rep+1)
		}
		at[ci] = i
		m.Rows = append(m.Rows, matrixRow{Case: name, Flag: res.flagged(ci), Cells: make([]matrixCell, len(res.cells))})
	}
	refs := func(yield func(CaseRef) bool) {
		for _, ci := range picked {
			for v := range res.cells {
				if res.at(v, ci) != nil && !yield(res.ref(v, ci)) {
					return
				}
			}
		}
	}
	ciOf := map[string]int32{}
	for _, ci := range picked {
		ciOf[string(res.keys.at(ci))] = ci
	}
	for row, err := range res.rowsOf(refs, fetch) {
		if err != nil {
			return nil, err
		}
		ci := ciOf[string(appendCaseKey(nil, row.Case, row.Repeat))]
		v := indexOf(m.Variants, row.Variant)
		m.Rows[at[ci]].Cells[v] = cellOf(row, res.specs[v])
	}
	return m, nil
}

func cellOf(row CaseRow, specs []string) matrixCell {
	out := strings.ToValidUTF8(row.Output, "\uFFFD")
	c := matrixCell{Present: true, Error: strings.ToValidUTF8(row.Error, "\uFFFD")}
	if n := utf8.RuneCountInString(out); n > maxOutput {
		out = string([]rune(out)[:maxOutput])
		c.Truncated = n - maxOutput
	}
	c.Output = out
	c.Meta = fmt.Sprintf("%s · %d→%d tok", msText(ms(row.Latency)), row.InputTokens, row.OutputTokens)
	if row.Cached {
		c.Meta += " · cached"
	}
	for _, spec := range specs {
		s, ok := row.scoreBy(spec)
		if !ok {
			continue
		}
		ch := chip{Title: spec}
		switch {
		case IsScorerError(s):
			ch.Text, ch.Class, ch.Title = "! "+clip(spec, 24), "err", spec+": scorer error: "+s.Error
		case s.Pass != nil && *s.Pass:
			ch.Text, ch.Class = "✓ "+clip(spec, 24), "pass"
		case s.Pass != nil:
			ch.Text, ch.Class = "✗ "+clip(spec, 24), "fail"
		default:
			ch.Text, ch.Class = fmt.Sprintf("%.3g %s", s.Value, clip(spec, 24)), "value"
		}
		if s.Comment != "" {
			ch.Title += ": " + s.Comment
		}
		c.Chips = append(c.Chips, ch)
	}
	return c
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return 0
}
