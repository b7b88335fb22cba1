package workspace

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
)

// renameFixture: "support/reply" with two versions, a tag, a production
// label and n log entries (of size bytes of output each); "support/triage"
// includes it in its only (latest) version.
func renameFixture(t *testing.T, ws *Workspace, n, size int) {
	t.Helper()
	ctx := context.Background()
	tags, _ := ParseTags([]string{"purpose:support"})
	d := text("Reply to {{ticket}}")
	d.Tags = tags
	mustCommit(t, ws, "support/reply", d)
	mustCommit(t, ws, "support/reply", text("Kindly reply to {{ticket}}"))
	if _, err := ws.SetLabel(ctx, "support/reply@1", "production"); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "support/triage", text("Sort {{ticket}}. {{> support/reply@2}}"))
	base := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	if n > 0 {
		run := Run{ID: fixtureRun, Status: RunDone, LogIndex: true, Started: base, Variants: []RunVariant{
			{ID: "a", Ref: "support/reply@1", Prompt: "support/reply", Version: 1, Model: "echo/echo"},
			{ID: "b", Ref: "support/reply@2", Prompt: "support/reply", Version: 2, Model: "echo/echo"},
		}}
		if err := ws.SaveRun(ctx, run); err != nil {
			t.Fatal(err)
		}
	}
	var entries []LogEntry
	for i := range n {
		e := LogEntry{ID: NewLogID(base.Add(time.Duration(i) * time.Second)), Prompt: "support/reply",
			Version: 1 + i%2, Source: "cli", Model: "echo/echo", Output: strings.Repeat("x", size), Time: base}
		if i%4 < 2 {
			// Half of them are calls of an evaluation run, listed in
			// its index.
			e.Source, e.Run, e.Case = "eval:"+string(fixtureRun), fixtureRun, CaseID(strconv.Itoa(i/4))
		}
		entries = append(entries, e)
	}
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
}

const fixtureRun RunID = "20261102-000000-f1x7"

// runIndexKeysOf counts the run index keys that name the prompt.
func runIndexKeysOf(t *testing.T, ws *Workspace, name string) int {
	t.Helper()
	n := 0
	err := ws.view(context.Background(), func(tx *storage.Tx) error {
		return tx.ScanRunLogIndex(func(_, p string, _ int, _ string) error {
			if p == name {
				n++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// wantRunEntries is how many of renameFixture's n entries are the run's.
func wantRunEntries(n int) int { return n/4*2 + min(n%4, 2) }

// checkDoctor asserts that doctor finds what the rename or delete of
// support/reply leaves, and nothing else: support/triage includes it.
func checkDoctor(t *testing.T, ws *Workspace, replyGone bool) {
	t.Helper()
	var want []string
	if replyGone {
		want = []string{"include-broken support/triage@1"}
	}
	if got := names(doctor(t, ws, false).Problems); !slices.Equal(got, want) {
		t.Fatalf("doctor finds %q, want %q", got, want)
	}
}

// checkRenamed asserts that support/answer is the whole prompt and
// support/reply is gone.
func checkRenamed(t *testing.T, ws *Workspace, logs int) {
	t.Helper()
	ctx := context.Background()
	p, versions, err := ws.History(ctx, "support/answer")
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 || p.Labels["production"] != 1 || !strings.Contains(strings.Join(p.Tags, " "), "purpose:support") {
		t.Fatalf("renamed prompt = %+v with %d versions", p, len(versions))
	}
	for _, v := range versions {
		if v.Prompt != "support/answer" {
			t.Fatalf("version %d still names %s", v.Number, v.Prompt)
		}
	}
	if _, _, err := ws.Show(ctx, "support/reply"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old name still resolves: %v", err)
	}
	tag, _ := ParseTag("purpose:support")
	listed, err := ws.List(ctx, Filter{Tags: []Tag{tag}})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].Name != "support/answer" {
		t.Fatalf("tag index lists %+v", listed)
	}
	page, err := ws.QueryLogs(ctx, LogQuery{Prompt: "support/answer", Limit: logs + 1})
	if err != nil || len(page.Entries) != logs {
		t.Fatalf("logs under the new name: %d, %v; want %d", len(page.Entries), err, logs)
	}
	for _, e := range page.Entries {
		if e.Prompt != "support/answer" {
			t.Fatalf("log entry %s still names %s", e.ID, e.Prompt)
		}
	}
	err = ws.view(ctx, func(tx *storage.Tx) error {
		left, err := tx.HasVersionsOrLogs("support/reply")
		if left {
			t.Error("versions or logs left under the old name")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The run's index moved with its entries, and the run reads them
	// under the new name.
	if n := runIndexKeysOf(t, ws, "support/reply"); n != 0 {
		t.Errorf("%d run index keys left under the old name", n)
	}
	if got, want := runIndexKeysOf(t, ws, "support/answer"), wantRunEntries(logs); got != want {
		t.Errorf("%d run index keys under the new name, want %d", got, want)
	}
	read := 0
	for _, n := range []int{1, 2} {
		if err := ws.RunLogs(ctx, "support/answer", n, fixtureRun, func(LogEntry) error { read++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if want := wantRunEntries(logs); read != want {
		t.Errorf("the run reads %d entries under the new name, want %d", read, want)
	}
	checkDoctor(t, ws, true)
}

func TestRenameMovesVersionsLogsLabelsAndTrail(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 10, 10)
	res, err := ws.Rename(ctx, "support/reply", "support/answer")
	if err != nil {
		t.Fatal(err)
	}
	if res.Versions != 2 || res.Logs != 10 || len(res.Includers) != 1 || res.Includers[0].Prompt != "support/triage" || !res.Includers[0].Latest || res.Includers[0].Include != "support/reply@2" {
		t.Fatalf("result = %+v", res)
	}
	checkRenamed(t, ws, 10)
	events, err := ws.Audit(ctx, "support/answer")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range events {
		actions = append(actions, ev.Action)
	}
	if got := strings.Join(actions, " "); got != "commit commit label rename" {
		t.Fatalf("audit trail of the renamed prompt: %s", got)
	}
	if last := events[len(events)-1]; last.RenamedFrom != "support/reply" || last.Prompt != "support/answer" {
		t.Fatalf("rename event = %+v", last)
	}
	out := exportString(t, ws, ExportOptionsForTest{Prompts: []string{"support/answer"}})
	if !strings.Contains(out, "history:\n      - version: 1") {
		t.Fatalf("label history did not follow the rename:\n%s", out)
	}
	// A new prompt under the old name starts its own trail.
	mustCommit(t, ws, "support/reply", text("New {{x}}"))
	if events, _ := ws.Audit(ctx, "support/reply"); len(events) != 1 {
		t.Fatalf("new prompt under the old name has %d events: %+v", len(events), events)
	}
}

// A recorded run follows the rename, so that resuming it or rerunning its
// errors finds the prompt; a run of another prompt is left alone.
func TestRenameRewritesRecordedRuns(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 0, 0)
	started := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	ran := Run{ID: "r1", Status: RunInterrupted, Started: started, Variants: []RunVariant{
		{ID: "a", Ref: "support/reply@1", Prompt: "support/reply", Version: 1, Model: "echo/echo"},
		{ID: "b", Ref: "support/reply", Prompt: "support/reply", Version: 2, Model: "echo/echo"},
		{ID: "c", Ref: "support/triage", Prompt: "support/triage", Version: 1, Model: "echo/echo"},
	}}
	other := Run{ID: "r2", Status: RunDone, Started: started, Variants: []RunVariant{
		{ID: "a", Ref: "support/triage", Prompt: "support/triage", Version: 1, Model: "echo/echo"},
	}}
	for _, r := range []Run{ran, other} {
		if err := ws.SaveRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ws.Rename(ctx, "support/reply", "support/answer"); err != nil {
		t.Fatal(err)
	}
	got, err := ws.Run(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, v := range got.Variants {
		refs = append(refs, v.Prompt+" "+v.Ref)
	}
	if want := "support/answer support/answer@1, support/answer support/answer, support/triage support/triage"; strings.Join(refs, ", ") != want {
		t.Fatalf("run variants after rename: %s; want %s", strings.Join(refs, ", "), want)
	}
	if got, _ := ws.Run(ctx, "r2"); got.Variants[0].Prompt != "support/triage" {
		t.Fatalf("a run of another prompt changed: %+v", got.Variants)
	}
}

func TestRenameRefusals(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 0, 0)
	if _, err := ws.Rename(ctx, "support/reply", "support/triage"); !errors.Is(err, ErrExists) {
		t.Fatalf("onto an existing name: %v", err)
	}
	if _, err := ws.Rename(ctx, "nope", "other"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown prompt: %v", err)
	}
	if _, err := ws.Rename(ctx, "support/reply", "Bad Name"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad name: %v", err)
	}
}

// Logs too large for one transaction take the journaled path.
func TestRenameLargePromptInSteps(t *testing.T) {
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 3000, 1500) // about 5 MB of entries
	if _, err := ws.Rename(context.Background(), "support/reply", "support/answer"); err != nil {
		t.Fatal(err)
	}
	checkRenamed(t, ws, 3000)
}

// A crash leaves the journal and part of the work; the next open of the
// workspace finishes or undoes it. Each case stops the steps at one point.
func TestRenameInterruptedIsRecovered(t *testing.T) {
	for _, stop := range []string{"journal", "copies", "switch", "purge"} {
		t.Run(stop, func(t *testing.T) {
			ctx := context.Background()
			ws := newTestWorkspace(t)
			renameFixture(t, ws, 20, 10)
			_, err := ws.withWriter(ctx, func(st *storage.Store) error {
				var versions []int
				var logs []logKey
				err := st.View(func(tx *storage.Tx) error {
					var err error
					versions, logs, err = checkRename(tx, "support/reply", "support/answer")
					return err
				})
				if err != nil {
					return err
				}
				r := renamer{from: "support/reply", to: "support/answer", author: "alice", now: time.Now()}
				steps := []struct {
					name string
					do   func() error
				}{
					{"journal", func() error {
						return st.Update(func(tx *storage.Tx) error {
							return putPromptOp(tx, promptOp{Op: opRename, Name: r.from, To: r.to})
						})
					}},
					{"copies", func() error {
						return st.Update(func(tx *storage.Tx) error {
							for _, n := range versions {
								if _, err := r.copyVersion(tx, n); err != nil {
									return err
								}
							}
							for _, k := range logs[:len(logs)/2] {
								if _, err := r.copyLog(tx, k); err != nil {
									return err
								}
							}
							return nil
						})
					}},
					{"switch", func() error {
						return st.Update(func(tx *storage.Tx) error {
							for _, k := range logs[len(logs)/2:] {
								if _, err := r.copyLog(tx, k); err != nil {
									return err
								}
							}
							return r.switchRecord(tx)
						})
					}},
					{"purge", func() error {
						return st.Update(func(tx *storage.Tx) error { _, err := tx.DeleteVersionsAfter(r.from, 0, 1); return err })
					}},
				}
				for _, s := range steps {
					if err := s.do(); err != nil {
						return err
					}
					if s.name == stop {
						return nil // the process dies here
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if stop == "journal" || stop == "copies" {
				// Before the switch: the old name is whole, the copies gone.
				_, versions, err := ws.History(ctx, "support/reply")
				if err != nil || len(versions) != 2 {
					t.Fatalf("old name after recovery: %d versions, %v", len(versions), err)
				}
				err = ws.view(ctx, func(tx *storage.Tx) error {
					left, err := tx.HasVersionsOrLogs("support/answer")
					if left {
						t.Error("copies left under the new name")
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				page, _ := ws.QueryLogs(ctx, LogQuery{Prompt: "support/reply", Limit: 100})
				if len(page.Entries) != 20 {
					t.Fatalf("old name has %d log entries after recovery", len(page.Entries))
				}
				if got, want := runIndexKeysOf(t, ws, "support/reply"), wantRunEntries(20); got != want {
					t.Errorf("old name has %d run index keys after recovery, want %d", got, want)
				}
				if n := runIndexKeysOf(t, ws, "support/answer"); n != 0 {
					t.Errorf("%d run index keys of the copies left under the new name", n)
				}
				checkDoctor(t, ws, false)
				return
			}
			checkRenamed(t, ws, 20)
		})
	}
}
