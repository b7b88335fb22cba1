package workspace

import (
	"context"
	"encoding/json"
	"fmt"

	"promptbench/storage"
)

// Outcomes are an experiment's committed outcomes, one value per key and
// metric (the latest recorded), grouped for a report.
type Outcomes struct {
	Experiment Experiment
	// Keys counts the distinct keys with any outcome, per variant name:
	// the observed split a sample-ratio check compares with the weights.
	Keys map[string]int
	// Values holds, per metric and variant name, one value per key.
	Values map[string]map[string][]float64
}

// Outcomes reads the experiment's outcomes in one pass over its keys.
func (ws *Workspace) Outcomes(ctx context.Context, exp string) (Outcomes, error) {
	out := Outcomes{Keys: map[string]int{}, Values: map[string]map[string][]float64{}}
	err := ws.view(ctx, func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, exp)
		if err != nil {
			return err
		}
		out.Experiment = e
		var (
			cur     storage.Outcome // the (key, metric) being read
			last    storedOutcome   // its latest committed value
			have    bool
			keyVar  string // the variant of the current key's latest value
			keyTime int64
		)
		emit := func() {
			if !have {
				return
			}
			m := out.Values[cur.Metric]
			if m == nil {
				m = map[string][]float64{}
				out.Values[cur.Metric] = m
			}
			m[last.Variant] = append(m[last.Variant], last.Value)
			if t := last.Time.UnixNano(); keyVar == "" || t >= keyTime {
				keyVar, keyTime = last.Variant, t
			}
			have = false
		}
		err = tx.ScanOutcomes(exp, true, func(o storage.Outcome, b []byte) error {
			if o.Batch > e.Batches {
				return nil // a batch a crash cut short
			}
			if o.Key != cur.Key || o.Metric != cur.Metric {
				emit()
				if o.Key != cur.Key && keyVar != "" {
					out.Keys[keyVar]++
					keyVar = ""
				}
			}
			cur = o
			if err := json.Unmarshal(b, &last); err != nil {
				return fmt.Errorf("decode outcome %s/%s of %s: %w", o.Key, o.Metric, exp, err)
			}
			have = true
			return nil
		})
		emit()
		if keyVar != "" {
			out.Keys[keyVar]++
		}
		return err
	})
	return out, err
}
