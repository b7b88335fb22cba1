package workspace

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSetScoresMany scores more entries than one transaction holds, in one
// call, and replaces a scorer's earlier score rather than adding a second.
func TestSetScoresMany(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	big := strings.Repeat("output ", 2000) // 14 KB: a few hundred fill a transaction
	var entries []LogEntry
	var sets []ScoreSet
	for i := range 600 {
		e := LogEntry{ID: NewLogID(now.Add(time.Duration(i) * time.Millisecond)), Prompt: "p", Version: 1, Output: big, Time: now}
		entries = append(entries, e)
		sets = append(sets, ScoreSet{Key: LogKey{Prompt: "p", Version: 1, ID: e.ID}, Scores: []Score{{Name: "contains", By: "contains:x", Value: 0}}})
	}
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetScores(ctx, sets); err != nil {
		t.Fatal(err)
	}
	for i := range sets {
		sets[i].Scores = []Score{{Name: "contains", By: "contains:x", Value: 1}}
	}
	sets = append(sets, ScoreSet{Key: LogKey{Prompt: "p", Version: 1, ID: "gone"}, Scores: []Score{{Name: "x", By: "x"}}})
	if err := ws.SetScores(ctx, sets); err != nil {
		t.Fatal(err)
	}
	_, got, _, err := ws.Logs(ctx, "p@1")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got {
		if len(e.Scores) != 1 || e.Scores[0].Value != 1 {
			t.Fatalf("entry %s scores %+v", e.ID, e.Scores)
		}
	}
}
