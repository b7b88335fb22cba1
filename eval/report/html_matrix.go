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

// flagged tells whether case c is worth a look: its variants disagree on
// a verdict or on whether the call or a scorer failed; with one variant,
// whether it failed.
func (res *Results) flagged(c *caseCells) bool {
	if len(c.cells) == 1 {
		cl := c.at(0)
		if cl == nil {
			return false
		}
		for _, s := range cl.states {
			if s == scoreFail || s == scoreError {
				return true
			}
		}
		return cl.err()
	}
	first := c.at(0)
	for v := 1; v < len(c.cells); v++ {
		cl := c.at(v)
		if first == nil || cl == nil {
			continue
		}
		if first.err() != cl.err() {
			return true
		}
		for _, spec := range res.specs[0] {
			a, okA := res.score(c, 0, spec)
			b, okB := res.score(c, v, spec)
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

// pickedRow is a case the matrix shows, with the entries to read for it.
type pickedRow struct {
	key  string
	flag bool
	refs []CaseRef // of the variants that have the case
}

// pick chooses the rows the matrix shows, in case order, in one pass.
func (res *Results) pick() (picked []pickedRow, flagged int) {
	others := 0
	res.each(func(c *caseCells) bool {
		flag := res.flagged(c)
		switch {
		case flag:
			if flagged++; flagged > maxFlagged {
				return true
			}
		case others < firstRows:
			others++
		default:
			return true
		}
		p := pickedRow{key: string(c.key), flag: flag}
		for v := range c.cells {
			if c.at(v) != nil {
				p.refs = append(p.refs, res.ref(c, v))
			}
		}
		picked = append(picked, p)
		return true
	})
	return picked, flagged
}

// matrixOf reads the picked rows' entries (all variants) through fetch.
func (res *Results) matrixOf(r *Report, fetch Fetch) (*matrix, error) {
	picked, flagged := res.pick()
	if err := res.Err(); err != nil {
		return nil, err
	}
	total := res.caseCount()
	m := &matrix{Total: total, Flagged: flagged, Shown: len(picked), Others: len(picked) - min(flagged, maxFlagged),
		Left: total - len(picked), Compare: len(res.specs) > 1}
	for _, v := range res.in.Run.Variants {
		m.Variants = append(m.Variants, v.ID)
	}
	at := map[string]int{}
	for i, p := range picked {
		id, rep := splitCaseKey([]byte(p.key))
		name := id
		if r.Repeat > 1 {
			name += fmt.Sprintf(" #%d", rep+1)
		}
		at[p.key] = i
		m.Rows = append(m.Rows, matrixRow{Case: name, Flag: p.flag, Cells: make([]matrixCell, len(res.specs))})
	}
	refs := func(yield func(CaseRef) bool) {
		for _, p := range picked {
			for _, ref := range p.refs {
				if !yield(ref) {
					return
				}
			}
		}
	}
	for row, err := range res.rowsOf(refs, fetch) {
		if err != nil {
			return nil, err
		}
		i := at[string(appendCaseKey(nil, row.Case, row.Repeat))]
		v := indexOf(m.Variants, row.Variant)
		m.Rows[i].Cells[v] = cellOf(row, res.specs[v])
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
