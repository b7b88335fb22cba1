package eval_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"promptbench/eval"
	"promptbench/workspace"
)

// slowStore holds every write until released, as a store busy with a
// compaction or another process would.
type slowStore struct {
	*workspace.Workspace
	release chan struct{}
	writes  atomic.Int32
}

func (s *slowStore) AddLogs(ctx context.Context, e []workspace.LogEntry, c map[string][]byte) error {
	<-s.release
	s.writes.Add(1)
	return s.Workspace.AddLogs(ctx, e, c)
}

// Calls go on while the store is slow to take their log entries: the
// entries wait in the next batch, which is written whole once the store is
// free, and nothing is lost.
func TestSessionCallsDoNotWaitForTheStore(t *testing.T) {
	ws := sessionWorkspace(t)
	store := &slowStore{Workspace: ws, release: make(chan struct{})}
	const n = 20
	s := newSession(t, ws, eval.SessionOptions{Client: echoRegistry(t), Recorder: store, Concurrency: 1, FlushCount: 2},
		eval.Variant{Ref: "greet@1", Model: "echo/echo"})
	cases := make([]eval.Case, n)
	for i := range cases {
		cases[i] = eval.Case{ID: workspace.CaseID(fmt.Sprint(i)), Vars: map[string]any{"name": fmt.Sprint(i)}}
	}
	tr := newTrace()
	finished := 0
	drain(t, s.Run(context.Background(), eval.Cases(cases...)), func(ev eval.SessionEvent) {
		tr.add(ev)
		if _, ok := ev.(eval.Finished); ok {
			// Every call finishes while the first write still waits.
			if finished++; finished == n {
				close(store.release)
			}
		}
	})
	tr.check(t)
	if len(tr.recorded) != n {
		t.Errorf("recorded %d of %d", len(tr.recorded), n)
	}
	if w := store.writes.Load(); w > 3 {
		t.Errorf("%d writes for %d entries at FlushCount 2: the entries that waited were not written together", w, n)
	}
	if log := logged(t, ws, "greet@1"); len(log) != n {
		t.Errorf("log holds %d entries, want %d", len(log), n)
	}
}
