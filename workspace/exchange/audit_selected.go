package exchange

import (
	"promptbench/storage"
	"promptbench/workspace"
)

// An export of some prompts (--prompt, --tag, one file of a folder) writes
// their audit events, following renames (workspace.EventsOf). It used to
// read the whole trail into memory for that, a few hundred bytes per
// event of every prompt (about 30 MB for the 10,000-prompt benchmark
// library). The trail has no index by prompt, so it is still read once,
// but only the events that can matter are kept.

// selectedTrail is the events of the trail, oldest first, that EventsOf
// needs to pick those of the prompts now called names: the events of
// every name the prompts ever had, found through the rename events (few)
// first. EventsOf gives the same events from it as from the whole trail:
// it only looks at the events of the names it follows, which are among
// these.
func selectedTrail(tx *storage.Tx, names []string) ([]workspace.AuditEvent, error) {
	follow, err := formerNames(tx, names)
	if err != nil {
		return nil, err
	}
	var kept []workspace.AuditEvent
	var scan workspace.AuditInPlaceDecoder
	var keep workspace.AuditDecoder
	read := 0 // bytes of records since the table pages were released
	err = tx.ScanAuditInTime(nil, func(b []byte) error {
		if read += len(b); read >= releaseEvery {
			tx.ReleaseTablePages()
			read = 0
		}
		ev, err := scan.Decode(b)
		if err != nil {
			return err
		}
		if !follow[ev.Prompt] && !follow[ev.RenamedFrom] {
			return nil
		}
		// Kept past the call: decoded again with strings of its own.
		if ev, err = keep.Decode(b); err != nil {
			return err
		}
		kept = append(kept, ev)
		return nil
	})
	return kept, err
}

// formerNames is names and every name their prompts may have had: the
// former name of each rename to a name in the set, until none adds one.
func formerNames(tx *storage.Tx, names []string) (map[string]bool, error) {
	follow := make(map[string]bool, len(names))
	for _, n := range names {
		follow[n] = true
	}
	type rename struct{ to, from string }
	var renames []rename
	var events workspace.AuditDecoder
	isRename := func(action string) bool { return action == workspace.AuditRename }
	err := tx.ScanAuditInTime(isRename, func(b []byte) error {
		ev, err := events.Decode(b)
		if err != nil {
			return err
		}
		if ev.Action == workspace.AuditRename {
			renames = append(renames, rename{ev.Prompt, ev.RenamedFrom})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for added := true; added; {
		added = false
		for _, r := range renames {
			if follow[r.to] && !follow[r.from] {
				follow[r.from] = true
				added = true
			}
		}
	}
	return follow, nil
}
