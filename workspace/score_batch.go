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
	return ws.update(ctx, func(tx *storage.Tx) error {
		for _, set := range sets {
			b, err := tx.GetLog(set.Key.Prompt, set.Key.Version, set.Key.ID)
			if err != nil {
				continue
			}
			var e LogEntry
			if err := json.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("decode log %s: %w", set.Key.ID, err)
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
			if err := ws.putLog(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}
