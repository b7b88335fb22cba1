package workspace

import (
	"context"
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

// journal records how to undo an import: for each prompt it changes the
// record before (none for a new prompt) and the version numbers it adds,
// the tag index entries, log entries and runs it adds, and the audit
// trail's end before it. It is written before the import's first write and
// deleted with its last.
type journal struct {
	Mark    uint64          `json:"mark"`
	Prompts []journalPrompt `json:"prompts,omitempty"`
	Logs    []journalLog    `json:"logs,omitempty"`
	Runs    []string        `json:"runs,omitempty"`
}

type journalPrompt struct {
	Name  string          `json:"name"`
	Prior json.RawMessage `json:"prior,omitempty"`
	After int             `json:"after"` // versions numbered above are the import's
	Tags  []string        `json:"tags,omitempty"`
}

type journalLog struct {
	Prompt  string `json:"prompt"`
	Version int    `json:"version"`
	ID      string `json:"id"`
}

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
func (m *merge) apply(st *storage.Store, author string, now time.Time) error {
	j := m.journal()
	if err := writeJournal(st, &j); err != nil {
		return fmt.Errorf("import: write journal: %w", err)
	}
	if err := m.write(st, author, now); err != nil {
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

// writeJournal stores j in parts small enough for any transaction, after
// reading the audit trail's end into it.
func writeJournal(st *storage.Store, j *journal) error {
	err := st.View(func(tx *storage.Tx) error {
		var err error
		j.Mark, err = tx.AuditMark()
		return err
	})
	if err != nil {
		return err
	}
	var parts [][]byte
	cur := journal{Mark: j.Mark}
	size := 0
	flush := func() error {
		b, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		parts = append(parts, b)
		cur, size = journal{Mark: j.Mark}, 0
		return nil
	}
	for _, p := range j.Prompts {
		n := len(p.Name) + len(p.Prior) + 64 + 32*len(p.Tags)
		if size+n > journalPart && size > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
		cur.Prompts, size = append(cur.Prompts, p), size+n
	}
	for _, l := range j.Logs {
		n := len(l.Prompt) + len(l.ID) + 48
		if size+n > journalPart && size > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
		cur.Logs, size = append(cur.Logs, l), size+n
	}
	for _, r := range j.Runs {
		if size+len(r)+8 > journalPart && size > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
		cur.Runs, size = append(cur.Runs, r), size+len(r)+8
	}
	if err := flush(); err != nil {
		return err
	}
	b := &batcher{st: st}
	for i, part := range parts {
		if err := b.add(len(part)*2, func(tx *storage.Tx) error { return tx.PutJournal(i, part) }); err != nil {
			return err
		}
	}
	return b.flush()
}

func (m *merge) write(st *storage.Store, author string, now time.Time) error {
	if err := m.writeBulk(st); err != nil {
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
// through the store's bulk writer.
func (m *merge) writeBulk(st *storage.Store) error {
	bw, err := st.NewBulkWriter()
	if err != nil {
		return err
	}
	put := func() error {
		for _, pc := range m.prompts {
			for _, v := range pc.versions {
				val, err := json.Marshal(v)
				if err != nil {
					return fmt.Errorf("encode %s@%d: %w", v.Prompt, v.Number, err)
				}
				if err := bw.PutVersion(v.Prompt, v.Number, val); err != nil {
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
			if err := bw.PutLog(l.prompt, l.number, l.id, l.val); err != nil {
				return err
			}
		}
		for _, r := range m.runs {
			if err := bw.PutRun(r.id, r.val); err != nil {
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
	first, last := pc.versions[0].Number, pc.versions[len(pc.versions)-1].Number
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
		fmt.Sprintf("%d new versions", len(p.NewVersions)),
		fmt.Sprintf("%d divergences", len(p.Divergences)),
		fmt.Sprintf("%d label moves", moved),
	}
	if p.Logs+p.Runs > 0 {
		parts = append(parts, fmt.Sprintf("%d log entries, %d runs", p.Logs, p.Runs))
	}
	return p.File + ": " + strings.Join(parts, ", ")
}

// recoverImport rolls back an import that a crash interrupted: a journal
// left in the store. Every open for writing calls it first.
func recoverImport(st *storage.Store) error {
	var j journal
	found := false
	err := st.View(func(tx *storage.Tx) error {
		has, err := tx.HasJournal()
		if err != nil || !has {
			return err
		}
		found = true
		return tx.ScanJournal(func(part int, val []byte) error {
			var p journal
			if err := json.Unmarshal(val, &p); err != nil {
				return fmt.Errorf("decode import journal part %d: %w", part, err)
			}
			j.Mark = p.Mark
			j.Prompts = append(j.Prompts, p.Prompts...)
			j.Logs = append(j.Logs, p.Logs...)
			j.Runs = append(j.Runs, p.Runs...)
			return nil
		})
	})
	if err != nil || !found {
		return err
	}
	if err := rollback(st, j); err != nil {
		return fmt.Errorf("roll back an interrupted import: %w", err)
	}
	return nil
}

// rollback undoes what j describes. Each step is idempotent, so a rollback
// interrupted in turn is simply done again; the journal goes last.
func rollback(st *storage.Store, j journal) error {
	for _, p := range j.Prompts {
		for {
			var n int
			err := st.Update(func(tx *storage.Tx) error {
				var err error
				n, err = tx.DeleteVersionsAfter(p.Name, p.After, applyBatchOps)
				return err
			})
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
	}
	b := &batcher{st: st}
	for _, p := range j.Prompts {
		for _, t := range p.Tags {
			if err := b.add(len(t), func(tx *storage.Tx) error { return tx.DeleteTag(t, p.Name) }); err != nil {
				return err
			}
		}
		err := b.add(len(p.Prior), func(tx *storage.Tx) error {
			if p.Prior == nil {
				return tx.DeletePrompt(p.Name)
			}
			return tx.PutPrompt(p.Name, p.Prior)
		})
		if err != nil {
			return err
		}
	}
	for _, l := range j.Logs {
		if err := b.add(64, func(tx *storage.Tx) error { return tx.DeleteLog(l.Prompt, l.Version, l.ID) }); err != nil {
			return err
		}
	}
	for _, id := range j.Runs {
		if err := b.add(64, func(tx *storage.Tx) error { return tx.DeleteRun(id) }); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	for {
		var n int
		err := st.Update(func(tx *storage.Tx) error {
			var err error
			n, err = tx.DeleteAuditAfter(j.Mark, applyBatchOps)
			return err
		})
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	return st.Update(func(tx *storage.Tx) error { return tx.DeleteJournal() })
}

// afterCrashedImport hands back the read-only st, unless it holds the
// journal of an import a crash interrupted: then it closes st, rolls the
// import back through a read-write open and opens read-only again, so that
// no reader ever sees half an import.
func (ws *Workspace) afterCrashedImport(ctx context.Context, st *storage.Store) (*storage.Store, error) {
	var pending bool
	err := st.View(func(tx *storage.Tx) error {
		var err error
		pending, err = tx.HasJournal()
		return err
	})
	if err != nil || !pending {
		if err != nil {
			st.Close()
		}
		return st, err
	}
	st.Close()
	if err := ws.update(ctx, func(*storage.Tx) error { return nil }); err != nil {
		return nil, err
	}
	st, err = storage.Open(ctx, ws.storeOptions(true))
	if err != nil {
		return nil, fmt.Errorf("open store of %s: %w", ws.Dir, err)
	}
	return st, nil
}
