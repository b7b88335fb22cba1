package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"promptbench/storage"
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
