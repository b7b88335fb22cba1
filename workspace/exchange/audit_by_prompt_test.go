package exchange

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

// indexTrail indexes the trail as readPromptEvents does the store's, its
// records in a temporary file or, where none can be made, in memory.
func indexTrail(t *testing.T, trail []workspace.AuditEvent, inFile bool) *promptEvents {
	t.Helper()
	records := &auditRecords{}
	if inFile {
		records = newAuditRecords(t.TempDir())
		if records.f == nil {
			t.Fatal("no temporary file made")
		}
	}
	x := newPromptEvents(records)
	t.Cleanup(x.close)
	for _, ev := range trail {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.add(b, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := records.done(); err != nil {
		t.Fatal(err)
	}
	return x
}

// An export folder picks each prompt's events from a trail indexed once:
// through renames back and forth, deletions and names taken again, events
// of one instant and events longer than a read, each prompt's file gets the events an export of that prompt alone writes,
// and the library file the events of no prompt written.
func TestPromptEventsMatchFollowingTheTrail(t *testing.T) {
	names := []string{"a", "b", "c", "d/e", ""}
	actions := []string{workspace.AuditCommit, workspace.AuditLabel, workspace.AuditRename, workspace.AuditDelete, workspace.AuditImport}
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 1))
		var trail []workspace.AuditEvent
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for range r.IntN(40) {
			ev := workspace.AuditEvent{Time: at, Author: "ann", Action: actions[r.IntN(len(actions))], Prompt: names[r.IntN(len(names))]}
			if r.IntN(4) == 0 { // records longer than a read
				ev.Detail = strings.Repeat("long ", r.IntN(3000))
			}
			if ev.Action == workspace.AuditRename {
				ev.RenamedFrom = names[r.IntN(len(names))]
			}
			trail = append(trail, ev)
			if r.IntN(3) > 0 { // events of one instant too
				at = at.Add(time.Second)
			}
		}
		x := indexTrail(t, trail, seed%2 == 0)
		same := func(a, b workspace.AuditEvent) bool { return a == b }
		placed := map[string]bool{}
		for _, n := range names[:r.IntN(5)] {
			want := exportedEvents(trail, []string{n}, false)
			if got, err := x.of(n); err != nil || !slices.EqualFunc(got, want, same) {
				t.Fatalf("seed %d, prompt %q: got %v, want %v", seed, n, got, want)
			}
			for _, ev := range want {
				placed[ev.Identity()] = true
			}
		}
		var rest []workspace.AuditEvent
		for _, ev := range exportedEvents(trail, nil, true) {
			if !placed[ev.Identity()] {
				rest = append(rest, ev)
			}
		}
		if got, err := x.rest(); err != nil || !slices.EqualFunc(got, rest, same) {
			t.Fatalf("seed %d: the library file's events are %v, want %v", seed, got, rest)
		}
	}
}
