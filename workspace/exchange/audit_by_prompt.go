package exchange

import (
	"slices"

	"promptbench/workspace"
)

// promptEvents picks each prompt's audit events from a trail read once.
// An export folder needs the events of every prompt: reading the whole
// trail for each (exportedEvents) took most of a large library's export
// (ten thousand prompts × a hundred thousand events). It gives what
// exportedEvents(trail, []string{name}, false) gives.
type promptEvents struct {
	trail []workspace.AuditEvent
	// naming lists, oldest first, the events that name a prompt: as their
	// prompt, or as the former name of a rename.
	naming map[string][]int
	// formers lists the names renamed to a name.
	formers map[string][]string
	// placed marks the events returned by of: written with a prompt.
	placed []bool
}

func indexPromptEvents(trail []workspace.AuditEvent) *promptEvents {
	x := &promptEvents{trail: trail, naming: map[string][]int{}, formers: map[string][]string{}, placed: make([]bool, len(trail))}
	for i, ev := range trail {
		x.naming[ev.Prompt] = append(x.naming[ev.Prompt], i)
		if ev.Action == workspace.AuditRename {
			if ev.RenamedFrom != ev.Prompt {
				x.naming[ev.RenamedFrom] = append(x.naming[ev.RenamedFrom], i)
			}
			x.formers[ev.Prompt] = append(x.formers[ev.Prompt], ev.RenamedFrom)
		}
	}
	return x
}

// of returns the prompt's events. Following renames reaches only the
// names reachable from name through renames to them, so only the events
// naming one of those can be picked: the others are left out before
// following, which then reads a handful of events instead of the trail.
func (x *promptEvents) of(name string) []workspace.AuditEvent {
	names := []string{name}
	reached := map[string]bool{name: true}
	for i := 0; i < len(names); i++ {
		for _, f := range x.formers[names[i]] {
			if !reached[f] {
				reached[f] = true
				names = append(names, f)
			}
		}
	}
	var picked []int
	for _, n := range names {
		picked = append(picked, x.naming[n]...)
	}
	if len(names) > 1 {
		slices.Sort(picked)
		picked = slices.Compact(picked)
	}
	some := make([]workspace.AuditEvent, len(picked))
	for i, at := range picked {
		some[i] = x.trail[at]
	}
	events := exportedEvents(some, []string{name}, false)
	// events is a subsequence of some: mark where each came from.
	j := 0
	for _, ev := range events {
		for some[j] != ev {
			j++
		}
		x.placed[picked[j]] = true
		j++
	}
	return events
}

// rest returns the events of the trail a full export writes (no
// import's) that no prompt's file holds: those of deleted prompts and of
// no prompt. Like the export before it, it leaves out an event whose
// identity is that of an event written with a prompt, without keeping
// the identity of every event: only those at the instant of an event
// left are compared.
func (x *promptEvents) rest() []workspace.AuditEvent {
	var left []workspace.AuditEvent
	instants := map[int64]bool{}
	for i, ev := range x.trail {
		if !x.placed[i] && ev.Action != workspace.AuditImport {
			left = append(left, ev)
			instants[ev.Time.UnixNano()] = true
		}
	}
	if len(left) == 0 {
		return nil
	}
	placedAt := map[string]bool{}
	for i, ev := range x.trail {
		if x.placed[i] && instants[ev.Time.UnixNano()] {
			placedAt[ev.Identity()] = true
		}
	}
	return slices.DeleteFunc(left, func(ev workspace.AuditEvent) bool { return placedAt[ev.Identity()] })
}
