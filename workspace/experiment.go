package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"promptbench/storage"
	"promptbench/workspace/ab"
)

// Experiment statuses.
const (
	ExperimentRunning = "running"
	ExperimentStopped = "stopped"
)

// AuditExperiment is the audit action of every experiment change; Detail
// says which (create, weights, stop, import of outcomes).
const AuditExperiment = "experiment"

// Experiment is an A/B test between versions of one prompt on real
// traffic: each key (a user id) is assigned a variant by package ab, and
// outcomes are recorded per key.
type Experiment struct {
	Name     string              `json:"name"`
	Prompt   string              `json:"prompt"`
	KeyHint  string              `json:"key_hint,omitempty"` // what the key is (user_id), for people
	Status   string              `json:"status"`
	Variants []ExperimentVariant `json:"variants"`
	Author   string              `json:"author"`
	Created  time.Time           `json:"created"`
	Stopped  time.Time           `json:"stopped,omitzero"`
	Winner   string              `json:"winner,omitempty"`   // a variant's name
	Promoted bool                `json:"promoted,omitempty"` // the winner went to production when stopped
	// Batches counts the outcome batches committed (ab record, ab
	// import); outcomes of a later batch are a write a crash cut short,
	// never counted and removed by the next write.
	Batches uint64 `json:"batches,omitempty"`
	// Pending is the batch an `ab import` is writing in several
	// transactions: set before its first, cleared with its last. Found
	// set by another write, it is a batch a crash cut short.
	Pending uint64 `json:"pending,omitempty"`
}

// ExperimentVariant is one arm: the version it serves, pinned when the
// experiment was created (a label moving later does not change what the
// arm serves), its weight and the buckets it owns.
type ExperimentVariant struct {
	Name    string     `json:"name"` // as given: a label (production), a number (4) or a hash prefix
	Version int        `json:"version"`
	Hash    string     `json:"hash"`
	Weight  int        `json:"weight"`
	Buckets []ab.Range `json:"buckets"`
}

// VariantSpec is a variant as typed: NAME:WEIGHT.
type VariantSpec struct {
	Name   string
	Weight int
}

// ParseVariantSpec reads "production:90" or "4:10".
func ParseVariantSpec(s string) (VariantSpec, error) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return VariantSpec{}, Invalidf("variant %q is not NAME:WEIGHT (production:90, 4:10)", s)
	}
	w, err := strconv.Atoi(s[i+1:])
	if err != nil || w < 0 || w > 100 {
		return VariantSpec{}, Invalidf("variant %q: the weight %q is not a whole percent from 0 to 100", s, s[i+1:])
	}
	return VariantSpec{Name: s[:i], Weight: w}, nil
}

// Layout is the variants' bucket layout.
func (e Experiment) Layout() ab.Layout {
	l := make(ab.Layout, len(e.Variants))
	for i, v := range e.Variants {
		l[i] = v.Buckets
	}
	return l
}

// Variant returns the index of the variant named name, or -1.
func (e Experiment) Variant(name string) int {
	for i, v := range e.Variants {
		if v.Name == name {
			return i
		}
	}
	return -1
}

// Assign is the variant index key gets (package ab).
func (e Experiment) Assign(key string) int { return ab.Assign(e.Name, key, e.Layout()) }

// ValidateExperimentName checks an experiment name: a slug like a label.
func ValidateExperimentName(name string) error {
	if name == "" || len(name) > 64 {
		return Invalidf("experiment name %q must be 1 to 64 characters", name)
	}
	for _, r := range name {
		if !isSlugRune(r) {
			return Invalidf("experiment name %q has %q; use only a-z, 0-9, - and _", name, r)
		}
	}
	return nil
}

// DecodeExperiment reads a stored experiment.
func DecodeExperiment(b []byte) (Experiment, error) {
	var e Experiment
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("decode experiment: %w", err)
	}
	return e, nil
}

// GetExperiment reads one experiment in tx; an unknown one is ErrNotFound.
func GetExperiment(tx *storage.Tx, name string) (Experiment, error) {
	if err := ValidateExperimentName(name); err != nil {
		return Experiment{}, err
	}
	b, err := tx.GetExperiment(name)
	if errors.Is(err, storage.ErrNotFound) {
		return Experiment{}, notFoundf("no experiment %s; `ab list` shows them", name)
	}
	if err != nil {
		return Experiment{}, err
	}
	return DecodeExperiment(b)
}

// PutExperiment stores e in tx.
func PutExperiment(tx *storage.Tx, e Experiment) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode experiment %s: %w", e.Name, err)
	}
	return tx.PutExperiment(e.Name, b)
}

// Experiments lists the experiments by name.
func (ws *Workspace) Experiments(ctx context.Context) ([]Experiment, error) {
	var out []Experiment
	err := ws.view(ctx, func(tx *storage.Tx) error {
		return tx.ScanExperiments(func(_ string, b []byte) error {
			e, err := DecodeExperiment(b)
			out = append(out, e)
			return err
		})
	})
	return out, err
}

// Experiment reads one experiment.
func (ws *Workspace) Experiment(ctx context.Context, name string) (Experiment, error) {
	var e Experiment
	err := ws.view(ctx, func(tx *storage.Tx) error {
		var err error
		e, err = GetExperiment(tx, name)
		return err
	})
	return e, err
}

// experimentsOn lists the experiments on prompt, running only when
// running is set.
func experimentsOn(tx *storage.Tx, prompt string, running bool) ([]string, error) {
	var names []string
	err := tx.ScanExperiments(func(name string, b []byte) error {
		e, err := DecodeExperiment(b)
		if err == nil && e.Prompt == prompt && (!running || e.Status == ExperimentRunning) {
			names = append(names, name)
		}
		return err
	})
	return names, err
}
