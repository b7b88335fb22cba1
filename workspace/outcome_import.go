package workspace

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"promptbench/storage"
)

// maxOutcomeLine bounds one line of an outcomes file.
const maxOutcomeLine = 1 << 20

// outcomeLine is one line of an outcomes file (JSON Lines):
// {"key": "u1", "variant": "4", "metrics": {"resolved": 1}, "time": "…"}.
type outcomeLine struct {
	Key     *string                    `json:"key"`
	Variant string                     `json:"variant"`
	Metrics map[string]json.RawMessage `json:"metrics"`
	Time    string                     `json:"time"`
}

// parseOutcomeLine reads one line; metric values are numbers, or true and
// false for 1 and 0.
func parseOutcomeLine(line []byte, now time.Time) (OutcomeInput, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var l outcomeLine
	if err := dec.Decode(&l); err != nil {
		return OutcomeInput{}, Invalidf("not a JSON object of key, variant, metrics and time: %v", err)
	}
	if dec.More() {
		return OutcomeInput{}, Invalidf("more than one JSON value on the line")
	}
	if l.Key == nil {
		return OutcomeInput{}, Invalidf("no key")
	}
	in := OutcomeInput{Key: *l.Key, Variant: l.Variant, Metrics: make(map[string]float64, len(l.Metrics)), Time: now}
	for name, raw := range l.Metrics {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return OutcomeInput{}, Invalidf("metric %s: %v", name, err)
		}
		switch x := v.(type) {
		case float64:
			in.Metrics[name] = x
		case bool:
			in.Metrics[name] = 0
			if x {
				in.Metrics[name] = 1
			}
		default:
			return OutcomeInput{}, Invalidf("metric %s is %s, not a number or true/false", name, raw)
		}
	}
	if l.Time != "" {
		t, err := time.Parse(time.RFC3339Nano, l.Time)
		if err != nil {
			return OutcomeInput{}, Invalidf("time %q is not an RFC 3339 time (2026-11-30T08:00:00Z)", l.Time)
		}
		in.Time = t
	}
	return in, nil
}

// eachOutcome reads the file at path line by line, calling fn with each
// outcome and its line number; blank lines are passed over. It returns
// the file's sha256, so that a second pass can tell it read the same file.
func eachOutcome(path string, now time.Time, fn func(line int, in OutcomeInput) error) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, Invalidf("outcomes file: %v", err)
	}
	defer f.Close()
	h := sha256.New()
	sc := bufio.NewScanner(io.TeeReader(f, h))
	sc.Buffer(make([]byte, 64<<10), maxOutcomeLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		in, err := parseOutcomeLine(line, now)
		if err == nil {
			err = fn(n, in)
		}
		if err != nil {
			return sum, fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return sum, Invalidf("%s:%d: a line longer than %s", path, n+1, SizeText(maxOutcomeLine))
		}
		return sum, fmt.Errorf("read %s: %w", path, err)
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// OutcomeImport says what an outcomes file added.
type OutcomeImport struct {
	Experiment string         `json:"experiment"`
	File       string         `json:"file"`
	Outcomes   int            `json:"outcomes"` // lines
	Values     int            `json:"values"`   // metric values
	Variants   map[string]int `json:"variants"` // outcomes per variant
}

// ImportOutcomes adds the outcomes of a JSON Lines file to the experiment,
// all or nothing. The file is read twice as a stream, so memory does not
// grow with it: the first pass checks every line (a bad one is named with
// its line, and nothing is stored), the second writes them as one batch
// in as many transactions as it takes. The batch counts only once its
// last transaction marks it committed; a crash before that leaves values
// that are never counted, removed by the next write to the experiment.
func (ws *Workspace) ImportOutcomes(ctx context.Context, exp, path string) (OutcomeImport, error) {
	res := OutcomeImport{Experiment: exp, File: path, Variants: map[string]int{}}
	now := ws.opts.Now()
	due, err := ws.withWriter(ctx, func(st *storage.Store) error {
		if err := dropCutBatches(st, exp); err != nil {
			return err
		}
		var e Experiment
		if err := st.View(func(tx *storage.Tx) error {
			var err error
			e, err = GetExperiment(tx, exp)
			return err
		}); err != nil {
			return err
		}
		sum, err := eachOutcome(path, now, func(_ int, in OutcomeInput) error {
			v, err := checkOutcome(e, in)
			if err == nil {
				res.Outcomes++
				res.Values += len(in.Metrics)
				res.Variants[v]++
			}
			return err
		})
		if err != nil {
			return err
		}
		if res.Outcomes == 0 {
			return Invalidf("%s holds no outcomes", path)
		}
		batch := e.Batches + 1
		e.Pending = batch
		if err := st.Update(func(tx *storage.Tx) error { return PutExperiment(tx, e) }); err != nil {
			return err
		}
		b := NewBatcher(st)
		again, err := eachOutcome(path, now, func(_ int, in OutcomeInput) error {
			v, err := checkOutcome(e, in)
			if err != nil {
				return err
			}
			return b.Add(64*len(in.Metrics)+len(in.Key), func(tx *storage.Tx) error { return putOutcome(tx, exp, batch, v, in) })
		})
		if err == nil && again != sum {
			err = fmt.Errorf("%s changed while it was imported; nothing was imported, run the import again", path)
		}
		if err == nil {
			err = b.Flush()
		}
		if err != nil {
			// Undo at once what the next write would otherwise undo.
			if derr := dropCutBatches(st, exp); derr != nil {
				return fmt.Errorf("%w (and removing its partial batch failed: %v; the next write retries)", err, derr)
			}
			return err
		}
		return st.Update(func(tx *storage.Tx) error {
			cur, err := GetExperiment(tx, exp)
			if err != nil {
				return err
			}
			cur.Batches, cur.Pending = batch, 0
			if err := PutExperiment(tx, cur); err != nil {
				return err
			}
			return AppendAudit(tx, AuditEvent{Time: now.UTC(), Author: ws.opts.Author(), Action: AuditExperiment, Prompt: e.Prompt, Detail: fmt.Sprintf("outcomes %s: %d from %s", exp, res.Outcomes, path)})
		})
	})
	ws.maintainIf(due)
	return res, err
}
