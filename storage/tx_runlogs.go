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

// ScanRunLogs calls fn, in id order, with the entries of version number of
// the prompt that run's index lists after the id after ("": from the
// first), up to limit index keys, and returns the last id it went past
// and how many keys it went over (fewer than limit: the index's end). The
// value is valid only during the call; an entry the index lists that is
// gone is passed over.
//
// It walks the index and the version's log side by side instead of
// looking each entry up: a run's entries lie close together in its
// version's log (ids grow with time), and a lookup checks every level-0
// table's filter, of which a long evaluation leaves a hundred, so reading
// a run of 400,000 entries by lookups took 8 s of CPU, by this walk 1 s.
func (tx *Tx) ScanRunLogs(run, name string, number int, after string, limit int, fn func(id string, val []byte) error) (last string, n int, err error) {
	if number == 0 {
		return "", 0, fmt.Errorf("storage: invalid version number 0")
	}
	ip, err := runLogPrefix(run, name, number)
	if err != nil {
		return "", 0, err
	}
	lp, err := logPrefix(name, number)
	if err != nil {
		return "", 0, err
	}
	index := tx.iterator(ip, false)
	defer index.Close()
	logs := tx.iterator(lp, false)
	defer logs.Close()
	start := append(bytes.Clone(ip), after...)
	if after != "" {
		start = append(start, 0) // the first id after it
	}
	placed := false
	target := bytes.Clone(lp)
	for index.Seek(start); index.Valid() && n < limit; index.Next() {
		rest := index.Key()[len(ip):]
		if len(rest) == 0 || bytes.IndexByte(rest, sep) >= 0 {
			continue // a stray key
		}
		n++
		last = string(rest)
		target = append(target[:len(lp)], rest...)
		// The next entry is mostly the run's next: a few steps forward,
		// and a seek past a stretch of other runs' entries.
		steps := 0
		if !placed {
			logs.Seek(target)
			placed = true
		}
		for logs.Valid() && bytes.Compare(logs.Key(), target) < 0 {
			if steps++; steps > 16 {
				logs.Seek(target)
				break
			}
			logs.Next()
		}
		if !logs.Valid() || !bytes.Equal(logs.Key(), target) {
			continue // removed since
		}
		var fnErr error
		if err := logs.Value(func(v []byte) error { fnErr = fn(last, v); return fnErr }); err != nil {
			if fnErr != nil {
				return last, n, fnErr // last was read: a caller may stop early and go on from it
			}
			return "", 0, fmt.Errorf("read log %s of %s@%d: %w", last, name, number, cleanErr(err))
		}
	}
	return last, n, nil
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
