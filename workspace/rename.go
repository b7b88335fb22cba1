package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"promptbench/storage"
)

// RenameResult is what a rename moved, and the versions of other prompts
// that still include the old name.
type RenameResult struct {
	From, To  string
	Versions  int
	Logs      int
	Includers []Includer // immutable: they keep naming From
}

// Rename gives prompt from the name to: its versions, log entries, labels,
// tags and description go with it, and its audit trail follows it (Audit,
// label history); the rename itself is audited. to must be free. Versions
// of other prompts that include from are listed in the result: they are
// immutable and go on naming from, which no longer resolves.
//
// It runs in one transaction when that fits; otherwise under a journal
// (promptop.go), so that a crash at any point leaves the prompt whole under
// one of the two names.
func (ws *Workspace) Rename(ctx context.Context, from, to string) (RenameResult, error) {
	if err := ValidateName(from); err != nil {
		return RenameResult{}, err
	}
	if err := ValidateName(to); err != nil {
		return RenameResult{}, err
	}
	if from == to {
		return RenameResult{}, Invalidf("%s is already called %s", from, to)
	}
	author := ws.opts.Author()
	res := RenameResult{From: from, To: to}
	due, err := ws.withWriter(ctx, func(st *storage.Store) error {
		now := ws.clockInTx()
		var versions []int
		var logs []logKey
		err := st.View(func(tx *storage.Tx) error {
			var err error
			if versions, logs, err = checkRename(tx, from, to); err != nil {
				return err
			}
			res.Includers, err = findIncluders(tx, from)
			return err
		})
		if err != nil {
			return err
		}
		res.Versions, res.Logs = len(versions), len(logs)
		mv := renamer{from: from, to: to, author: author, now: now}
		err = st.Update(func(tx *storage.Tx) error { return mv.all(tx, versions, logs) })
		if !errors.Is(err, storage.ErrTxnTooBig) {
			return err
		}
		return mv.journaled(st, versions, logs)
	})
	if err != nil {
		return RenameResult{}, err
	}
	err = ws.Changed(ctx)
	ws.maintainIf(due)
	return res, err
}

// ErrExists marks a name already taken, such as the new name of a rename.
var ErrExists = errors.New("already exists")

type logKey struct {
	number int
	id     string
}

// checkRename refuses a rename of an unknown prompt or onto a name in use,
// and lists the versions and log entries to move.
func checkRename(tx *storage.Tx, from, to string) ([]int, []logKey, error) {
	if _, err := GetPrompt(tx, from); err != nil {
		return nil, nil, err
	}
	// Experiments name their prompt, and their outcomes were recorded
	// against it: a rename would leave them pointing at nothing.
	if exps, err := experimentsOn(tx, from, false); err != nil {
		return nil, nil, err
	} else if len(exps) > 0 {
		return nil, nil, Invalidf("%s has experiments (%s), which name it; a renamed prompt would leave them behind. Commit its versions under the new name instead", from, strings.Join(exps, ", "))
	}
	if _, err := GetPrompt(tx, to); err == nil {
		return nil, nil, kindf(ErrExists, "a prompt named %s already exists; choose another name, or delete that prompt first", to)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	// Leftovers under the new name (none in a healthy store) would be
	// mixed into the moved prompt, and an undone rename would delete them.
	left, err := tx.HasVersionsOrLogs(to)
	if err != nil {
		return nil, nil, err
	}
	if left {
		return nil, nil, Invalidf("the store holds versions or log entries under %s without a prompt of that name; run `promptbench doctor` first, or choose another name", to)
	}
	var versions []int
	err = tx.ScanVersions(from, func(n int, _ []byte) error {
		versions = append(versions, n)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var logs []logKey
	err = tx.ScanLogKeys(from, 0, func(n int, id string) error {
		logs = append(logs, logKey{n, id})
		return nil
	})
	return versions, logs, err
}

// renamer does a rename's steps.
type renamer struct {
	from, to, author string
	now              time.Time
}

// all is the whole rename in one transaction.
func (r renamer) all(tx *storage.Tx, versions []int, logs []logKey) error {
	for _, n := range versions {
		if _, err := r.copyVersion(tx, n); err != nil {
			return err
		}
	}
	for _, k := range logs {
		if _, err := r.copyLog(tx, k); err != nil {
			return err
		}
	}
	if err := r.switchRecord(tx); err != nil {
		return err
	}
	if err := tx.DeleteVersions(r.from); err != nil {
		return err
	}
	if err := tx.DeleteLogs(r.from); err != nil {
		return err
	}
	_, err := tx.DeleteRunLogsOf(r.from, math.MaxInt)
	return err
}

// journaled is the rename in steps: journal, copies, the switch of the
// record, deletion of the old keys, end of the journal.
func (r renamer) journaled(st *storage.Store, versions []int, logs []logKey) error {
	err := st.Update(func(tx *storage.Tx) error {
		return putPromptOp(tx, promptOp{Op: opRename, Name: r.from, To: r.to})
	})
	if err != nil {
		return err
	}
	if err := inChunks(st, len(versions), func(tx *storage.Tx, i int) (int, error) { return r.copyVersion(tx, versions[i]) }); err != nil {
		return err
	}
	if err := inChunks(st, len(logs), func(tx *storage.Tx, i int) (int, error) { return r.copyLog(tx, logs[i]) }); err != nil {
		return err
	}
	if err := st.Update(r.switchRecord); err != nil {
		return err
	}
	if err := purgePrompt(st, r.from); err != nil {
		return err
	}
	return st.Update(func(tx *storage.Tx) error { return tx.DeletePromptOp() })
}

func (r renamer) copyVersion(tx *storage.Tx, n int) (int, error) {
	v, err := getVersion(tx, r.from, n)
	if err != nil {
		return 0, err
	}
	v.Prompt = r.to // not part of the hash
	b, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("encode %s@%d: %w", r.to, n, err)
	}
	return len(b), tx.PutVersion(r.to, n, b)
}

func (r renamer) copyLog(tx *storage.Tx, k logKey) (int, error) {
	b, err := tx.GetLog(r.from, k.number, k.id)
	if err != nil {
		return 0, err
	}
	var e LogEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return 0, fmt.Errorf("decode log %s: %w", k.id, err)
	}
	e.Prompt = r.to // scores added later write the entry back under this name
	if b, err = json.Marshal(e); err != nil {
		return 0, fmt.Errorf("encode log %s: %w", k.id, err)
	}
	if e.Run != "" {
		// The run's index lists the entry under its new name; the key
		// of the old name goes with the old entry.
		if err := tx.PutRunLog(string(e.Run), r.to, k.number, k.id); err != nil {
			return 0, err
		}
	}
	return len(b), tx.PutLog(r.to, k.number, k.id, b)
}

// switchRecord is the moment of the rename: the record and the tag index
// move to the new name and the audit trail says so.
func (r renamer) switchRecord(tx *storage.Tx) error {
	p, err := GetPrompt(tx, r.from)
	if err != nil {
		return err
	}
	p.Name, p.Updated = r.to, r.now
	if err := putPrompt(tx, p); err != nil {
		return err
	}
	if err := tx.DeletePrompt(r.from); err != nil {
		return err
	}
	for _, t := range p.Tags {
		if err := tx.DeleteTag(t, r.from); err != nil {
			return err
		}
		if err := tx.PutTag(t, r.to); err != nil {
			return err
		}
	}
	if err := renameInRuns(tx, r.from, r.to); err != nil {
		return err
	}
	return AppendAudit(tx, AuditEvent{Time: r.now, Author: r.author, Action: AuditRename, Prompt: r.to,
		Version: p.Latest, RenamedFrom: r.from, Detail: r.from + " -> " + r.to})
}
