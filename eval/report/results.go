package report

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"promptbench/workspace"
)

// Results are a run's per-case results in compact form: what the report's
// figures, the paired comparisons and the per-case formats need, without
// outputs, messages or variables. They are filled one log entry at a time
// (Add), so that a report over 100,000 calls never holds the entries:
// about a hundred bytes per case and variant stay.
type Results struct {
	in      Input
	index   map[variantKey]int
	specs   [][]string       // by variant: its scorer specs in order
	specAt  []map[string]int // by variant: spec → index in specs
	caseIdx map[string]int32 // case key → index in keys
	keys    []string         // case keys (case ID \x00 repeat), by index
	cells   [][]cell         // [variant][case index]
	// scores are the cells' verdicts, one run of the variant's scorer
	// count per case index: [variant][case index × scorers + scorer]. One
	// slice per variant instead of one per cell spares a slice header and
	// an allocation per call.
	scores   [][]scoreCell
	order    []int32 // case indexes in key order, once sorted
	orderLen int     // len(keys) when order was sorted
}

type variantKey struct {
	prompt  string
	version int
	model   string
}

// cell is one variant's result on one case × repeat; id "" is none. Its
// scores are in Results.scores.
type cell struct {
	id      string
	err     bool
	cached  bool
	latency time.Duration
	in, out int32
	cost    float64
}

// scoreCell is one scorer's verdict in a cell.
type scoreCell struct {
	value float64
	state scoreState
}

type scoreState uint8

const (
	scoreMissing scoreState = iota // the scorer gave nothing (yet)
	scoreValue                     // a value without pass/fail
	scorePass
	scoreFail
	scoreError // a scorer error: counted apart, never a zero
)

func (s scoreCell) scored() bool { return s.state != scoreMissing && s.state != scoreError }
func (s scoreCell) judged() bool { return s.state == scorePass || s.state == scoreFail }

// NewResults starts the results of a run whose variants and scorers in
// describes.
func NewResults(in Input) *Results {
	// The cases a run has, as a first size: growing by appends would
	// leave up to a quarter unused and copy everything at each step.
	cases := max(in.Rows, 0) * max(in.Repeat, 1)
	r := &Results{in: in, index: map[variantKey]int{}, caseIdx: make(map[string]int32, cases), keys: make([]string, 0, cases)}
	n := len(in.Run.Variants)
	r.specs, r.specAt, r.cells, r.scores = make([][]string, n), make([]map[string]int, n), make([][]cell, n), make([][]scoreCell, n)
	for i, v := range in.Run.Variants {
		r.index[variantKey{v.Prompt, v.Version, v.Model}] = i
		r.specs[i] = in.Scorers[v.ID]
		r.specAt[i] = map[string]int{}
		for j, s := range r.specs[i] {
			r.specAt[i][s] = j
		}
		r.cells[i] = make([]cell, 0, cases)
		r.scores[i] = make([]scoreCell, 0, cases*len(r.specs[i]))
	}
	return r
}

// SetInput replaces what the report states besides the cases (the run's
// final record, the judges' usage) for results collected while the run
// went on; the variants and scorers must be those NewResults got.
func (r *Results) SetInput(in Input) { r.in = in }

// Add counts one log entry. An entry belongs to the variant with its
// prompt, version and model; a cancelled entry is no result; of two
// entries for the same case, repeat and variant (a case run again after a
// crash lost its scores) the later counts.
func (r *Results) Add(e workspace.LogEntry) {
	v, ok := r.index[variantKey{e.Prompt, e.Version, e.Model}]
	if !ok || e.Cancelled {
		return
	}
	k := caseKey(e.Case, e.Repeat)
	ci, ok := r.caseIdx[k]
	if !ok {
		ci = int32(len(r.keys))
		r.caseIdx[k] = ci
		r.keys = append(r.keys, k)
	}
	row := r.cells[v]
	if int(ci) >= len(row) {
		row = append(row, make([]cell, int(ci)+1-len(row))...)
		r.cells[v] = row
	}
	c := &row[ci]
	if c.id != "" && c.id > e.ID {
		return
	}
	// A clone: a decoder may hand out strings that share the whole
	// entry's bytes, which would then stay in memory.
	*c = cell{id: strings.Clone(e.ID), err: e.Error != "", cached: e.Cached, latency: e.Latency,
		in: int32(e.InputTokens), out: int32(e.OutputTokens), cost: e.Cost}
	n := len(r.specs[v])
	if n == 0 {
		return
	}
	if end := (int(ci) + 1) * n; end > len(r.scores[v]) {
		r.scores[v] = append(r.scores[v], make([]scoreCell, end-len(r.scores[v]))...)
	}
	scores := r.scoresOf(v, ci)
	clear(scores)
	for _, s := range e.Scores {
		j, ok := r.specAt[v][s.By]
		if !ok {
			continue
		}
		sc := scoreCell{value: s.Value, state: scoreValue}
		switch {
		case IsScorerError(s):
			sc = scoreCell{state: scoreError}
		case s.Pass != nil && *s.Pass:
			sc.state = scorePass
		case s.Pass != nil:
			sc.state = scoreFail
		}
		scores[j] = sc
	}
}

// scoresOf are variant v's verdicts on case ci, by its scorer index; nil
// when it has none.
func (r *Results) scoresOf(v int, ci int32) []scoreCell {
	n := len(r.specs[v])
	if n == 0 || (int(ci)+1)*n > len(r.scores[v]) {
		return nil
	}
	return r.scores[v][int(ci)*n : (int(ci)+1)*n]
}

// sorted returns the case indexes in case-key order.
func (r *Results) sorted() []int32 {
	if r.orderLen != len(r.keys) || r.order == nil {
		r.order = make([]int32, len(r.keys))
		for i := range r.order {
			r.order[i] = int32(i)
		}
		slices.SortFunc(r.order, func(a, b int32) int {
			switch ka, kb := r.keys[a], r.keys[b]; {
			case ka < kb:
				return -1
			case ka > kb:
				return 1
			}
			return 0
		})
		r.orderLen = len(r.keys)
	}
	return r.order
}

// at is variant v's cell of case index ci, or nil.
func (r *Results) at(v int, ci int32) *cell {
	if int(ci) >= len(r.cells[v]) || r.cells[v][ci].id == "" {
		return nil
	}
	return &r.cells[v][ci]
}

// score is variant v's verdict of spec on case ci.
func (r *Results) score(v int, ci int32, spec string) (scoreCell, bool) {
	scores := r.scoresOf(v, ci)
	if r.at(v, ci) == nil || scores == nil {
		return scoreCell{}, false
	}
	j, ok := r.specAt[v][spec]
	if !ok || scores[j].state == scoreMissing {
		return scoreCell{}, false
	}
	return scores[j], true
}

// usable: a score to compare (the call worked and the scorer gave one).
func (r *Results) usable(v int, ci int32, spec string) bool {
	s, ok := r.score(v, ci, spec)
	return ok && s.state != scoreError && !r.at(v, ci).err
}

// CaseRef names the log entry the report counts for one row × variant ×
// repeat.
type CaseRef struct {
	Variant int // index in the run's variants
	Case    string
	Repeat  int
	Key     workspace.LogKey
}

// Refs lists, variant by variant, in case order, the entries the report
// counts: what the per-case formats write.
func (r *Results) Refs(yield func(CaseRef) bool) {
	for v := range r.cells {
		for _, ci := range r.sorted() {
			if r.at(v, ci) != nil && !yield(r.ref(v, ci)) {
				return
			}
		}
	}
}

func (r *Results) ref(v int, ci int32) CaseRef {
	rv := r.in.Run.Variants[v]
	id, rep := splitCaseKey(r.keys[ci])
	return CaseRef{Variant: v, Case: id, Repeat: rep, Key: workspace.LogKey{Prompt: rv.Prompt, Version: rv.Version, ID: r.cells[v][ci].id}}
}

func caseKey(id workspace.CaseID, repeat int) string {
	return string(id) + "\x00" + strconv.Itoa(repeat)
}

func splitCaseKey(k string) (string, int) {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == 0 {
			n, _ := strconv.Atoi(k[i+1:])
			return k[:i], n
		}
	}
	return k, 0
}

// InputOf is the input a recorded report was computed from, to read the
// run's cases again for a per-case format.
func InputOf(run workspace.Run, r *Report) Input {
	in := Input{Run: run, Rows: r.Rows, Repeat: r.Repeat, Skipped: r.Skipped, FailUnder: r.FailUnder, Scorers: map[string][]string{}}
	for _, v := range r.Variants {
		for _, s := range v.Scorers {
			in.Scorers[v.ID] = append(in.Scorers[v.ID], s.Spec)
		}
	}
	return in
}
