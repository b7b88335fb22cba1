package report

import (
	"bytes"
	"slices"
	"strings"

	"promptbench/workspace"
)

// Results are a run's per-case results in compact form: what the report's
// figures, the paired comparisons and the per-case formats need, without
// outputs, messages or variables. They are filled one log entry at a time
// (Add), so that a report over 100,000 calls never holds the entries:
// about 70 bytes per case and variant stay (40 for the call, 9 per
// scorer, about 20 for the case key): a run of 400,000 calls keeps
// some 28 MB.
type Results struct {
	in     Input
	index  map[variantKey]int
	specs  [][]string       // by variant: its scorer specs in order
	specAt []map[string]int // by variant: spec → index in specs
	keys   *caseKeys        // case keys, numbered as they come
	cells  [][]cell         // [variant][case index]
	// states and values are the cells' verdicts, one run of the
	// variant's scorer count per case index: [variant][case index ×
	// scorers + scorer]. One slice per variant instead of one per cell
	// spares a slice header and an allocation per call, and two slices
	// instead of one of scoreCell the padding after each state.
	states [][]scoreState
	values [][]float64
	// oddIDs are the entry IDs of the cells whose IDs are not those
	// NewLogID makes (cell.id holds the rest): [variant][case index].
	oddIDs   []map[int32]string
	scratch  []byte  // a case key being built
	order    []int32 // case indexes in key order, once sorted
	orderLen int     // keys.len() when order was sorted
}

type variantKey struct {
	prompt  string
	version int
	model   string
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
	r := &Results{in: in, index: map[variantKey]int{}, keys: newCaseKeys(cases)}
	n := len(in.Run.Variants)
	r.specs, r.specAt, r.cells = make([][]string, n), make([]map[string]int, n), make([][]cell, n)
	r.states, r.values = make([][]scoreState, n), make([][]float64, n)
	r.oddIDs = make([]map[int32]string, n)
	for i, v := range in.Run.Variants {
		r.index[variantKey{v.Prompt, v.Version, v.Model}] = i
		r.specs[i] = in.Scorers[v.ID]
		r.specAt[i] = map[string]int{}
		for j, s := range r.specs[i] {
			r.specAt[i][s] = j
		}
		r.cells[i] = make([]cell, 0, cases)
		r.states[i] = make([]scoreState, 0, cases*len(r.specs[i]))
		r.values[i] = make([]float64, 0, cases*len(r.specs[i]))
	}
	return r
}

// Add counts one log entry. An entry belongs to the variant with its
// prompt, version and model; a cancelled entry is no result; of two
// entries for the same case, repeat and variant (a case run again after a
// crash lost its scores) the later counts.
func (r *Results) Add(e workspace.LogEntry) {
	v, ok := r.index[variantKey{e.Prompt, e.Version, e.Model}]
	if !ok || e.Cancelled {
		return
	}
	r.scratch = appendCaseKey(r.scratch[:0], string(e.Case), e.Repeat)
	ci := r.keys.index(r.scratch)
	row := r.cells[v]
	if int(ci) >= len(row) {
		row = append(row, make([]cell, int(ci)+1-len(row))...)
		r.cells[v] = row
	}
	c := &row[ci]
	if c.present() && r.id(v, ci) > e.ID {
		return
	}
	*c = cell{latency: e.Latency, cost: e.Cost, in: int32(e.InputTokens), out: int32(e.OutputTokens)}
	c.set(cellPresent, true)
	c.set(cellErr, e.Error != "")
	c.set(cellCached, e.Cached)
	if packID(&c.id, e.ID) {
		c.set(cellPackedID, true)
		delete(r.oddIDs[v], ci)
	} else {
		if r.oddIDs[v] == nil {
			r.oddIDs[v] = map[int32]string{}
		}
		// A clone: a decoder may hand out strings that share the whole
		// entry's bytes, which would then stay in memory.
		r.oddIDs[v][ci] = strings.Clone(e.ID)
	}
	n := len(r.specs[v])
	if n == 0 {
		return
	}
	if end := (int(ci) + 1) * n; end > len(r.states[v]) {
		r.states[v] = append(r.states[v], make([]scoreState, end-len(r.states[v]))...)
		r.values[v] = append(r.values[v], make([]float64, end-len(r.values[v]))...)
	}
	states, values := r.scoresOf(v, ci), r.values[v][int(ci)*n:(int(ci)+1)*n]
	clear(states)
	clear(values)
	for _, s := range e.Scores {
		j, ok := r.specAt[v][s.By]
		if !ok {
			continue
		}
		switch {
		case IsScorerError(s):
			states[j] = scoreError
			continue
		case s.Pass != nil && *s.Pass:
			states[j] = scorePass
		case s.Pass != nil:
			states[j] = scoreFail
		default:
			states[j] = scoreValue
		}
		values[j] = s.Value
	}
}

// scoresOf are variant v's verdicts on case ci (their states), by its
// scorer index; nil when it has none.
func (r *Results) scoresOf(v int, ci int32) []scoreState {
	n := len(r.specs[v])
	if n == 0 || (int(ci)+1)*n > len(r.states[v]) {
		return nil
	}
	return r.states[v][int(ci)*n : (int(ci)+1)*n]
}

// sorted returns the case indexes in case-key order.
func (r *Results) sorted() []int32 {
	if r.orderLen != r.keys.len() || r.order == nil {
		r.order = make([]int32, r.keys.len())
		for i := range r.order {
			r.order[i] = int32(i)
		}
		slices.SortFunc(r.order, func(a, b int32) int {
			return bytes.Compare(r.keys.at(a), r.keys.at(b))
		})
		r.orderLen = r.keys.len()
	}
	return r.order
}

// at is variant v's cell of case index ci, or nil.
func (r *Results) at(v int, ci int32) *cell {
	if int(ci) >= len(r.cells[v]) || !r.cells[v][ci].present() {
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
	if !ok || scores[j] == scoreMissing {
		return scoreCell{}, false
	}
	return scoreCell{value: r.values[v][int(ci)*len(r.specs[v])+j], state: scores[j]}, true
}

// usable: a score to compare (the call worked and the scorer gave one).
func (r *Results) usable(v int, ci int32, spec string) bool {
	s, ok := r.score(v, ci, spec)
	return ok && s.state != scoreError && !r.at(v, ci).err()
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
	id, rep := splitCaseKey(r.keys.at(ci))
	return CaseRef{Variant: v, Case: id, Repeat: rep, Key: workspace.LogKey{Prompt: rv.Prompt, Version: rv.Version, ID: r.id(v, ci)}}
}

// id is the entry ID of variant v's cell of case index ci.
func (r *Results) id(v int, ci int32) string {
	c := &r.cells[v][ci]
	if c.has(cellPackedID) {
		return unpackID(&c.id)
	}
	return r.oddIDs[v][ci]
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
