package workspace

import (
	"context"
	"encoding/json"
	"fmt"

	"promptbench/storage"
)

// ScoreSet is the scores to give one log entry.
type ScoreSet struct {
	Key    LogKey
	Scores []Score
}

// SetScores gives many log entries their scores in one durable write, as
// SetScore would one by one: an evaluation scores thousands of entries and
// a write per score would open the store thousands of times. An entry
// that no longer exists is skipped (it was removed meanwhile).
func (ws *Workspace) SetScores(ctx context.Context, sets []ScoreSet) error {
	if len(sets) == 0 {
		return nil
	}
	for i := range sets {
		for j, s := range sets[i].Scores {
			s, err := ws.checkScore(s)
			if err != nil {
				return err
			}
			sets[i].Scores[j] = s
		}
	}
	// One opening of the store, as few transactions as fit txnBudget.
	due, err := ws.withWriter(ctx, func(st *storage.Store) error {
		for start := 0; start < len(sets); {
			err := st.Update(func(tx *storage.Tx) error {
				used := 0
				for start < len(sets) && (used == 0 || used < txnBudget-(64<<10)) {
					n, err := ws.scoreOne(tx, sets[start])
					if err != nil {
						return err
					}
					used += min(n, 64<<10) + 64
					start++
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	ws.maintainIf(due)
	return err
}

// scoreOne gives one entry its scores in tx and returns the bytes written.
func (ws *Workspace) scoreOne(tx *storage.Tx, set ScoreSet) (int, error) {
	b, err := tx.GetLog(set.Key.Prompt, set.Key.Version, set.Key.ID)
	if err != nil {
		return 0, nil // removed meanwhile
	}
	var e LogEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return 0, fmt.Errorf("decode log %s: %w", set.Key.ID, err)
	}
	for _, s := range set.Scores {
		kept := e.Scores[:0]
		for _, old := range e.Scores {
			if old.Name != s.Name || old.By != s.By {
				kept = append(kept, old)
			}
		}
		e.Scores = append(kept, s)
	}
	nb, err := ws.encodeLog(e)
	if err != nil {
		return 0, err
	}
	return len(nb), tx.PutLog(e.Prompt, e.Version, e.ID, nb)
}
