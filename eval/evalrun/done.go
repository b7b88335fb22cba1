package evalrun

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"

	"promptbench/eval"
	"promptbench/eval/spill"
	"promptbench/workspace"
)

// done is what a run already has, for a resume: for each row × repeat of
// the run (numbered in the order the run goes over them), each variant's
// latest finished (not cancelled) call, reduced to what a resume decides
// with. It is made without a record per case in memory: the run's calls
// (without their texts) and the dataset's case keys are each sorted by
// case key in a spill.Sorter, joined, and the calls sorted again by row
// number, which the resume then reads along with the dataset. Memory does
// not grow with the run; a resume reads the whole entry only of a call it
// scores again.
type done struct {
	calls *spill.Sorter // by row number: doneRecord
	next  func() ([]byte, bool)
	stop  func()
	head  []byte // the next record, not yet taken
}

// doneCall is one finished call of a run.
type doneCall struct {
	variant   int
	id        string // its log entry's id
	cost      float64
	failed    bool // the call ended with a provider error
	unscored  bool // a scorer of its variant has not scored it (a crash came between)
	scorerErr bool // a scorer failed on it
}

const (
	doneFailed = 1 << iota
	doneUnscored
	doneScorerErr
)

// readDone reads what run has of variants vs (the run's own, in its
// order), one version's entries at a time and without their texts, and
// matches it to the rows rows gives (the run's rows × repeat, skipping
// what skip says, as the resume will go over them). With rerunErrors the
// failed calls are left out, so that they run again, and counted.
func readDone(ctx context.Context, ws *workspace.Workspace, run workspace.Run, vs []variantSpec, cases iter.Seq[eval.Case], rerunErrors bool) (*done, Rerun, error) {
	return readDoneChunk(ctx, ws, run, vs, cases, rerunErrors, spill.Chunk/2)
}

// readDoneChunk is readDone holding chunk bytes of calls in memory at
// each step.
func readDoneChunk(ctx context.Context, ws *workspace.Workspace, run workspace.Run, vs []variantSpec, cases iter.Seq[eval.Case], rerunErrors bool, chunk int) (*done, Rerun, error) {
	var rerun Rerun
	// The run's calls by case key, variant and id: the latest of a
	// variant's calls of a case comes last.
	byCase := spill.NewSorter(compareCaseCalls, chunk)
	defer byCase.Close()
	var rec []byte
	var seq uint64
	err := eachRunEntry(ctx, ws, run, func(e workspace.LogEntry) error {
		i := variantOf(run, e)
		if e.Cancelled || i < 0 {
			return nil
		}
		var flags byte
		if e.Error != "" {
			flags |= doneFailed
		}
		if len(unscored(vs[i].scorers, e.Scores)) > 0 {
			flags |= doneUnscored
		}
		if hasScorerError(e) {
			flags |= doneScorerErr
		}
		rec = appendBytes(rec[:0], caseKey(e.Case, e.Repeat))
		rec = binary.AppendUvarint(rec, uint64(i))
		rec = appendBytes(rec, []byte(e.ID))
		rec = binary.AppendUvarint(rec, seq)
		seq++
		rec = append(rec, flags)
		rec = binary.LittleEndian.AppendUint64(rec, math.Float64bits(e.Cost))
		return byCase.Add(rec)
	})
	if err != nil {
		return nil, rerun, err
	}
	// The rows' case keys, numbered in the order the resume goes over them.
	rowKeys := spill.NewSorter(compareRowKeys, chunk)
	defer rowKeys.Close()
	n := uint64(0)
	for c := range cases {
		rec = appendBytes(rec[:0], caseKey(c.ID, c.Repeat))
		rec = binary.AppendUvarint(rec, n)
		n++
		if err := rowKeys.Add(rec); err != nil {
			return nil, rerun, err
		}
	}
	// Joined on the case key, each variant's latest call of a case goes
	// to every row of that case, sorted by row number.
	d := &done{calls: spill.NewSorter(compareDone, chunk)}
	rows, stopRows := iter.Pull(func(yield func([]byte) bool) { rowKeys.Each(yield) })
	defer stopRows()
	row, more := rows()
	var group []doneCall // the current case's latest call of each variant
	var groupKey, pendKey []byte
	var pend doneCall
	havePend := false
	flushGroup := func() error {
		for more {
			key, _ := splitBytes(row)
			c := bytes.Compare(key, groupKey)
			if c > 0 {
				break
			}
			if c == 0 {
				_, rest := splitBytes(row)
				ordinal, _ := binary.Uvarint(rest)
				for _, call := range group {
					if err := d.calls.Add(appendDone(rec[:0], ordinal, call)); err != nil {
						return err
					}
				}
			}
			row, more = rows()
		}
		group = group[:0]
		return nil
	}
	endCall := func() error {
		if !havePend {
			return nil
		}
		havePend = false
		if !bytes.Equal(pendKey, groupKey) {
			if err := flushGroup(); err != nil {
				return err
			}
			groupKey = append(groupKey[:0], pendKey...)
		}
		switch {
		case rerunErrors && pend.failed:
			rerun.Calls++
			return nil // run again
		case rerunErrors && pend.scorerErr:
			rerun.Rescored++
		}
		group = append(group, pend)
		return nil
	}
	var joinErr error
	err = byCase.Each(func(r []byte) bool {
		key, rest := splitBytes(r)
		v, w := binary.Uvarint(rest)
		rest = rest[w:]
		id, rest := splitBytes(rest)
		_, w = binary.Uvarint(rest) // the order added
		rest = rest[w:]
		if havePend && (int(v) != pend.variant || !bytes.Equal(key, pendKey)) {
			if joinErr = endCall(); joinErr != nil {
				return false
			}
		}
		// Of one variant's calls of a case, the last (latest ID) counts.
		pendKey = append(pendKey[:0], key...)
		pend = doneCall{variant: int(v), id: string(id), cost: math.Float64frombits(binary.LittleEndian.Uint64(rest[1:])),
			failed: rest[0]&doneFailed != 0, unscored: rest[0]&doneUnscored != 0, scorerErr: rest[0]&doneScorerErr != 0}
		havePend = true
		return true
	})
	if err == nil {
		err = joinErr
	}
	if err == nil {
		err = endCall()
	}
	if err == nil {
		err = flushGroup()
	}
	if err != nil {
		d.close()
		return nil, rerun, err
	}
	d.next, d.stop = iter.Pull(func(yield func([]byte) bool) { d.calls.Each(yield) })
	return d, rerun, nil
}

// take returns the finished calls of row number ordinal (taken in
// increasing order), by variant.
func (d *done) take(ordinal uint64, out []doneCall) []doneCall {
	out = out[:0]
	if d == nil || d.next == nil {
		return out
	}
	for {
		if d.head == nil {
			rec, ok := d.next()
			if !ok {
				d.next = nil
				return out
			}
			d.head = rec
		}
		o, call := readDoneRecord(d.head)
		if o > ordinal {
			return out
		}
		d.head = nil
		if o == ordinal {
			out = append(out, call)
		}
	}
}

func (d *done) close() {
	if d == nil {
		return
	}
	if d.stop != nil {
		d.stop()
	}
	d.calls.Close()
}

func caseKey(id workspace.CaseID, repeat int) []byte {
	return binary.AppendUvarint(append([]byte(id), 0), uint64(repeat))
}

func appendBytes(b, s []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// splitBytes reads what appendBytes wrote, and returns the rest.
func splitBytes(b []byte) ([]byte, []byte) {
	n, w := binary.Uvarint(b)
	return b[w : w+int(n)], b[w+int(n):]
}

// compareCaseCalls orders a run's calls by case key, variant, ID and the
// order they came in.
func compareCaseCalls(a, b []byte) int {
	ka, ra := splitBytes(a)
	kb, rb := splitBytes(b)
	if c := bytes.Compare(ka, kb); c != 0 {
		return c
	}
	va, wa := binary.Uvarint(ra)
	vb, wb := binary.Uvarint(rb)
	if c := cmp.Compare(va, vb); c != 0 {
		return c
	}
	ia, ra := splitBytes(ra[wa:])
	ib, rb := splitBytes(rb[wb:])
	if c := bytes.Compare(ia, ib); c != 0 {
		return c
	}
	sa, _ := binary.Uvarint(ra)
	sb, _ := binary.Uvarint(rb)
	return cmp.Compare(sa, sb)
}

// compareRowKeys orders rows by case key (and, equal, as they came).
func compareRowKeys(a, b []byte) int {
	ka, _ := splitBytes(a)
	kb, _ := splitBytes(b)
	return bytes.Compare(ka, kb)
}

func appendDone(b []byte, ordinal uint64, c doneCall) []byte {
	b = binary.BigEndian.AppendUint64(b, ordinal)
	b = binary.AppendUvarint(b, uint64(c.variant))
	var flags byte
	if c.failed {
		flags |= doneFailed
	}
	if c.unscored {
		flags |= doneUnscored
	}
	if c.scorerErr {
		flags |= doneScorerErr
	}
	b = append(b, flags)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.cost))
	return append(b, c.id...)
}

func readDoneRecord(b []byte) (uint64, doneCall) {
	o := binary.BigEndian.Uint64(b)
	v, w := binary.Uvarint(b[8:])
	rest := b[8+w:]
	return o, doneCall{variant: int(v), failed: rest[0]&doneFailed != 0, unscored: rest[0]&doneUnscored != 0,
		scorerErr: rest[0]&doneScorerErr != 0, cost: math.Float64frombits(binary.LittleEndian.Uint64(rest[1:])), id: string(rest[9:])}
}

// compareDone orders finished calls by row number (big-endian: bytes
// compare as numbers), then variant.
func compareDone(a, b []byte) int { return bytes.Compare(a, b) }

// rescore reads the whole entry of a finished call of variant i and scores
// it again: by the scorers that have not scored it, or with
// --rerun-errors after a scorer error by all of them.
func (ex *execution) rescore(ctx context.Context, i int, v variantSpec, c eval.Case, expected any, d doneCall) {
	rv := ex.run.Variants[i]
	entries, err := ex.ws.LogsByKey(ctx, []workspace.LogKey{{Prompt: rv.Prompt, Version: rv.Version, ID: d.id}})
	if err != nil {
		ex.mu.Lock()
		ex.readErr = errors.Join(ex.readErr, fmt.Errorf("read log %s to score it again: %w", d.id, err))
		ex.mu.Unlock()
		return
	}
	e := entries[0]
	if e.ID == "" {
		return // removed meanwhile
	}
	scorers := unscored(v.scorers, e.Scores)
	if ex.o.RerunErrors && hasScorerError(e) {
		scorers = v.scorers
	}
	if len(scorers) > 0 {
		ex.scoring.submit(scoreJob{key: keyOf(e), scorers: scorers, in: ex.input(v, c, expected, e), recorded: true})
	}
}
