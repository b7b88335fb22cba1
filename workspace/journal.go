package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"promptbench/storage"
)

// Batches stay under what one Badger transaction of this store takes; a
// batch refused with ErrTxnTooBig all the same is split in two and retried.
const (
	applyBatchBytes = 192 << 10
	applyBatchOps   = 1000
	journalPart     = 64 << 10
)

// Batcher groups writes into transactions of bounded size: a large change
// (an import, its rollback) goes in many, under a journal.
type Batcher struct {
	st   *storage.Store
	ops  []func(*storage.Tx) error
	size int
}

// Add queues op, which writes about size bytes, and commits the batch once
// it is full.
func (b *Batcher) Add(size int, op func(*storage.Tx) error) error {
	b.ops = append(b.ops, op)
	b.size += size + 64
	if b.size >= applyBatchBytes || len(b.ops) >= applyBatchOps {
		return b.Flush()
	}
	return nil
}

// Flush commits what is queued.
func (b *Batcher) Flush() error {
	if len(b.ops) == 0 {
		return nil
	}
	ops := b.ops
	b.ops, b.size = nil, 0
	return b.commit(ops)
}

// commit writes ops in one transaction, or in halves when the store finds
// that too big; the ops are plain puts and deletes, so redoing one is safe.
func (b *Batcher) commit(ops []func(*storage.Tx) error) error {
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

// NewBatcher batches writes to st, a store open for writing.
func NewBatcher(st *storage.Store) *Batcher { return &Batcher{st: st} }

// JournaledWrite runs write, a large change made in many transactions
// (an import), under the journal j: j is stored first, a failure of write
// is rolled back at once, and a crash part-way by the next open
// (recoverImport). write deletes the journal with its last transaction
// (DeleteJournal), so that the change and the journal's end are one.
func JournaledWrite(st *storage.Store, j Journal, write func() error) error {
	if err := writeJournal(st, &j); err != nil {
		return fmt.Errorf("import: write journal: %w", err)
	}
	if err := write(); err != nil {
		if rerr := rollback(st, j); rerr != nil {
			return fmt.Errorf("import failed (%v) and so did its rollback (%w); the next promptbench command retries the rollback", err, rerr)
		}
		return fmt.Errorf("import failed and changed nothing: %w", err)
	}
	return nil
}

// Journal records how to undo an import: for each prompt it changes the
// record before (none for a new prompt) and the version numbers it adds,
// the tag index entries, log entries and runs it adds, and the audit
// trail's end before it. It is written before the import's first write and
// deleted with its last.
type Journal struct {
	Mark    uint64          `json:"mark"`
	Prompts []JournalPrompt `json:"prompts,omitempty"`
	Logs    []JournalLog    `json:"logs,omitempty"`
	Runs    []string        `json:"runs,omitempty"`
	// Experiments are the experiments the import adds or replaces, with
	// their records before (none for a new one).
	Experiments []JournalExperiment `json:"experiments,omitempty"`
}

type JournalExperiment struct {
	Name  string          `json:"name"`
	Prior json.RawMessage `json:"prior,omitempty"`
}

type JournalPrompt struct {
	Name  string          `json:"name"`
	Prior json.RawMessage `json:"prior,omitempty"`
	After int             `json:"after"` // versions numbered above are the import's
	Tags  []string        `json:"tags,omitempty"`
}

type JournalLog struct {
	Prompt  string `json:"prompt"`
	Version int    `json:"version"`
	ID      string `json:"id"`
	Run     string `json:"run,omitempty"` // the run whose index lists it
}

// writeJournal stores j in parts small enough for any transaction, after
// reading the audit trail's end into it.
func writeJournal(st *storage.Store, j *Journal) error {
	err := st.View(func(tx *storage.Tx) error {
		var err error
		j.Mark, err = tx.AuditMark()
		return err
	})
	if err != nil {
		return err
	}
	var parts [][]byte
	cur := Journal{Mark: j.Mark}
	size := 0
	flush := func() error {
		b, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		parts = append(parts, b)
		cur, size = Journal{Mark: j.Mark}, 0
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
		n := len(l.Prompt) + len(l.ID) + len(l.Run) + 48
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
	b := NewBatcher(st)
	for i, part := range parts {
		if err := b.Add(len(part)*2, func(tx *storage.Tx) error { return tx.PutJournal(i, part) }); err != nil {
			return err
		}
	}
	return b.Flush()
}

// recoverImport rolls back an import that a crash interrupted: a journal
// left in the store. Every open for writing calls it first.
func recoverImport(st *storage.Store) error {
	var j Journal
	found := false
	err := st.View(func(tx *storage.Tx) error {
		has, err := tx.HasJournal()
		if err != nil || !has {
			return err
		}
		found = true
		return tx.ScanJournal(func(part int, val []byte) error {
			var p Journal
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
func rollback(st *storage.Store, j Journal) error {
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
	b := NewBatcher(st)
	for _, p := range j.Prompts {
		for _, t := range p.Tags {
			if err := b.Add(len(t), func(tx *storage.Tx) error { return tx.DeleteTag(t, p.Name) }); err != nil {
				return err
			}
		}
		err := b.Add(len(p.Prior), func(tx *storage.Tx) error {
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
		err := b.Add(64, func(tx *storage.Tx) error {
			if err := tx.DeleteLog(l.Prompt, l.Version, l.ID); err != nil || l.Run == "" {
				return err
			}
			// After its entry: an entry without its key would be missed.
			return tx.DeleteRunLog(l.Run, l.Prompt, l.Version, l.ID)
		})
		if err != nil {
			return err
		}
	}
	for _, id := range j.Runs {
		if err := b.Add(64, func(tx *storage.Tx) error { return tx.DeleteRun(id) }); err != nil {
			return err
		}
	}
	for _, e := range j.Experiments {
		err := b.Add(len(e.Prior)+64, func(tx *storage.Tx) error {
			if e.Prior == nil {
				return tx.DeleteExperiment(e.Name)
			}
			return tx.PutExperiment(e.Name, e.Prior)
		})
		if err != nil {
			return err
		}
	}
	if err := b.Flush(); err != nil {
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
func (ws *Workspace) afterCrashedImport(ctx context.Context, st *heldStore) (*heldStore, error) {
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
	return ws.open(ctx, ws.storeOptions(true))
}
