package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"promptbench/storage"
)

// RunID names an evaluation run (or a terminal UI comparison run).
type RunID string

// CaseID names a case of a run: a dataset row's id, or its line number.
type CaseID string

// RunStatus is where a run is in its life.
type RunStatus string

// A run is running until it ends done (every case ran), interrupted
// (Ctrl-C, SIGTERM; --resume finishes it) or failed (a provider or store
// failure beyond retries). A run left "running" by a killed process is
// resumable like an interrupted one.
const (
	RunRunning     RunStatus = "running"
	RunDone        RunStatus = "done"
	RunInterrupted RunStatus = "interrupted"
	RunFailed      RunStatus = "failed"
)

// Run is the record of a headless or UI evaluation; its rows are log
// entries tied to it by LogEntry.Run and LogEntry.Case.
type Run struct {
	ID          RunID        `json:"id"`
	Status      RunStatus    `json:"status"`
	Source      string       `json:"source,omitempty"` // eval, tui
	Dataset     string       `json:"dataset,omitempty"`
	DatasetHash string       `json:"dataset_hash,omitempty"` // sha256 of the file
	Variants    []RunVariant `json:"variants"`
	Scorers     []string     `json:"scorers,omitempty"`
	// Options are the flags that shape the run (repeat, limit, sample,
	// seed, shard, concurrency…), as the front end recorded them.
	Options map[string]string `json:"options,omitempty"`
	Counts  RunCounts         `json:"counts"`
	Cost    float64           `json:"cost_usd"`
	Author  string            `json:"author,omitempty"`
	Started time.Time         `json:"started"`
	Ended   time.Time         `json:"ended,omitzero"`
	// LogIndex says that every log entry of the run is listed in the
	// run's index, so that its entries are read without going through
	// the rest of their versions' logs. Runs recorded before the index
	// (2026-11-30), or rewritten by a promptbench that does not know it
	// (it drops the field), are read by scanning the versions' logs.
	LogIndex bool `json:"log_index,omitempty"`
	// Summary is the report's own record of the results, kept as the
	// evaluation wrote it so that a report renders again identically.
	Summary json.RawMessage `json:"summary,omitempty"`
}

// RunVariant is one arm of a run: the version as it was resolved when the
// run started, and the model called.
type RunVariant struct {
	ID      string `json:"id"`
	Ref     string `json:"ref"`
	Prompt  string `json:"prompt"`
	Version int    `json:"version"`
	Hash    string `json:"hash"`
	Model   string `json:"model"`
}

// RunCounts counts a run's calls.
type RunCounts struct {
	Cases   int `json:"cases"`   // rows × repeats
	Calls   int `json:"calls"`   // finished calls
	Errors  int `json:"errors"`  // calls that failed
	Skipped int `json:"skipped"` // rows that could not render
}

// NewRunID returns a sortable, unique run id a user can type:
// 20261130-052811-9f3a (UTC time and random bits).
func NewRunID(now time.Time) RunID {
	return RunID(now.UTC().Format("20060102-150405") + "-" + NewLogID(now)[16:20])
}

// SaveRun creates or replaces a run record.
func (ws *Workspace) SaveRun(ctx context.Context, r Run) error {
	if r.ID == "" {
		return Invalidf("a run needs an id")
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode run %s: %w", r.ID, err)
	}
	return ws.update(ctx, func(tx *storage.Tx) error { return tx.PutRun(string(r.ID), b) })
}

// Run returns the run with id, or an error matching ErrNotFound.
func (ws *Workspace) Run(ctx context.Context, id RunID) (Run, error) {
	var r Run
	err := ws.view(ctx, func(tx *storage.Tx) error {
		b, err := tx.GetRun(string(id))
		if errors.Is(err, storage.ErrNotFound) {
			return notFoundf("no run %q; `promptbench runs` lists them", id)
		}
		if err != nil {
			return err
		}
		return json.Unmarshal(b, &r)
	})
	return r, err
}

// Runs lists the recorded runs, newest first.
func (ws *Workspace) Runs(ctx context.Context) ([]Run, error) {
	var runs []Run
	err := ws.view(ctx, func(tx *storage.Tx) error {
		return tx.ScanRuns(func(id string, b []byte) error {
			var r Run
			if err := json.Unmarshal(b, &r); err != nil {
				return fmt.Errorf("decode run %s: %w", id, err)
			}
			runs = append(runs, r)
			return nil
		})
	})
	slices.SortFunc(runs, func(a, b Run) int { return b.Started.Compare(a.Started) })
	return runs, err
}
