package exchange

import (
	"slices"
	"time"

	"promptbench/workspace"
)

// Label moves made before a rename. A prompt's label history in the file
// sits under the prompt's name today, so this import plans its moves under
// that name; the audit section has the same moves under the name the prompt
// had when each was made. Written both ways, the library held each such
// move twice (and an export of it said so). The section's event is the
// true record: it keeps the name of its time, its review and forced mark.

// sectionRename is a rename the file's audit section records.
type sectionRename struct {
	from, to string
	at       time.Time
}

// noteSectionEvent remembers what the section says about renames and the
// label moves no planned move matched by name.
func (im *importer) noteSectionEvent(ev workspace.AuditEvent) {
	switch ev.Action {
	case workspace.AuditRename:
		if ev.RenamedFrom != "" {
			im.sectionRenames = append(im.sectionRenames, sectionRename{from: ev.RenamedFrom, to: ev.Prompt, at: ev.Time})
		}
	case workspace.AuditLabel:
		im.sectionMoves = append(im.sectionMoves, ev)
	}
}

// dropRenamedMoves leaves out the planned moves the audit section has under
// an earlier name of their prompt: following the section's renames made
// after each of its label moves leads to the planned move's prompt.
func (im *importer) dropRenamedMoves() {
	if len(im.sectionRenames) == 0 || len(im.plannedMoves) == 0 {
		return
	}
	slices.SortStableFunc(im.sectionRenames, func(a, b sectionRename) int { return a.at.Compare(b.at) })
	covered := map[*workspace.AuditEvent]bool{}
	for _, ev := range im.sectionMoves {
		name, since := ev.Prompt, ev.Time
		for _, r := range im.sectionRenames {
			if r.from != name || r.at.Before(since) {
				continue
			}
			name, since = r.to, r.at
			later := ev
			later.Prompt = name
			if planned := im.plannedMoves[later.Identity()]; planned != nil {
				covered[planned] = true
			}
		}
	}
	if len(covered) == 0 {
		return
	}
	for _, pc := range im.m.prompts {
		kept := pc.moves[:0]
		for i := range pc.moves {
			if !covered[&pc.moves[i]] {
				kept = append(kept, pc.moves[i])
			}
		}
		pc.moves = kept
	}
	im.plannedMoves = nil // its pointers no longer name the moves kept
}
