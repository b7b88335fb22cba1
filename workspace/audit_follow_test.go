package workspace

import (
	"strings"
	"testing"
)

func TestEventsOfFollowsRenamesAndStopsAtDeletes(t *testing.T) {
	ev := func(action, prompt, from, detail string) AuditEvent {
		return AuditEvent{Action: action, Prompt: prompt, RenamedFrom: from, Detail: detail}
	}
	trail := []AuditEvent{
		ev(AuditCommit, "a", "", "old a 1"),
		ev(AuditDelete, "a", "", "old a deleted"),
		ev(AuditCommit, "a", "", "a 1"),
		ev(AuditCommit, "b", "", "b 1"),
		ev(AuditRename, "c", "a", "a -> c"),
		ev(AuditCommit, "c", "", "c 2"),
		ev(AuditCommit, "a", "", "new a 1"),
		ev(AuditCommit, "d", "", "d 1"),
		ev(AuditDelete, "d", "", "d deleted"),
	}
	details := func(name string) string {
		var out []string
		for _, e := range eventsOf(trail, name) {
			out = append(out, e.Detail)
		}
		return strings.Join(out, ", ")
	}
	for name, want := range map[string]string{
		"c": "a 1, a -> c, c 2", // back through the rename, not past the deletion
		"a": "new a 1",          // a new prompt under a used name
		"b": "b 1",              //
		"x": "",                 // unknown
	} {
		if got := details(name); got != want {
			t.Errorf("events of %s = %q, want %q", name, got, want)
		}
	}
}
