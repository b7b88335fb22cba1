package exchange

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportfile"
	"promptbench/workspace/exportyaml"
)

// The audit section of an export file: the library's audit trail, so that
// a teammate who imports the file sees who changed what. Import events
// stay out (each library's own bookkeeping: which machine imported what);
// every other event goes in, in time order, and an import adds those it
// does not have (by AuditEvent.Identity).

// fileAudit is one event as an export file writes it.
type fileAudit = exportfile.Audit

// exportedEvents picks the events an export of prompts carries: all but
// import events for a full export, else those of the exported prompts
// (following renames).
func exportedEvents(all []workspace.AuditEvent, prompts []string, full bool) []workspace.AuditEvent {
	var out []workspace.AuditEvent
	if full {
		for _, ev := range all {
			if ev.Action != workspace.AuditImport {
				out = append(out, ev)
			}
		}
		return out
	}
	for _, name := range prompts {
		for _, ev := range workspace.EventsOf(all, name) {
			if ev.Action != workspace.AuditImport {
				out = append(out, ev)
			}
		}
	}
	return out
}

// writeAuditSection writes the audit section of an export of the prompts
// names, all of the library's when full. A full export streams the trail,
// which the store keeps in time order (writeFullAudit).
func writeAuditSection(tx *storage.Tx, w *exportyaml.Writer, names []string, full bool) error {
	if !full {
		trail, err := selectedTrail(tx, names)
		if err != nil {
			return err
		}
		writeAudit(w, exportedEvents(trail, names, false))
		return nil
	}
	return writeFullAudit(tx, w)
}

// exportOrder is the order of the audit section: by time; events of the
// same instant (an import's, a generated library's) in an order of their
// own, so that every library holding them writes the same bytes.
func exportOrder(a, b workspace.AuditEvent) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	if c := strings.Compare(a.Identity(), b.Identity()); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Version, b.Version), strings.Compare(a.Detail, b.Detail))
}

// writeAudit writes the events in the audit section's order (exportOrder),
// events equal in it in the order given.
func writeAudit(w *exportyaml.Writer, events []workspace.AuditEvent) {
	if len(events) == 0 {
		return
	}
	slices.SortStableFunc(events, exportOrder)
	w.Open(0, "audit")
	for _, ev := range events {
		writeEvent(w, ev)
	}
}

// writeEvent writes one item of the audit section.
func writeEvent(w *exportyaml.Writer, ev workspace.AuditEvent) { writeEventText(w, ev, nil) }

// writeEventText is writeEvent for an event whose time, as export files
// write it, may be at hand as timeText (AuditInPlaceDecoder.TimeText).
func writeEventText(w *exportyaml.Writer, ev workspace.AuditEvent, timeText []byte) {
	w.Raw("- time:")
	if timeText != nil {
		w.TimeText(timeText)
	} else {
		w.Time(ev.Time)
	}
	w.Str(2, "author", ev.Author)
	w.Str(2, "action", ev.Action)
	if ev.Prompt != "" {
		w.Str(2, "prompt", ev.Prompt)
	}
	if ev.Version != 0 {
		w.Int(2, "version", int64(ev.Version))
	}
	if ev.Label != "" {
		w.Str(2, "label", ev.Label)
	}
	if ev.From != 0 {
		w.Int(2, "from", int64(ev.From))
	}
	if ev.RenamedFrom != "" {
		w.Str(2, "renamed_from", ev.RenamedFrom)
	}
	if ev.Review != "" {
		w.Str(2, "review", ev.Review)
	}
	if ev.Forced {
		w.Bool(2, "forced", true)
	}
	if ev.Hash != "" {
		w.Str(2, "hash", ev.Hash)
	}
	if ev.Detail != "" {
		w.Str(2, "detail", ev.Detail)
	}
}

// maxAuditEvents bounds the audit section of an import file.
const maxAuditEvents = 2_000_000

// auditEvent merges one event of the file's audit section: checked,
// its version numbers in local numbering, and planned unless the library
// has it already.
func (im *importer) auditEvent(fa fileAudit, place placer) error {
	im.auditCount++
	if im.auditCount > maxAuditEvents {
		return place(fieldErrorf("", "more than %d audit events, the most an import file may hold", maxAuditEvents))
	}
	t, err := time.Parse(time.RFC3339Nano, fa.Time)
	switch {
	case err != nil:
		return place(fieldErrorf(".time", "time %q is not an RFC 3339 time", fa.Time))
	case fa.Author == "":
		return place(fieldErrorf(".author", "missing author"))
	case fa.Action == "":
		return place(fieldErrorf(".action", "missing action"))
	case fa.Prompt != "" && workspace.ValidateName(fa.Prompt) != nil:
		return place(fieldErrorf(".prompt", "%v", workspace.ValidateName(fa.Prompt)))
	case fa.Version < 0 || fa.From < 0:
		return place(fieldErrorf(".version", "version numbers start at 1"))
	case fa.Review != "" && fa.Prompt == "":
		return place(fieldErrorf(".prompt", "review %s names no prompt", fa.Review))
	}
	if nb, ok := im.mapped[fa.Prompt]; ok && fa.Review != "" && (fa.Version < 1 || fa.Version > nb.n) {
		return place(fieldErrorf(".version", "review %s is of %s@%d, which is not a version in this file", fa.Review, fa.Prompt, fa.Version))
	}
	ev := workspace.AuditEvent{Time: t.UTC(), Author: im.intern(fa.Author), Action: im.intern(fa.Action), Prompt: fa.Prompt,
		Version: fa.Version, Label: fa.Label, From: fa.From, RenamedFrom: fa.RenamedFrom, Review: fa.Review, Forced: fa.Forced, Hash: fa.Hash, Detail: fa.Detail}
	if nb, ok := im.mapped[ev.Prompt]; ok {
		if ev.Version >= 1 && ev.Version <= nb.n {
			ev.Version = nb.local(ev.Version)
		}
		if ev.From >= 1 && ev.From <= nb.n {
			ev.From = nb.local(ev.From)
		}
	}
	have, err := im.auditHave()
	if err != nil {
		return err
	}
	id := ev.Identity()
	if planned := im.plannedMoves[id]; planned != nil {
		// The move this import makes from the label's history: it takes
		// the review and forced mark only the audit section carries.
		planned.Review, planned.Forced = ev.Review, ev.Forced
		return nil
	}
	if have[id] {
		return nil
	}
	if here, err := im.happenedHere(ev); err != nil || !here {
		return err
	}
	have[id] = true
	im.noteSectionEvent(ev)
	im.m.audit++
	if im.spill == nil {
		return nil
	}
	if im.m.auditSpill == nil {
		im.m.auditSpill = &spill{dir: im.spill.dir, after: im.spill.after}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode audit event: %w", err)
	}
	return im.m.auditSpill.add(b)
}

// writeAudit appends the file's new audit events, in file order.
func (m *merge) writeAudit(b *workspace.Batcher) error {
	if m.audit == 0 {
		return nil
	}
	rd, err := m.auditSpill.reader()
	if err != nil {
		return err
	}
	for range m.audit {
		val, err := rd.next()
		if err != nil {
			return err
		}
		if err := b.Add(256, func(tx *storage.Tx) error { return tx.AppendAudit(val) }); err != nil {
			return err
		}
	}
	return nil
}

// auditHave is the identities of the events the library has or this import
// adds (label moves), read on the first event of the file's audit section.
// Prompts merged since the last call (a folder's files each have an audit
// section) have their moves added then.
func (im *importer) auditHave() (map[string]bool, error) {
	if im.auditIDs == nil {
		all, err := workspace.AuditTrail(im.tx)
		if err != nil {
			return nil, fmt.Errorf("read the audit trail: %w", err)
		}
		im.auditIDs = make(map[string]bool, len(all))
		for _, ev := range all {
			im.auditIDs[ev.Identity()] = true
		}
	}
	if im.plannedMoves == nil {
		im.plannedMoves = map[string]*workspace.AuditEvent{}
	}
	for _, pc := range im.m.prompts[im.auditFolded:] {
		for i := range pc.moves {
			im.plannedMoves[pc.moves[i].Identity()] = &pc.moves[i]
		}
	}
	im.auditFolded = len(im.m.prompts)
	return im.auditIDs, nil
}
