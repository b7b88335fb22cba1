package exchange

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"promptbench/workspace"
)

// An export folder picks each prompt's events from a trail indexed once:
// through renames back and forth, deletions and names taken again, each
// prompt's file gets the events an export of that prompt alone writes,
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
			if ev.Action == workspace.AuditRename {
				ev.RenamedFrom = names[r.IntN(len(names))]
			}
			trail = append(trail, ev)
			if r.IntN(3) > 0 { // events of one instant too
				at = at.Add(time.Second)
			}
		}
		x := indexPromptEvents(trail)
		same := func(a, b workspace.AuditEvent) bool { return a == b }
		placed := map[string]bool{}
		for _, n := range names[:r.IntN(5)] {
			want := exportedEvents(trail, []string{n}, false)
			if got := x.of(n); !slices.EqualFunc(got, want, same) {
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
		if got := x.rest(); !slices.EqualFunc(got, rest, same) {
			t.Fatalf("seed %d: the library file's events are %v, want %v", seed, got, rest)
		}
	}
}
