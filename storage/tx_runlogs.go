package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// The run index lists the log entries of each evaluation run, so that a
// report or a resume reads a run's entries and nothing else, however long
// the version's log grows:
//
//	i <run id> 0 <prompt> 0 <number:4> <log id>      (no value)
//
// Each key is written in the transaction (or bulk write) of its entry.
// The index is derived: an entry is the truth, and a key whose entry is
// gone (a prompt removed, renamed, an import rolled back) is passed over
// by its readers.
const kindRunLog = 'i'

func runLogPrefix(run, prompt string, n int) ([]byte, error) {
	r, err := namePart("run id", run)
	if err != nil {
		return nil, err
	}
	p, err := logPrefix(prompt, n)
	if err != nil {
		return nil, err
	}
	return key(kindRunLog, r, p[1:]), nil
}

func runLogKey(run, prompt string, n int, id string) ([]byte, error) {
	if n == 0 {
		return nil, fmt.Errorf("storage: invalid version number 0")
	}
	p, err := runLogPrefix(run, prompt, n)
	if err != nil {
		return nil, err
	}
	if err := checkPart("log id", id); err != nil {
		return nil, err
	}
	return append(p, id...), nil
}

// PutRunLog lists log entry id of version number of the prompt under run.
func (tx *Tx) PutRunLog(run, name string, number int, id string) error {
	k, err := runLogKey(run, name, number, id)
	if err != nil {
		return err
	}
	return tx.set(k, nil, fmt.Sprintf("run %s index of log %s", run, id))
}

// PutRunLog is Tx.PutRunLog in bulk.
func (b *BulkWriter) PutRunLog(run, name string, number int, id string) error {
	k, err := runLogKey(run, name, number, id)
	if err != nil {
		return err
	}
	return b.set(k, nil, fmt.Sprintf("run %s index of log %s", run, id))
}

// ScanRunLogKeys calls fn, in id order, for each log entry of version
// number of the prompt listed under run. It reads keys only.
func (tx *Tx) ScanRunLogKeys(run, name string, number int, fn func(id string) error) error {
	prefix, err := runLogPrefix(run, name, number)
	if err != nil {
		return err
	}
	if number == 0 {
		return fmt.Errorf("storage: invalid version number 0")
	}
	return tx.scan(prefix, false, false, func(rest, _ []byte) error {
		if len(rest) == 0 || bytes.IndexByte(rest, sep) >= 0 {
			return nil // a stray key
		}
		return fn(string(rest))
	})
}

// runLogShapeError says what is wrong with the rest of a run index key.
func runLogShapeError(rest []byte) string {
	run, tail, ok := splitName(rest)
	if ok && len(run) > 0 {
		_, tail, ok = splitName(tail)
	}
	if !ok || len(tail) <= 4 || binary.BigEndian.Uint32(tail) == 0 || bytes.IndexByte(tail[4:], sep) >= 0 {
		return "not a run id, NUL, a prompt name, NUL, a version number and an id"
	}
	return ""
}
