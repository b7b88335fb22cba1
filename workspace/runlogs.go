package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	gojson "github.com/goccy/go-json"

	"promptbench/storage"
)

// runLogChunk is how many log entries one read of the store takes: a
// report over 100,000 calls reads them in short turns, so that another
// process (a commit, the terminal UI) never waits long for the store, and
// never holds them all.
const runLogChunk = 1024

// RunLogs calls fn for each log entry of version of prompt tied to run,
// oldest first, without its texts: its messages, variables, parameters
// and output are left empty (what a report counts needs none of them, and
// decoding them is most of the work and the memory). Keys are listed in
// one read (from the run's index when it has one: storage/tx_runlogs.go),
// entries read chunk by chunk; fn runs outside the store.
// LogsByKey reads whole entries.
func (ws *Workspace) RunLogs(ctx context.Context, prompt string, version int, run RunID, fn func(LogEntry) error) error {
	// An entry of another run is told from its bytes before decoding: a
	// run's ID appears in each of its entries.
	mark := []byte(run)
	read := func(tx *storage.Tx, ids []string) ([]LogEntry, error) {
		var entries []LogEntry
		for _, id := range ids {
			b, err := tx.GetLog(prompt, version, id)
			if errors.Is(err, storage.ErrNotFound) {
				continue // removed meanwhile
			}
			if err != nil {
				return nil, err
			}
			if !bytes.Contains(b, mark) {
				continue
			}
			var e briefEntry
			if err := gojson.Unmarshal(b, &e); err != nil {
				return nil, fmt.Errorf("decode log %s: %w", id, err)
			}
			if e.Run == run {
				entries = append(entries, detached(e.LogEntry))
			}
		}
		return entries, nil
	}
	each := func(entries []LogEntry) error {
		for _, e := range entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	// The keys, and the first chunk in the same read: a small run is one
	// opening of the store. A run with an index lists its own keys; an
	// older one is found among all the version's.
	var ids []string
	var first []LogEntry
	err := ws.view(ctx, func(tx *storage.Tx) error {
		add := func(id string) error {
			ids = append(ids, id)
			return nil
		}
		indexed, err := runIndexed(tx, run)
		if err != nil {
			return err
		}
		if indexed {
			err = tx.ScanRunLogKeys(string(run), prompt, version, add)
		} else {
			err = tx.ScanLogKeys(prompt, version, func(_ int, id string) error { return add(id) })
		}
		if err != nil {
			return err
		}
		first, err = read(tx, ids[:min(runLogChunk, len(ids))])
		return err
	})
	if err != nil {
		return err
	}
	if err := each(first); err != nil {
		return err
	}
	for start := runLogChunk; start < len(ids); start += runLogChunk {
		var entries []LogEntry
		err := ws.view(ctx, func(tx *storage.Tx) error {
			var err error
			entries, err = read(tx, ids[start:min(start+runLogChunk, len(ids))])
			return err
		})
		if err != nil {
			return err
		}
		if err := each(entries); err != nil {
			return err
		}
	}
	return nil
}

// runIndexed tells whether the run's index lists all its entries
// (Run.LogIndex); an unknown run has none.
func runIndexed(tx *storage.Tx, run RunID) (bool, error) {
	b, err := tx.GetRun(string(run))
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var r struct {
		LogIndex bool `json:"log_index"`
	}
	if err := gojson.Unmarshal(b, &r); err != nil {
		return false, fmt.Errorf("decode run %s: %w", run, err)
	}
	return r.LogIndex, nil
}

// briefEntry decodes a log entry without its texts: its fields of the
// same JSON names take them and keep nothing.
type briefEntry struct {
	LogEntry
	Variables skipped `json:"variables"`
	Messages  skipped `json:"messages"`
	Params    skipped `json:"params"`
	Output    skipped `json:"output"`
	Extra     skipped `json:"extra"`
}

// detached returns e with its own copies of its strings. go-json's strings
// point into its copy of the whole record, so that a caller keeping one
// (an ID in a report's results, say) would keep the record's outputs and
// messages alive with it: a run of long outputs then held them all.
func detached(e LogEntry) LogEntry {
	for _, s := range []*string{&e.ID, &e.Prompt, &e.Hash, &e.Source, &e.Model, &e.FinishReason, &e.Error} {
		*s = strings.Clone(*s)
	}
	e.Run, e.Case = RunID(strings.Clone(string(e.Run))), CaseID(strings.Clone(string(e.Case)))
	if e.Scores != nil {
		scores := make([]Score, len(e.Scores))
		for i, sc := range e.Scores {
			sc.Name, sc.Comment, sc.Error, sc.By = strings.Clone(sc.Name), strings.Clone(sc.Comment), strings.Clone(sc.Error), strings.Clone(sc.By)
			scores[i] = sc
		}
		e.Scores = scores
	}
	return e
}

// skipped is a JSON value read past and dropped.
type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// LogsByKey reads the entries keys name, in their order, in one read of
// the store; an entry no longer there comes back as a zero LogEntry.
func (ws *Workspace) LogsByKey(ctx context.Context, keys []LogKey) ([]LogEntry, error) {
	out := make([]LogEntry, len(keys))
	err := ws.view(ctx, func(tx *storage.Tx) error {
		for i, k := range keys {
			b, err := tx.GetLog(k.Prompt, k.Version, k.ID)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := gojson.Unmarshal(b, &out[i]); err != nil {
				return fmt.Errorf("decode log %s: %w", k.ID, err)
			}
		}
		return nil
	})
	return out, err
}
