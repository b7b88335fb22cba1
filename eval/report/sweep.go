package report

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"iter"

	gojson "github.com/goccy/go-json"

	"promptbench/eval/spill"
	"promptbench/workspace"
)

// Sweep calls fn with the stored bytes of every log entry of a run, in any
// order: a read of the whole run in one pass, where a lookup per entry
// costs a check of every level-0 table of the store.
type Sweep func(fn func(raw []byte) error) error

// UseSweep makes Rows read the run's entries through sweep: every entry
// once, sorted by variant and case in a temporary file, instead of a
// lookup per case. The formats that list every case (jsonl, csv, junit)
// read them so; the HTML page, which shows a few hundred, looks them up.
func (r *Results) UseSweep(sweep Sweep) { r.sweep = sweep }

// sweptHead is what sorting an entry needs of it.
type sweptHead struct {
	ID        string           `json:"id"`
	Prompt    string           `json:"prompt"`
	Version   int              `json:"version"`
	Model     string           `json:"model"`
	Case      workspace.CaseID `json:"case"`
	Repeat    int              `json:"repeat"`
	Cancelled bool             `json:"cancelled"`
}

// sweptRows streams the cases the report counts, variant by variant in
// case order, from a sweep of the run's entries: each entry is sorted with
// its bytes by variant, case and ID, and an entry is written when it is
// the one the results count for its case (a later entry, or one the
// results did not see, is passed over).
func (r *Results) sweptRows() iter.Seq2[CaseRow, error] {
	return func(yield func(CaseRow, error) bool) {
		// Half the results' chunk: the entries' bytes come in chunks too.
		sorted := spill.NewSorter(compareSwept, r.chunk/2)
		defer sorted.Close()
		var rec, key []byte
		seq := uint64(0)
		err := r.sweep(func(raw []byte) error {
			var h sweptHead
			if err := gojson.Unmarshal(raw, &h); err != nil {
				return fmt.Errorf("decode a log entry: %w", err)
			}
			v, ok := r.index[variantKey{h.Prompt, h.Version, h.Model}]
			if !ok || h.Cancelled {
				return nil
			}
			key = appendCaseKey(key[:0], string(h.Case), h.Repeat)
			rec = binary.BigEndian.AppendUint32(rec[:0], uint32(v))
			rec = binary.AppendUvarint(rec, uint64(len(key)))
			rec = append(rec, key...)
			rec = binary.AppendUvarint(rec, uint64(len(h.ID)))
			rec = append(rec, h.ID...)
			rec = binary.BigEndian.AppendUint64(rec, seq)
			seq++
			rec = append(rec, raw...)
			return sorted.Add(rec)
		})
		if err != nil {
			yield(CaseRow{}, err)
			return
		}
		next, stop := iter.Pull(r.Refs)
		defer stop()
		ref, ok := next()
		var refKey []byte
		var yieldErr error
		stopped := false
		// Each entry in order is written when it is the one the results
		// count for its variant and case; others (an earlier entry of
		// the case, one of a judge) are passed over.
		err = sorted.Each(func(rec []byte) bool {
			v, key, id, raw := splitSwept(rec)
			for ok {
				refKey = appendCaseKey(refKey[:0], ref.Case, ref.Repeat)
				c := cmp.Compare(ref.Variant, v)
				if c == 0 {
					c = bytes.Compare(refKey, key)
				}
				if c > 0 || c == 0 && string(id) != ref.Key.ID {
					return true
				}
				if c == 0 {
					var e workspace.LogEntry
					if err := gojson.Unmarshal(raw, &e); err != nil {
						yieldErr = fmt.Errorf("decode log %s: %w", id, err)
						return false
					}
					if !yield(r.row(ref, e), nil) {
						stopped = true
						return false
					}
				}
				// c < 0: the results' entry is gone since they were read.
				ref, ok = next()
				if c == 0 {
					return true
				}
			}
			return true
		})
		switch {
		case stopped:
		case err != nil:
			yield(CaseRow{}, err)
		case yieldErr != nil:
			yield(CaseRow{}, yieldErr)
		case r.Err() != nil:
			yield(CaseRow{}, r.Err())
		}
	}
}

// splitSwept reads a sorted entry: variant, case key, ID and its bytes.
func splitSwept(rec []byte) (v int, key, id, raw []byte) {
	v = int(binary.BigEndian.Uint32(rec))
	rest := rec[4:]
	n, w := binary.Uvarint(rest)
	key, rest = rest[w:w+int(n)], rest[w+int(n):]
	n, w = binary.Uvarint(rest)
	id, rest = rest[w:w+int(n)], rest[w+int(n):]
	return v, key, id, rest[8:]
}

// compareSwept orders entries by variant, case key, ID, then as they came.
func compareSwept(a, b []byte) int {
	va, ka, ia, ra := splitSwept(a)
	vb, kb, ib, rb := splitSwept(b)
	if c := cmp.Compare(va, vb); c != 0 {
		return c
	}
	if c := bytes.Compare(ka, kb); c != 0 {
		return c
	}
	if c := bytes.Compare(ia, ib); c != 0 {
		return c
	}
	return bytes.Compare(a[len(a)-len(ra)-8:len(a)-len(ra)], b[len(b)-len(rb)-8:len(b)-len(rb)])
}
