package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"promptbench/storage"
)

// Batches stay under what one Badger transaction of this store takes; a
// batch refused with ErrTxnTooBig all the same is split in two and retried.
const (
	applyBatchBytes = 192 << 10
	applyBatchOps   = 1000
	journalPart     = 64 << 10
)

// batcher groups writes into transactions of bounded size.
type batcher struct {
	st   *storage.Store
	ops  []func(*storage.Tx) error
	size int
}

func (b *batcher) add(size int, op func(*storage.Tx) error) error {
	b.ops = append(b.ops, op)
	b.size += size + 64
	if b.size >= applyBatchBytes || len(b.ops) >= applyBatchOps {
		return b.flush()
	}
	return nil
}

func (b *batcher) flush() error {
	if len(b.ops) == 0 {
		return nil
	}
	ops := b.ops
	b.ops, b.size = nil, 0
	return b.commit(ops)
}

// commit writes ops in one transaction, or in halves when the store finds
// that too big; the ops are plain puts and deletes, so redoing one is safe.
func (b *batcher) commit(ops []func(*storage.Tx) error) error {
	err := b.st.Update(func(tx *storage.Tx) error {
		for _, op := range ops {
			if err := op(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, storage.ErrTxnTooBig) && len(ops) > 1 {
		if err := b.commit(ops[:len(ops)/2]); err != nil {
			return err
		}
		return b.commit(ops[len(ops)/2:])
	}
	return err
}

// apply writes the merge: journal, data in batches, then the import's audit
// event together with the journal's deletion. A failure part-way is rolled
// back at once; a crash part-way, by the next open (recoverImport).
func (m *merge) apply(st *storage.Store, sp *spill, author string, now time.Time) error {
	j := m.journal()
	if err := writeJournal(st, &j); err != nil {
		return fmt.Errorf("import: write journal: %w", err)
	}
	if err := m.write(st, sp, author, now); err != nil {
		if rerr := rollback(st, j); rerr != nil {
			return fmt.Errorf("import failed (%v) and so did its rollback (%w); the next promptbench command retries the rollback", err, rerr)
		}
		return fmt.Errorf("import failed and changed nothing: %w", err)
	}
	return nil
}

func (m *merge) journal() journal {
	var j journal
	for _, pc := range m.prompts {
		jp := journalPrompt{Name: pc.name, Prior: pc.prior, Tags: pc.tags}
		if pc.prior != nil {
			p, err := decodePrompt(pc.name, pc.prior)
			if err == nil {
				jp.After = p.Latest
			}
		}
		j.Prompts = append(j.Prompts, jp)
	}
	for _, l := range m.logs {
		j.Logs = append(j.Logs, journalLog{l.prompt, l.number, l.id})
	}
	for _, r := range m.runs {
		j.Runs = append(j.Runs, r.id)
	}
	return j
}

func (m *merge) write(st *storage.Store, sp *spill, author string, now time.Time) error {
	if err := m.writeBulk(st, sp); err != nil {
		return err
	}
	// Audit events take their keys from the store's clock: ordinary
	// transactions, batched.
	b := &batcher{st: st}
	for _, pc := range m.prompts {
		for _, ev := range pc.moves {
			if err := b.add(256, func(tx *storage.Tx) error { return appendAudit(tx, ev) }); err != nil {
				return err
			}
		}
		ev := AuditEvent{Time: now, Author: author, Action: AuditImport, Prompt: pc.name, Version: pc.record.Latest, Detail: promptImportDetail(pc)}
		if err := b.add(256, func(tx *storage.Tx) error { return appendAudit(tx, ev) }); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	summary := AuditEvent{Time: now, Author: author, Action: AuditImport, Detail: m.plan.summary()}
	return st.Update(func(tx *storage.Tx) error {
		if err := appendAudit(tx, summary); err != nil {
			return err
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
