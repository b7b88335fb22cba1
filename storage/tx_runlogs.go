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
// Each key is written in the transaction (or bulk write) of its entry,
// before it, and goes after it: a rename or delete of the prompt moves or
// deletes the keys with the entries. The index is derived: an entry is the
// truth, and a key whose entry is gone (left by an older promptbench's
// rename, delete or rolled-back import) is passed over by its readers;
// doctor --repair removes it.
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

// DeleteRunLog removes log entry id of version number of the prompt from
// run's index.
func (tx *Tx) DeleteRunLog(run, name string, number int, id string) error {
	k, err := runLogKey(run, name, number, id)
	if err != nil {
		return err
	}
	return tx.del(k, fmt.Sprintf("run %s index of log %s", run, id))
}

// HasRunLog tells whether run's index lists log entry id of version
// number of the prompt.
func (tx *Tx) HasRunLog(run, name string, number int, id string) (bool, error) {
	k, err := runLogKey(run, name, number, id)
	if err != nil {
		return false, err
	}
	return tx.has(k)
}

// HasLog tells whether log entry id of version number of the prompt is in
// the store, reading no value.
func (tx *Tx) HasLog(name string, number int, id string) (bool, error) {
	k, err := logKey(name, number, id)
	if err != nil {
		return false, err
	}
	return tx.has(k)
}

// ScanRunLogIndex calls fn for every key of the run index, by run, prompt,
// version and id. It reads keys only.
func (tx *Tx) ScanRunLogIndex(fn func(run, name string, number int, id string) error) error {
	return tx.scan([]byte{kindRunLog}, false, false, func(rest, _ []byte) error {
		if runLogShapeError(rest) != "" {
			return nil // a stray key
		}
		run, tail, _ := splitName(rest)
		name, tail, _ := splitName(tail)
		return fn(string(run), string(name), int(binary.BigEndian.Uint32(tail)), string(tail[4:]))
	})
}

// DeleteRunLogsOf deletes up to limit keys of the run index that list log
// entries of the prompt, whatever their run, and returns how many it
// deleted: call it until it returns 0. The index is keyed by run first, so
// it looks under each run in turn: one seek per run, however many entries
// the other prompts have.
func (tx *Tx) DeleteRunLogsOf(name string, limit int) (int, error) {
	nm, err := namePart("prompt name", name)
	if err != nil {
		return 0, err
	}
	var keys [][]byte
	it := tx.iterator([]byte{kindRunLog}, false)
	for it.Seek([]byte{kindRunLog}); it.Valid() && len(keys) < limit; {
		run, _, ok := splitName(it.Key()[1:])
		if !ok {
			it.Next() // a stray key: doctor reports it
			continue
		}
		run = bytes.Clone(run) // the iterator's key changes with the seek
		prefix := key(kindRunLog, run, []byte{sep}, nm)
		for it.Seek(prefix); it.Valid() && len(keys) < limit && bytes.HasPrefix(it.Key(), prefix); it.Next() {
			keys = append(keys, bytes.Clone(it.Key()))
		}
		it.Seek(key(kindRunLog, run, []byte{sep + 1}))
	}
	it.Close()
	for _, k := range keys {
		if err := tx.del(k, "run index of a log of "+name); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}
