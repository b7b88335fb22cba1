package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"promptbench/storage"
)

// OutcomeInput is what an application reports for one key: metric values
// (a conversion as 0 or 1, a rating, a latency…), optionally the variant
// it served (checked against the key's assignment) and when.
type OutcomeInput struct {
	Key     string
	Variant string // "": derived from the key
	Metrics map[string]float64
	Time    time.Time // zero: now
}

// storedOutcome is an outcome value as stored under its key, metric and
// batch.
type storedOutcome struct {
	Variant string    `json:"v"`
	Value   float64   `json:"x"`
	Time    time.Time `json:"t"`
}

const maxOutcomeKey = 256

// checkOutcome validates in against e and returns the variant it belongs
// to. Errors are worded without place: callers add file and line.
func checkOutcome(e Experiment, in OutcomeInput) (string, error) {
	switch {
	case in.Key == "":
		return "", Invalidf("key is empty")
	case len(in.Key) > maxOutcomeKey:
		return "", Invalidf("key is %d bytes, more than %d", len(in.Key), maxOutcomeKey)
	case !utf8.ValidString(in.Key):
		return "", Invalidf("key is not valid UTF-8")
	}
	for _, r := range in.Key {
		if r == 0 {
			return "", Invalidf("key holds a NUL character")
		}
	}
	if len(in.Metrics) == 0 {
		return "", Invalidf("no metrics; give at least one NAME=VALUE")
	}
	for name, v := range in.Metrics {
		if err := validateMetric(name); err != nil {
			return "", err
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", Invalidf("metric %s is %v, not a finite number", name, v)
		}
	}
	assigned := e.Variants[e.Assign(in.Key)].Name
	if in.Variant != "" && in.Variant != assigned {
		if e.Variant(in.Variant) < 0 {
			return "", Invalidf("variant %q is not one of %s's (%s)", in.Variant, e.Name, variantNames(e))
		}
		return "", Invalidf("variant %q contradicts the key's assignment: %s gets %s in %s", in.Variant, in.Key, assigned, e.Name)
	}
	return assigned, nil
}

func validateMetric(name string) error {
	if name == "" || len(name) > 64 {
		return Invalidf("metric name %q must be 1 to 64 characters", name)
	}
	for _, r := range name {
		if !isSlugRune(r) && r != '.' {
			return Invalidf("metric name %q has %q; use a-z, 0-9, -, _ and .", name, r)
		}
	}
	return nil
}

// putOutcome writes every metric of in under batch.
func putOutcome(tx *storage.Tx, exp string, batch uint64, variant string, in OutcomeInput) error {
	for name, v := range in.Metrics {
		b, err := json.Marshal(storedOutcome{Variant: variant, Value: v, Time: in.Time.UTC()})
		if err != nil {
			return fmt.Errorf("encode outcome: %w", err)
		}
		if err := tx.PutOutcome(exp, storage.Outcome{Key: in.Key, Metric: name, Batch: batch}, b); err != nil {
			return err
		}
	}
	return nil
}

// RecordOutcome stores one key's outcome in one durable transaction, as a
// batch of its own. A metric recorded again for the same key replaces the
// earlier value: the unit of analysis is the key (the user), as the unit
// of assignment is.
func (ws *Workspace) RecordOutcome(ctx context.Context, exp string, in OutcomeInput) (string, error) {
	if in.Time.IsZero() {
		in.Time = ws.opts.Now()
	}
	var variant string
	due, err := ws.withWriter(ctx, func(st *storage.Store) error {
		if err := dropCutBatches(st, exp); err != nil {
			return err
		}
		return st.Update(func(tx *storage.Tx) error {
			e, err := GetExperiment(tx, exp)
			if err != nil {
				return err
			}
			if variant, err = checkOutcome(e, in); err != nil {
				return fmt.Errorf("outcome for %s: %w", exp, err)
			}
			e.Batches++
			if err := putOutcome(tx, exp, e.Batches, variant, in); err != nil {
				return err
			}
			return PutExperiment(tx, e)
		})
	})
	ws.maintainIf(due)
	return variant, err
}

// dropCutBatches deletes the outcomes of a batch a crash cut short: those
// numbered past the experiment's committed Batches. They are never
// counted, so this only reclaims space, and only after a crash is there
// anything to find; the scan reads keys alone.
func dropCutBatches(st *storage.Store, exp string) error {
	var cut []storage.Outcome
	var pending bool
	err := st.View(func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, exp)
		if err != nil || e.Pending == 0 {
			return err
		}
		pending = true
		return tx.ScanOutcomes(exp, false, func(o storage.Outcome, _ []byte) error {
			if o.Batch > e.Batches {
				cut = append(cut, o)
			}
			return nil
		})
	})
	if err != nil || !pending {
		return err
	}
	b := NewBatcher(st)
	for _, o := range cut {
		if err := b.Add(len(o.Key)+len(o.Metric), func(tx *storage.Tx) error { return tx.DeleteOutcome(exp, o) }); err != nil {
			return err
		}
	}
	if err := b.Flush(); err != nil {
		return err
	}
	return st.Update(func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, exp)
		if err != nil {
			return err
		}
		e.Pending = 0
		return PutExperiment(tx, e)
	})
}
