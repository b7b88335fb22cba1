package report

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"time"

	"promptbench/eval/spill"
	"promptbench/workspace"
)

// Results are a run's per-case results in compact form: what the report's
// figures, the paired comparisons and the per-case formats need, without
// outputs, messages or variables. They are filled one log entry at a time
// (Add), each kept as a record of about 60 bytes; past spill.Chunk bytes of
// them (some 70,000 calls) the records wait, sorted, in an unlinked
// temporary file, so that memory does not grow with the run. Read, they
// come back in case order, one case with all its variants at a time
// (each), as often as a report needs to go over them.
type Results struct {
	in     Input
	index  map[variantKey]int
	specs  [][]string       // by variant: its scorer specs in order
	specAt []map[string]int // by variant: spec → index in specs
	chunk  int              // bytes of records held in memory
	seq    uint64           // records added: the later of two equal ones counts
	adding *spill.Sorter    // the records as added, until sealed
	final  *spill.File      // the record each variant × case counts, in case order
	cases  int              // case keys in final
	err    error            // the first failure to keep or read back the records
	sweep  Sweep            // reads the run's entries for Rows; nil: look each up
	rec    []byte           // a record being made
	key    []byte           // and its case key
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
// describes. Close releases their temporary file.
func NewResults(in Input) *Results { return newResultsChunk(in, spill.Chunk) }

func newResultsChunk(in Input, chunk int) *Results {
	r := &Results{in: in, index: map[variantKey]int{}, chunk: chunk}
	n := len(in.Run.Variants)
	r.specs, r.specAt = make([][]string, n), make([]map[string]int, n)
	for i, v := range in.Run.Variants {
		r.index[variantKey{v.Prompt, v.Version, v.Model}] = i
		r.specs[i] = in.Scorers[v.ID]
		r.specAt[i] = map[string]int{}
		for j, s := range r.specs[i] {
			r.specAt[i][s] = j
		}
	}
	r.adding = spill.NewSorter(compareRecords, chunk)
	return r
}

// Add counts one log entry. An entry belongs to the variant with its
// prompt, version and model; a cancelled entry is no result; of two
// entries for the same case, repeat and variant (a case run again after a
// crash lost its scores) the later ID counts, and of two with one ID the
// one added last.
func (r *Results) Add(e workspace.LogEntry) {
	v, ok := r.index[variantKey{e.Prompt, e.Version, e.Model}]
	if !ok || e.Cancelled || r.adding == nil {
		return
	}
	n := len(r.specs[v])
	states := make([]scoreState, n)
	values := make([]float64, n)
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
	var flags cellFlags
	if e.Error != "" {
		flags |= cellErr
	}
	if e.Cached {
		flags |= cellCached
	}
	r.key = appendCaseKey(r.key[:0], string(e.Case), e.Repeat)
	b := binary.AppendUvarint(r.rec[:0], uint64(len(r.key)))
	b = append(b, r.key...)
	b = binary.AppendUvarint(b, uint64(v))
	b = binary.AppendUvarint(b, uint64(len(e.ID)))
	b = append(b, e.ID...)
	b = binary.AppendUvarint(b, r.seq)
	r.seq++
	b = append(b, byte(flags))
	b = binary.AppendVarint(b, int64(e.Latency))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.Cost))
	b = binary.AppendVarint(b, int64(e.InputTokens))
	b = binary.AppendVarint(b, int64(e.OutputTokens))
	for j := range n {
		b = append(b, byte(states[j]))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(values[j]))
	}
	r.rec = b
	r.fail(r.adding.Add(b))
}

func (r *Results) fail(err error) {
	if err != nil && r.err == nil {
		r.err = err
	}
}

// Err is the first failure to keep the results in, or read them back
// from, their temporary file: the report is then incomplete.
func (r *Results) Err() error { return r.err }

// Close releases the temporary files; nil results have none.
func (r *Results) Close() {
	if r == nil {
		return
	}
	if r.adding != nil {
		r.adding.Close()
	}
	if r.final != nil {
		r.final.Close()
	}
}

// recordHead reads the sort key of a record: case key, variant, entry ID
// and the order it was added in; rest is what follows.
func recordHead(rec []byte) (key []byte, v int, id []byte, seq uint64, rest []byte) {
	n, w := binary.Uvarint(rec)
	key, rec = rec[w:w+int(n)], rec[w+int(n):]
	vv, w := binary.Uvarint(rec)
	rec = rec[w:]
	n, w = binary.Uvarint(rec)
	id, rec = rec[w:w+int(n)], rec[w+int(n):]
	seq, w = binary.Uvarint(rec)
	return key, int(vv), id, seq, rec[w:]
}

// compareRecords orders records by case key, then variant, then entry ID
// (the later counts), then the order they came in.
func compareRecords(a, b []byte) int {
	ka, va, ia, sa, _ := recordHead(a)
	kb, vb, ib, sb, _ := recordHead(b)
	if c := bytes.Compare(ka, kb); c != 0 {
		return c
	}
	if c := cmp.Compare(va, vb); c != 0 {
		return c
	}
	if c := bytes.Compare(ia, ib); c != 0 {
		return c
	}
	return cmp.Compare(sa, sb)
}

// seal sorts what was added and keeps, of each variant × case, the record
// that counts.
func (r *Results) seal() {
	if r.final != nil {
		return
	}
	r.final = &spill.File{Limit: r.chunk}
	var pending, lastKey []byte
	put := func() {
		if pending == nil {
			return
		}
		key, _, _, _, _ := recordHead(pending)
		if r.cases == 0 || !bytes.Equal(key, lastKey) {
			r.cases++
			lastKey = append(lastKey[:0], key...)
		}
		r.fail(r.final.Add(pending))
	}
	var spare []byte
	r.fail(r.adding.Each(func(rec []byte) bool {
		if pending != nil {
			kp, vp, _, _, _ := recordHead(pending)
			k, v, _, _, _ := recordHead(rec)
			if v != vp || !bytes.Equal(k, kp) {
				put()
			}
		}
		spare = append(spare[:0], rec...)
		pending, spare = spare, pending
		return true
	}))
	put()
	r.adding.Close()
	r.adding = nil
}

// caseCells is one case × repeat with every variant's cell.
type caseCells struct {
	key   []byte
	cells []cell // by variant
}

// cell is one variant's result on one case × repeat.
type cell struct {
	flags   cellFlags
	latency time.Duration
	cost    float64
	in, out int32
	id      []byte
	states  []scoreState // by the variant's scorer index
	values  []float64
}

type cellFlags uint8

const (
	cellPresent cellFlags = 1 << iota // an entry counts here
	cellErr                           // the call failed
	cellCached                        // answered from the response cache
)

func (c *cell) present() bool { return c.flags&cellPresent != 0 }
func (c *cell) err() bool     { return c.flags&cellErr != 0 }
func (c *cell) cached() bool  { return c.flags&cellCached != 0 }

// each calls fn with every case in case-key order, with the cells of the
// variants that have it; c is valid only during the call. A failure to
// read the results back stops it and is kept (Err).
func (r *Results) each(fn func(c *caseCells) bool) {
	r.seal()
	c := &caseCells{cells: make([]cell, len(r.specs))}
	for v := range c.cells {
		c.cells[v].states = make([]scoreState, len(r.specs[v]))
		c.cells[v].values = make([]float64, len(r.specs[v]))
	}
	open := false
	stopped := false
	flush := func() bool {
		if open && !fn(c) {
			stopped = true
			return false
		}
		for v := range c.cells {
			c.cells[v].flags = 0
		}
		open = false
		return true
	}
	r.fail(r.final.Each(func(rec []byte) bool {
		key, v, id, _, rest := recordHead(rec)
		if open && !bytes.Equal(key, c.key) && !flush() {
			return false
		}
		if !open {
			c.key, open = append(c.key[:0], key...), true
		}
		cl := &c.cells[v]
		cl.flags = cellFlags(rest[0]) | cellPresent
		rest = rest[1:]
		lat, w := binary.Varint(rest)
		rest = rest[w:]
		cl.latency, cl.cost = time.Duration(lat), math.Float64frombits(binary.LittleEndian.Uint64(rest))
		rest = rest[8:]
		in, w := binary.Varint(rest)
		rest = rest[w:]
		out, w := binary.Varint(rest)
		rest = rest[w:]
		cl.in, cl.out = int32(in), int32(out)
		cl.id = append(cl.id[:0], id...)
		for j := range cl.states {
			cl.states[j] = scoreState(rest[0])
			cl.values[j] = math.Float64frombits(binary.LittleEndian.Uint64(rest[1:]))
			rest = rest[9:]
		}
		return true
	}))
	if !stopped {
		flush()
	}
}

// at is variant v's cell of c, or nil.
func (c *caseCells) at(v int) *cell {
	if !c.cells[v].present() {
		return nil
	}
	return &c.cells[v]
}

// score is variant v's verdict of spec on c.
func (r *Results) score(c *caseCells, v int, spec string) (scoreCell, bool) {
	cl := c.at(v)
	if cl == nil || len(cl.states) == 0 {
		return scoreCell{}, false
	}
	j, ok := r.specAt[v][spec]
	if !ok || cl.states[j] == scoreMissing {
		return scoreCell{}, false
	}
	return scoreCell{value: cl.values[j], state: cl.states[j]}, true
}

// usable: a score to compare (the call worked and the scorer gave one).
func (r *Results) usable(c *caseCells, v int, spec string) bool {
	s, ok := r.score(c, v, spec)
	return ok && s.state != scoreError && !c.at(v).err()
}

// caseCount is how many case keys (case × repeat) the results have.
func (r *Results) caseCount() int {
	r.seal()
	return r.cases
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
// counts: what the per-case formats write. It goes over the results once
// per variant.
func (r *Results) Refs(yield func(CaseRef) bool) {
	for v := range r.specs {
		stopped := false
		r.each(func(c *caseCells) bool {
			if c.at(v) != nil && !yield(r.ref(c, v)) {
				stopped = true
				return false
			}
			return true
		})
		if stopped || r.err != nil {
			return
		}
	}
}

func (r *Results) ref(c *caseCells, v int) CaseRef {
	rv := r.in.Run.Variants[v]
	id, rep := splitCaseKey(c.key)
	return CaseRef{Variant: v, Case: id, Repeat: rep, Key: workspace.LogKey{Prompt: rv.Prompt, Version: rv.Version, ID: string(c.cells[v].id)}}
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
