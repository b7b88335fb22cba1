package storage

import (
	"errors"
	"fmt"
)

// The journal of a prompt rename or delete, kept apart from the layout in
// keys.go because only those use it:
//
//	o                              pending rename or delete (one at a time)
//
// A rename or delete too large for one transaction writes this key first
// and deletes it last; found later, it means the operation stopped
// half-way, and the workspace finishes or undoes it with the methods below.
const kindPromptOp = 'o'

var promptOpKey = []byte{kindPromptOp}

// PutPromptOp stores the journal of a rename or delete in progress.
func (tx *Tx) PutPromptOp(val []byte) error {
	return tx.set(promptOpKey, val, "rename/delete journal")
}

// GetPromptOp returns the journal of a rename or delete in progress, or an
// error matching ErrNotFound when there is none.
func (tx *Tx) GetPromptOp() ([]byte, error) {
	return tx.get(promptOpKey, "rename/delete journal")
}

// DeletePromptOp deletes the journal of a rename or delete.
func (tx *Tx) DeletePromptOp() error {
	return tx.del(promptOpKey, "rename/delete journal")
}

// DeleteLogsUpTo deletes up to limit log entries of the prompt and returns
// how many it deleted: call it until it returns 0.
func (tx *Tx) DeleteLogsUpTo(name string, limit int) (int, error) {
	prefix, err := logPrefix(name, 0)
	if err != nil {
		return 0, err
	}
	keys := tx.keysFrom(prefix, prefix, limit)
	for _, k := range keys {
		if err := tx.del(k, "log of "+name); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// HasVersionsOrLogs tells whether any version or log entry is stored under
// the prompt name, with or without a prompt record.
func (tx *Tx) HasVersionsOrLogs(name string) (bool, error) {
	found := false
	stop := func() error { found = true; return errStop }
	err := tx.ScanLogKeys(name, 0, func(int, string) error { return stop() })
	if err == nil {
		p, perr := simpleKey(kindVersion, "prompt name", name)
		if perr != nil {
			return false, perr
		}
		err = tx.scan(append(p, sep), false, false, func(_, _ []byte) error { return stop() })
	}
	if err != nil && !errors.Is(err, errStop) {
		return false, fmt.Errorf("look for versions of %s: %w", name, err)
	}
	return found, nil
}
