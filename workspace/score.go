package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"promptbench/storage"
)

// LogKey names one log entry.
type LogKey struct {
	Prompt  string
	Version int
	ID      string
}

func (k LogKey) String() string { return fmt.Sprintf("%s of %s@%d", k.ID, k.Prompt, k.Version) }

// AddScore appends a score to one log entry: human review after the call.
func (ws *Workspace) AddScore(ctx context.Context, prompt string, version int, id string, s Score) (LogEntry, error) {
	s, err := ws.checkScore(s)
	if err != nil {
		return LogEntry{}, err
	}
	return ws.changeLog(ctx, LogKey{prompt, version, id}, func(e *LogEntry) error {
		e.Scores = append(e.Scores, s)
		return nil
	})
}

// SetScore gives a log entry the score s: it replaces the entry's scores
// of the same name by the same scorer (s.By, default the author), or adds
// s when there is none. A reviewer changes their mind with it.
func (ws *Workspace) SetScore(ctx context.Context, k LogKey, s Score) (LogEntry, error) {
	s, err := ws.checkScore(s)
	if err != nil {
		return LogEntry{}, err
	}
	return ws.changeLog(ctx, k, func(e *LogEntry) error {
		kept := e.Scores[:0]
		for _, old := range e.Scores {
			if old.Name != s.Name || old.By != s.By {
				kept = append(kept, old)
			}
		}
		e.Scores = append(kept, s)
		return nil
	})
}

// RemoveScore removes the scores named name by the scorer by (every
// scorer when by is ""); removing a score the entry lacks is ErrNotFound.
func (ws *Workspace) RemoveScore(ctx context.Context, k LogKey, name, by string) (LogEntry, error) {
	return ws.changeLog(ctx, k, func(e *LogEntry) error {
		kept := e.Scores[:0]
		for _, old := range e.Scores {
			if old.Name != name || (by != "" && old.By != by) {
				kept = append(kept, old)
			}
		}
		if len(kept) == len(e.Scores) {
			return notFoundf("log entry %s has no score %q", k, name)
		}
		e.Scores = kept
		return nil
	})
}

func (ws *Workspace) checkScore(s Score) (Score, error) {
	if s.Name == "" {
		return s, Invalidf("a score needs a name")
	}
	if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
		return s, Invalidf("score %s: value must be a finite number", s.Name)
	}
	if s.By == "" {
		s.By = ws.opts.Author()
	}
	if s.Time.IsZero() {
		s.Time = ws.opts.Now().UTC()
	}
	return s, nil
}

// changeLog applies change to one log entry in one durable transaction.
func (ws *Workspace) changeLog(ctx context.Context, k LogKey, change func(*LogEntry) error) (LogEntry, error) {
	var e LogEntry
	err := ws.update(ctx, func(tx *storage.Tx) error {
		b, err := tx.GetLog(k.Prompt, k.Version, k.ID)
		if err != nil {
			return notFoundf("no log entry %s", k)
		}
		if err := json.Unmarshal(b, &e); err != nil {
			return fmt.Errorf("decode log %s: %w", k.ID, err)
		}
		if err := change(&e); err != nil {
			return err
		}
		return ws.putLog(tx, e)
	})
	return e, err
}
