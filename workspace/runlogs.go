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

// runLogWalkChunk is how many entries of a run one read of the store walks
// to (storage.Tx.ScanRunLogs): a chunk holds the store for some tens of
// milliseconds and a few MB of entries without their texts. Each read
// opens the store, which reads the index of every table (a long run
// leaves a hundred): at 400,000 entries, chunks of 2,048 took 1 s more
// CPU than chunks of 8,192, which peaked 14 MB higher.
const runLogWalkChunk = 4096

// RunLogs calls fn for each log entry of version of prompt tied to run,
// oldest first, without its texts: its messages, variables, parameters
// and output are left empty (what a report counts needs none of them, and
// decoding them is most of the work and the memory). A run with an index
// (storage/tx_runlogs.go) is read chunk by chunk along it, holding one
// chunk at a time; an older run's keys are listed among the version's in
// one read, its entries read chunk by chunk. fn runs outside the store.
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
	// A run with an index: its entries a chunk at a time, each chunk one
	// walk of the index beside the version's log (storage.Tx.ScanRunLogs),
	// the first in the read that finds the index. An older run is found
	// among all the version's entries.
	var first []LogEntry
	indexed, after, more := false, "", false
	walk := func(tx *storage.Tx) ([]LogEntry, error) {
		var entries []LogEntry
		last, n, err := tx.ScanRunLogs(string(run), prompt, version, after, runLogWalkChunk, func(id string, b []byte) error {
			if !bytes.Contains(b, mark) {
				return nil
			}
			var e briefEntry
			if err := gojson.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("decode log %s: %w", id, err)
			}
			if e.Run == run {
				entries = append(entries, detached(e.LogEntry))
			}
			return nil
		})
		after, more = last, n == runLogWalkChunk
		// The table pages the walk read leave resident memory (they
		// stay in the file cache): a run's entries fill a hundred MB of
		// tables, which would otherwise all count against this process.
		tx.ReleaseTablePages()
		return entries, err
	}
	var ids []string
	err := ws.view(ctx, func(tx *storage.Tx) error {
		var err error
		if indexed, err = runIndexed(tx, run); err != nil {
			return err
		}
		if indexed {
			first, err = walk(tx)
			return err
		}
		err = tx.ScanLogKeys(prompt, version, func(_ int, id string) error {
			ids = append(ids, id)
			return nil
		})
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
	for indexed && more {
		var entries []LogEntry
		err := ws.view(ctx, func(tx *storage.Tx) error {
			var err error
			entries, err = walk(tx)
			return err
		})
		if err != nil {
			return err
		}
		if err := each(entries); err != nil {
			return err
		}
	}
	for start := runLogChunk; !indexed && start < len(ids); start += runLogChunk {
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

// RunLogsRaw calls fn with the stored bytes of each log entry of version of
// prompt tied to run, in id order, read along the run's index a chunk at a
// time (at most runLogWalkChunk entries or about rawChunk bytes, 1 MB); fn runs
// outside the store. indexed is false, and nothing is read, for a run
// recorded before the index: read it through RunLogs and LogsByKey.
func (ws *Workspace) RunLogsRaw(ctx context.Context, prompt string, version int, run RunID, fn func(raw []byte) error) (indexed bool, err error) {
	mark := []byte(run)
	after, more, first := "", true, true
	var buf []byte
	var ends []int
	for more {
		buf, ends = buf[:0], ends[:0]
		err := ws.view(ctx, func(tx *storage.Tx) error {
			if first {
				first = false
				var err error
				if indexed, err = runIndexed(tx, run); err != nil || !indexed {
					more = false
					return err
				}
			}
			last, n, err := tx.ScanRunLogs(string(run), prompt, version, after, runLogWalkChunk, func(_ string, b []byte) error {
				if bytes.Contains(b, mark) {
					buf = append(buf, b...)
					ends = append(ends, len(buf))
				}
				if len(buf) >= rawChunk {
					return errChunkFull
				}
				return nil
			})
			after, more = last, n == runLogWalkChunk || errors.Is(err, errChunkFull)
			tx.ReleaseTablePages()
			if errors.Is(err, errChunkFull) {
				return nil
			}
			return err
		})
		if err != nil {
			return indexed, err
		}
		start := 0
		for _, end := range ends {
			if err := fn(buf[start:end]); err != nil {
				return indexed, err
			}
			start = end
		}
	}
	return indexed, nil
}

// rawChunk is about how many bytes of whole entries RunLogsRaw reads at a
// time.
const rawChunk = 1 << 20

// errChunkFull stops a walk whose chunk is full.
var errChunkFull = errors.New("chunk full")

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
