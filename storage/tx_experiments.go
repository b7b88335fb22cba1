package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Experiments and their outcomes, beside the layout in keys.go:
//
//	x <name>                                      experiment
//	u <experiment> 0 <key> 0 <metric> 0 <batch:8> outcome
//
// An outcome is one value of one metric for one key (a user) in one
// batch (an `ab record` or `ab import`). Outcome keys sort by key, then
// metric, then batch, so that a scan meets a key's values together and
// the newest batch of each metric last; the experiment record says which
// batches are committed, so a batch a crash cut short is never counted.
const (
	kindExperiment = 'x'
	kindOutcome    = 'u'
)

// GetExperiment returns the experiment's value, or an error matching
// ErrNotFound.
func (tx *Tx) GetExperiment(name string) ([]byte, error) {
	k, err := simpleKey(kindExperiment, "experiment name", name)
	if err != nil {
		return nil, err
	}
	return tx.get(k, "experiment "+name)
}

// PutExperiment stores the experiment's value.
func (tx *Tx) PutExperiment(name string, val []byte) error {
	k, err := simpleKey(kindExperiment, "experiment name", name)
	if err != nil {
		return err
	}
	return tx.set(k, val, "experiment "+name)
}

// DeleteExperiment deletes the experiment's value (an import's rollback);
// its outcomes stay until deleted with DeleteOutcome.
func (tx *Tx) DeleteExperiment(name string) error {
	k, err := simpleKey(kindExperiment, "experiment name", name)
	if err != nil {
		return err
	}
	return tx.del(k, "experiment "+name)
}

// ScanExperiments calls fn for each experiment in name order.
func (tx *Tx) ScanExperiments(fn func(name string, val []byte) error) error {
	return tx.scan([]byte{kindExperiment}, true, false, func(rest, val []byte) error {
		return fn(string(rest), val)
	})
}

// Outcome names one stored outcome value.
type Outcome struct {
	Key    string
	Metric string
	Batch  uint64
}

func outcomeKey(exp string, o Outcome) ([]byte, error) {
	e, err := namePart("experiment name", exp)
	if err != nil {
		return nil, err
	}
	k, err := namePart("outcome key", o.Key)
	if err != nil {
		return nil, err
	}
	m, err := namePart("metric", o.Metric)
	if err != nil {
		return nil, err
	}
	return key(kindOutcome, e, k, m, binary.BigEndian.AppendUint64(nil, o.Batch)), nil
}

// PutOutcome stores one outcome value of the experiment.
func (tx *Tx) PutOutcome(exp string, o Outcome, val []byte) error {
	k, err := outcomeKey(exp, o)
	if err != nil {
		return err
	}
	return tx.set(k, val, fmt.Sprintf("outcome %s/%s of %s", o.Key, o.Metric, exp))
}

// DeleteOutcome deletes one outcome value.
func (tx *Tx) DeleteOutcome(exp string, o Outcome) error {
	k, err := outcomeKey(exp, o)
	if err != nil {
		return err
	}
	return tx.del(k, fmt.Sprintf("outcome %s/%s of %s", o.Key, o.Metric, exp))
}

// ScanOutcomes calls fn for each outcome of the experiment in key order:
// by key, then metric, then batch. Values are read only when values is set.
func (tx *Tx) ScanOutcomes(exp string, values bool, fn func(o Outcome, val []byte) error) error {
	e, err := namePart("experiment name", exp)
	if err != nil {
		return err
	}
	return tx.scan(key(kindOutcome, e), values, false, func(rest, val []byte) error {
		o, ok := splitOutcome(rest)
		if !ok {
			return nil // a stray key (ScanStrayKeys): not an outcome
		}
		return fn(o, val)
	})
}

// splitOutcome reads "<key> 0 <metric> 0 <batch:8>".
func splitOutcome(rest []byte) (Outcome, bool) {
	k, tail, ok := splitName(rest)
	if !ok {
		return Outcome{}, false
	}
	m, num, ok := splitName(tail)
	if !ok || len(num) != 8 {
		return Outcome{}, false
	}
	return Outcome{Key: string(k), Metric: string(m), Batch: binary.BigEndian.Uint64(num)}, true
}

// outcomeShapeError checks the rest of an outcome key after its kind.
func outcomeShapeError(rest []byte) string {
	e, tail, ok := splitName(rest)
	if !ok || len(e) == 0 {
		return "not an experiment name, NUL, a key, NUL, a metric, NUL and a batch"
	}
	if _, ok := splitOutcome(tail); !ok || bytes.Count(tail[:len(tail)-8], []byte{sep}) != 2 {
		return "not an experiment name, NUL, a key, NUL, a metric, NUL and a batch"
	}
	return ""
}
