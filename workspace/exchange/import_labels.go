package exchange

import (
	"fmt"
	"slices"
	"time"

	"promptbench/workspace"
)

// planLabel decides what happens to one of the file's labels and reports
// whether it changes the prompt.
func planLabel(pc *promptChange, rec *workspace.Prompt, plan *ImportPlan, fl parsedLabel, mapping func(int) int, hashes map[int]string, localMoves, everMoves []workspace.AuditEvent, o ImportOptions, author string, now time.Time) bool {
	to := mapping(fl.version)
	from := rec.Labels[fl.name]
	if from == to {
		return false
	}
	moveID := func(version int, author string, t time.Time) string {
		return hashes[version] + "\x00" + author + "\x00" + workspace.FormatExportTime(t)
	}
	var ours, theirs []string
	for _, ev := range localMoves {
		ours = append(ours, moveID(ev.Version, ev.Author, ev.Time))
	}
	for _, mv := range fl.history {
		theirs = append(theirs, moveID(mapping(mv.version), mv.author, mv.time))
	}
	pl := PlannedLabel{Prompt: rec.Name, Label: fl.name, From: from, To: to}
	switch {
	case from == 0 && len(theirs) > 0 && allKnown(theirs, everMoves, moveID):
		// We had every move the file knows of and removed the label
		// since: the file is behind us, and bringing the label back
		// would also leave its history ending with our removal.
		return false
	case from == 0:
		pl.Action = LabelActionNew
	case isPrefix(theirs, ours) && len(theirs) > 0:
		return false // the file is behind us
	case isPrefix(ours, theirs) && len(ours) > 0:
		pl.Action = LabelActionMove
	case o.Theirs:
		pl.Action = LabelActionTheirs
	default:
		pl.Action = LabelActionKeep
		plan.Labels = append(plan.Labels, pl)
		return false
	}
	plan.Labels = append(plan.Labels, pl)
	have := map[string]bool{}
	for _, id := range ours {
		have[id] = true
	}
	prev := from
	for i, mv := range fl.history {
		if have[theirs[i]] {
			continue
		}
		n := mapping(mv.version)
		pc.moves = append(pc.moves, labelEvent(rec.Name, fl.name, prev, n, mv.author, mv.time))
		prev = n
		rec.Updated = laterOf(rec.Updated, mv.time)
	}
	if prev != to || len(pc.moves) == 0 {
		pc.moves = append(pc.moves, labelEvent(rec.Name, fl.name, prev, to, author, now))
		rec.Updated = laterOf(rec.Updated, now)
	}
	if rec.Labels == nil {
		rec.Labels = map[string]int{}
	}
	rec.Labels[fl.name] = to
	return true
}

func labelEvent(prompt, label string, from, to int, author string, t time.Time) workspace.AuditEvent {
	detail := fmt.Sprintf("%s -> %d", label, to)
	if from > 0 {
		detail = fmt.Sprintf("%s %d -> %d", label, from, to)
	}
	return workspace.AuditEvent{Time: t, Author: author, Action: workspace.AuditLabel, Prompt: prompt, Version: to, Detail: detail, Label: label, From: from}
}

// allKnown tells whether every move id of ids is one of moves'.
func allKnown(ids []string, moves []workspace.AuditEvent, moveID func(int, string, time.Time) string) bool {
	known := make(map[string]bool, len(moves))
	for _, ev := range moves {
		known[moveID(ev.Version, ev.Author, ev.Time)] = true
	}
	for _, id := range ids {
		if !known[id] {
			return false
		}
	}
	return true
}

func isPrefix(short, long []string) bool {
	return len(short) <= len(long) && slices.Equal(short, long[:len(short)])
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
