package exchange

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
)

// apply writes the merge: journal, data in batches, then the import's audit
// event together with the journal's deletion. A failure part-way is rolled
// back at once; a crash part-way, by the next open (workspace.JournaledWrite).
func (m *merge) apply(st *storage.Store, sp *spill, author string, now time.Time, replay bool) error {
	return workspace.JournaledWrite(st, m.journal(), func() error { return m.write(st, sp, author, now, replay) })
}

func (m *merge) journal() workspace.Journal {
	var j workspace.Journal
	for _, pc := range m.prompts {
		jp := workspace.JournalPrompt{Name: pc.name, Prior: pc.prior, Tags: pc.tags}
		if pc.prior != nil {
			p, err := workspace.DecodePrompt(pc.name, pc.prior)
			if err == nil {
				jp.After = p.Latest
			}
		}
		j.Prompts = append(j.Prompts, jp)
	}
	for _, l := range m.logs {
		j.Logs = append(j.Logs, workspace.JournalLog{Prompt: l.prompt, Version: l.number, ID: l.id, Run: l.run})
	}
	for _, r := range m.runs {
		j.Runs = append(j.Runs, r.id)
	}
	for _, e := range m.experiments {
		j.Experiments = append(j.Experiments, workspace.JournalExperiment{Name: e.name, Prior: e.prior})
	}
	return j
}

func (m *merge) write(st *storage.Store, sp *spill, author string, now time.Time, replay bool) error {
	if err := m.writeBulk(st, sp); err != nil {
		return err
	}
	// Audit events take their keys from the store's clock: ordinary
	// transactions, batched.
	b := workspace.NewBatcher(st)
	for _, pc := range m.prompts {
		for _, ev := range pc.moves {
			if err := b.Add(256, func(tx *storage.Tx) error { return workspace.AppendAudit(tx, ev) }); err != nil {
				return err
			}
		}
		if replay {
			continue
		}
		ev := workspace.AuditEvent{Time: now, Author: author, Action: workspace.AuditImport, Prompt: pc.name, Version: pc.record.Latest, Detail: promptImportDetail(pc)}
		if err := b.Add(256, func(tx *storage.Tx) error { return workspace.AppendAudit(tx, ev) }); err != nil {
			return err
		}
	}
	for _, e := range m.experiments {
		if err := b.Add(len(e.val), func(tx *storage.Tx) error { return tx.PutExperiment(e.name, e.val) }); err != nil {
			return err
		}
		if replay {
			continue
		}
		// An import event: each library's own bookkeeping, which export
		// files leave out (the file's own events about the experiment
		// come with its audit section).
		ev := workspace.AuditEvent{Time: now, Author: author, Action: workspace.AuditImport, Detail: "experiment " + e.name}
		if err := b.Add(256, func(tx *storage.Tx) error { return workspace.AppendAudit(tx, ev) }); err != nil {
			return err
		}
	}
	if err := m.writeAudit(b); err != nil {
		return err
	}
	if err := b.Flush(); err != nil {
		return err
	}
	summary := workspace.AuditEvent{Time: now, Author: author, Action: workspace.AuditImport, Detail: m.plan.summary()}
	return st.Update(func(tx *storage.Tx) error {
		if !replay {
			if err := workspace.AppendAudit(tx, summary); err != nil {
				return err
			}
		}
		return tx.DeleteJournal()
	})
}

// writeBulk writes versions, tags, prompt records, log entries and runs
// through the store's bulk writer, taking the encoded records from the
// spill in the order they were planned.
func (m *merge) writeBulk(st *storage.Store, sp *spill) error {
	rd, err := sp.reader()
	if err != nil {
		return err
	}
	bw, err := st.NewBulkWriter()
	if err != nil {
		return err
	}
	put := func() error {
		for _, pc := range m.prompts {
			for _, n := range pc.versions {
				val, err := rd.next()
				if err != nil {
					return err
				}
				if err := bw.PutVersion(pc.name, n, val); err != nil {
					return err
				}
			}
			for _, t := range pc.tags {
				if err := bw.PutTag(t, pc.name); err != nil {
					return err
				}
			}
			rec, err := json.Marshal(pc.record)
			if err != nil {
				return fmt.Errorf("encode prompt %s: %w", pc.name, err)
			}
			if err := bw.PutPrompt(pc.name, rec); err != nil {
				return err
			}
		}
		for _, l := range m.logs {
			val, err := rd.next()
			if err != nil {
				return err
			}
			if l.run != "" {
				// Before its entry, as AddLogs writes it.
				if err := bw.PutRunLog(l.run, l.prompt, l.number, l.id); err != nil {
					return err
				}
			}
			if err := bw.PutLog(l.prompt, l.number, l.id, val); err != nil {
				return err
			}
		}
		for _, r := range m.runs {
			val, err := rd.next()
			if err != nil {
				return err
			}
			if err := bw.PutRun(r.id, val); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(); err != nil {
		bw.Cancel()
		return err
	}
	return bw.Flush()
}

func promptImportDetail(pc *promptChange) string {
	if len(pc.versions) == 0 {
		return "labels or tags"
	}
	first, last := pc.versions[0], pc.versions[len(pc.versions)-1]
	if first == last {
		return fmt.Sprintf("version %d", first)
	}
	return fmt.Sprintf("versions %d-%d", first, last)
}

// summary is the plan in one line, for the audit trail.
func (p ImportPlan) summary() string {
	moved := 0
	for _, l := range p.Labels {
		if l.Action != LabelActionKeep {
			moved++
		}
	}
	parts := []string{
		fmt.Sprintf("%d new prompts", len(p.NewPrompts)),
		fmt.Sprintf("%d new versions", p.NewVersionCount),
		fmt.Sprintf("%d divergences", len(p.Divergences)),
		fmt.Sprintf("%d label moves", moved),
	}
	if p.Logs+p.Runs > 0 {
		parts = append(parts, fmt.Sprintf("%d log entries, %d runs", p.Logs, p.Runs))
	}
	return p.File + ": " + strings.Join(parts, ", ")
}
