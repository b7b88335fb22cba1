package workspace

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestHeldStoreGivesWay: writes that hold the store open between them
// land like any, another process (here a second workspace on the same
// folder, which Badger's lock treats the same) gets the store once the
// writer pauses, and this process's own reads never wait for the hold.
func TestHeldStoreGivesWay(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	hold := HoldStore(ctx)
	for batch := range 3 {
		var entries []LogEntry
		for i := range 10 {
			entries = append(entries, LogEntry{ID: NewLogID(now.Add(time.Duration(batch*10+i) * time.Second)), Prompt: "p", Version: 1,
				Run: "r", Case: CaseID(fmt.Sprint(batch*10 + i)), Time: now})
		}
		if err := ws.AddLogs(hold, entries, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Held now: a read of this process closes it first.
	n := 0
	if err := ws.RunLogs(ctx, "p", 1, "r", func(LogEntry) error { n++; return nil }); err != nil || n != 30 {
		t.Fatalf("own read: %d entries, %v", n, err)
	}
	// Held again: another process waits for the writer's pause.
	if err := ws.AddLogs(hold, []LogEntry{{ID: NewLogID(now.Add(time.Hour)), Prompt: "p", Version: 1, Run: "r", Case: "last", Time: now}}, nil); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ws.Dir, Options{Getenv: func(string) string { return "" }, LockWait: 5 * time.Second, Command: "promptbench other"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := other.QueryLogs(ctx, LogQuery{Prompt: "p", Limit: 100})
	if err != nil || len(page.Entries) != 31 {
		t.Fatalf("the other process read %d entries: %v", len(page.Entries), err)
	}
	ws.ReleaseStore() // nothing held any more: a no-op
}

// TestStoreKeptForAWrite: a store kept for a write serves this process's
// reads and its log entries; another process's reader does not wait for
// it, and once released, another writer gets the store at once.
func TestStoreKeptForAWrite(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	if err := ws.KeepStoreForWrite(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ws.Show(ctx, "p"); err != nil {
		t.Fatalf("own read: %v", err)
	}
	other, err := Open(ws.Dir, Options{Getenv: func(string) string { return "" }, LockWait: -1, Command: "promptbench other"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.Show(ctx, "p"); err != nil {
		t.Fatalf("another process's read waited for the kept store: %v", err)
	}
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	if err := ws.AddLogs(ctx, []LogEntry{{ID: NewLogID(now), Prompt: "p", Version: 1, Time: now}}, nil); err != nil {
		t.Fatal(err)
	}
	ws.ReleaseStore()
	if _, err := other.SetLabel(ctx, "p@1", "prod"); err != nil {
		t.Fatalf("another writer after the release: %v", err)
	}
	page, err := other.QueryLogs(ctx, LogQuery{Prompt: "p", Limit: 10})
	if err != nil || len(page.Entries) != 1 {
		t.Fatalf("the other process read %d entries: %v", len(page.Entries), err)
	}
}

// TestReadDuringHeldWriteKeepsTheStore: a read of this process that comes
// while a write uses the held store (an evaluation's cache read during a
// batch's write) waits for that write and reads through the same open
// store, instead of closing it to open its own: each such close wrote a
// level-0 table, and a long run piled them up.
func TestReadDuringHeldWriteKeepsTheStore(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	hold := HoldStore(ctx)
	entry := func(i int) []LogEntry {
		return []LogEntry{{ID: NewLogID(now.Add(time.Duration(i) * time.Second)), Prompt: "p", Version: 1, Run: "r", Case: CaseID(fmt.Sprint(i)), Time: now}}
	}
	if err := ws.AddLogs(hold, entry(0), nil); err != nil {
		t.Fatal(err)
	}
	// A write in the middle of using the held store.
	st, opened := ws.takeLease(ctx)
	if st == nil {
		t.Fatal("the first write left no store held")
	}
	read := make(chan error)
	go func() {
		read <- ws.RunLogs(ctx, "p", 1, "r", func(LogEntry) error { return nil })
	}()
	select {
	case err := <-read:
		t.Fatalf("the read did not wait for the write under way: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	ws.keepLease(st, opened)
	if err := <-read; err != nil {
		t.Fatal(err)
	}
	again, _ := ws.takeLease(ctx)
	if again != st {
		t.Fatal("the read closed the held store instead of reading through it")
	}
	ws.keepLease(again, opened)
	if err := ws.AddLogs(hold, entry(1), nil); err != nil {
		t.Fatal(err)
	}
	ws.ReleaseStore()
	n := 0
	if err := ws.RunLogs(ctx, "p", 1, "r", func(LogEntry) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("after release: %d entries, %v", n, err)
	}
}

// TestLastOperationsUseTheHeldStore: the operations that end an
// evaluation (its last batch, the report's reads, the run record) use the
// store held open even past the time a hold may last, instead of closing
// and opening it again; any other operation gives it up.
func TestLastOperationsUseTheHeldStore(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	held := func() *heldStore {
		ws.lease.mu.Lock()
		defer ws.lease.mu.Unlock()
		return ws.lease.st
	}
	age := func() {
		// The hold has lasted its time; its idle timer is stopped so that
		// only the operations below decide.
		ws.lease.mu.Lock()
		defer ws.lease.mu.Unlock()
		ws.lease.opened = ws.lease.opened.Add(-2 * ws.lease.st.maxAge())
		if ws.lease.timer != nil {
			ws.lease.timer.Stop()
		}
	}
	if err := ws.SaveRun(ctx, Run{ID: "r", Status: RunRunning, Started: now}); err != nil {
		t.Fatal(err)
	}
	if err := ws.AddLogs(HoldStore(ctx), []LogEntry{{ID: NewLogID(now), Prompt: "p", Version: 1, Run: "r", Case: "0", Time: now}}, nil); err != nil {
		t.Fatal(err)
	}
	st := held()
	age()
	lastOps := LastOperations(HoldStore(ctx))
	if err := ws.AddLogs(lastOps, []LogEntry{{ID: NewLogID(now.Add(time.Second)), Prompt: "p", Version: 1, Run: "r", Case: "1", Time: now}}, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := ws.RunLogs(lastOps, "p", 1, "r", func(LogEntry) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("read %d entries: %v", n, err)
	}
	if err := ws.SaveRun(lastOps, Run{ID: "r", Status: RunDone, Started: now}); err != nil {
		t.Fatal(err)
	}
	if held() != st {
		t.Fatal("the last operations closed the held store and opened it again")
	}
	age()
	if _, err := ws.Run(ctx, "r"); err != nil {
		t.Fatal(err)
	}
	if held() != nil {
		t.Error("an ordinary read kept a store held past its time")
	}
	ws.ReleaseStore()
	r, err := ws.Run(ctx, "r")
	if err != nil || r.Status != RunDone {
		t.Fatalf("run %+v: %v", r, err)
	}
}

// A bulk writer's batches keep the store open past the time a small
// writer's hold lasts (no other process waits for it), up to
// bulkLeaseMax; a held store that reached it is closed and opened again.
func TestBulkBatchesKeepTheStore(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	hold := HoldStore(ctx)
	write := func(i int) *heldStore {
		t.Helper()
		e := []LogEntry{{ID: NewLogID(now.Add(time.Duration(i) * time.Second)), Prompt: "p", Version: 1, Run: "r", Case: CaseID(fmt.Sprint(i)), Time: now}}
		if err := ws.AddLogs(hold, e, nil); err != nil {
			t.Fatal(err)
		}
		ws.lease.mu.Lock()
		defer ws.lease.mu.Unlock()
		// Only the batches below decide, not the idle timer.
		if ws.lease.timer != nil {
			ws.lease.timer.Stop()
		}
		return ws.lease.st
	}
	age := func(by time.Duration) {
		ws.lease.mu.Lock()
		defer ws.lease.mu.Unlock()
		ws.lease.opened = ws.lease.opened.Add(-by)
	}
	st := write(0)
	if st == nil || !st.bulk {
		t.Fatalf("the first batch left %+v held, want its bulk store", st)
	}
	age(2 * leaseMax)
	if again := write(1); again != st {
		t.Fatal("the batch after a second closed the store and opened it again")
	}
	age(bulkLeaseMax)
	if again := write(2); again == st || again == nil {
		t.Fatal("a store held for bulkLeaseMax was not opened again")
	}
	ws.ReleaseStore()
	n := 0
	if err := ws.RunLogs(ctx, "p", 1, "r", func(LogEntry) error { n++; return nil }); err != nil || n != 3 {
		t.Fatalf("%d entries, %v", n, err)
	}
}

// Once a writer's last operations have begun, the store stays held
// between them however long the writer works in between (an evaluation
// reading its results back), instead of being closed after leaseIdle
// and opened again for the run record.
func TestLastOperationsKeepTheStoreWhileIdle(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	last := LastOperations(HoldStore(ctx))
	if err := ws.AddLogs(last, []LogEntry{{ID: NewLogID(now), Prompt: "p", Version: 1, Run: "r", Case: "0", Time: now}}, nil); err != nil {
		t.Fatal(err)
	}
	ws.lease.mu.Lock()
	st := ws.lease.st
	ws.lease.mu.Unlock()
	time.Sleep(3 * leaseIdle)
	ws.lease.mu.Lock()
	still := ws.lease.st
	ws.lease.mu.Unlock()
	if st == nil || still != st {
		t.Fatal("the store held for the last operations was closed while idle")
	}
	if err := ws.SaveRun(last, Run{ID: "r", Status: RunDone, Started: now}); err != nil {
		t.Fatal(err)
	}
	ws.ReleaseStore()
	if r, err := ws.Run(ctx, "r"); err != nil || r.Status != RunDone {
		t.Fatalf("run %+v: %v", r, err)
	}
}
