package workspace

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"promptbench/storage"
)

// Two commands move the same label at once: the one that starts first may
// wait for the store while the other writes. The label history (the audit
// trail in time order) must still end where the prompt's record says the
// label is: an export writes the record's labels with that history, and a
// label with no history is re-imported as a fresh move.
func TestLabelMoveAfterWaitingAgreesWithHistory(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), DirName)
	var mu sync.Mutex
	clock := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tick := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}
	opts := func(now func() time.Time) Options {
		return Options{Getenv: func(string) string { return "" }, Now: now,
			Command: "promptbench test", Author: func() string { return "alice" }}
	}
	// other's removal of the label runs while first's move has begun:
	// armed, first's next reading of the clock starts it and returns
	// once it is done or waits for the store first holds.
	var other *Workspace
	var armed bool
	removed := make(chan error, 1)
	first, _, err := Init(ctx, dir, opts(func() time.Time {
		now := tick()
		if !armed {
			return now
		}
		armed = false
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, err := other.DeleteLabel(ctx, "p", "canary")
			removed <- err
		}()
		waits := filepath.Join(dir, storeName, "holders", "*.wait")
		for {
			select {
			case <-done:
				return now
			case <-time.After(time.Millisecond):
			}
			if m, _ := filepath.Glob(waits); len(m) > 0 {
				return now
			}
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if other, err = Open(dir, opts(tick)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"one", "two"} {
		if _, err := first.Commit(ctx, "p", text(s)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := first.SetLabel(ctx, "p@1", "canary"); err != nil {
		t.Fatal(err)
	}

	armed = true
	_, moveErr := first.SetLabel(ctx, "p@2", "canary")
	if err := <-removed; err != nil {
		t.Fatalf("label removal: %v", err)
	}
	if moveErr != nil {
		t.Fatalf("label move: %v", moveErr)
	}

	var p Prompt
	var history map[string]LabelMoves
	err = first.ViewStore(ctx, func(tx *storage.Tx) error {
		var err error
		if p, err = GetPrompt(tx, "p"); err != nil {
			return err
		}
		history, err = AllLabelHistory(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	moves := history["p"]["canary"]
	at, labelled := p.Labels["canary"]
	switch {
	case labelled && len(moves) == 0:
		t.Fatalf("p's record has canary at version %d, but its label history ends with the label removed", at)
	case labelled && moves[len(moves)-1].Version != at:
		t.Fatalf("p's record has canary at version %d, its label history at version %d", at, moves[len(moves)-1].Version)
	case !labelled && len(moves) > 0:
		t.Fatalf("p's record has no canary, its label history has it at version %d", moves[len(moves)-1].Version)
	}
}
