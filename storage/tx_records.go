package storage

import (
	"encoding/binary"
	"fmt"
)

// PutLog stores the log entry id (a sortable string chosen by the caller) of
// version number of the prompt.
func (tx *Tx) PutLog(name string, number int, id string, val []byte) error {
	k, err := logKey(name, number, id)
	if err != nil {
		return err
	}
	return tx.set(k, val, fmt.Sprintf("log %s of %s@%d", id, name, number))
}

// GetLog returns one log entry, or an error matching ErrNotFound.
func (tx *Tx) GetLog(name string, number int, id string) ([]byte, error) {
	k, err := logKey(name, number, id)
	if err != nil {
		return nil, err
	}
	return tx.get(k, fmt.Sprintf("log %s of %s@%d", id, name, number))
}

// ScanLogs calls fn for each log entry of version number of the prompt, or of
// all its versions when number is 0, ordered by version then id.
func (tx *Tx) ScanLogs(name string, number int, fn func(number int, id string, val []byte) error) error {
	prefix, err := logPrefix(name, number)
	if err != nil {
		return err
	}
	return tx.scan(prefix, true, false, func(rest, val []byte) error {
		if number != 0 {
			return fn(number, string(rest), val)
		}
		if len(rest) <= 4 {
			return nil // a stray key (ScanStrayKeys): not a log entry
		}
		return fn(int(binary.BigEndian.Uint32(rest)), string(rest[4:]), val)
	})
}

// DeleteLogs deletes every log entry of the prompt, in this one transaction:
// a prompt with more entries than ErrTxnTooBig allows needs ScanLogs and
// batches of deletes instead.
func (tx *Tx) DeleteLogs(name string) error {
	prefix, err := logPrefix(name, 0)
	if err != nil {
		return err
	}
	return tx.deletePrefix(prefix, "logs of "+name)
}

// DeleteLog deletes one log entry.
func (tx *Tx) DeleteLog(name string, number int, id string) error {
	k, err := logKey(name, number, id)
	if err != nil {
		return err
	}
	return tx.del(k, fmt.Sprintf("log %s of %s@%d", id, name, number))
}

// PutRun stores evaluation run id.
func (tx *Tx) PutRun(id string, val []byte) error {
	k, err := simpleKey(kindRun, "run id", id)
	if err != nil {
		return err
	}
	return tx.set(k, val, "run "+id)
}

// GetRun returns evaluation run id, or an error matching ErrNotFound.
func (tx *Tx) GetRun(id string) ([]byte, error) {
	k, err := simpleKey(kindRun, "run id", id)
	if err != nil {
		return nil, err
	}
	return tx.get(k, "run "+id)
}

// ScanRuns calls fn for each evaluation run in id order.
func (tx *Tx) ScanRuns(fn func(id string, val []byte) error) error {
	return tx.scan([]byte{kindRun}, true, false, func(rest, val []byte) error {
		return fn(string(rest), val)
	})
}

// GetCache returns the cached response under key, or an error matching
// ErrNotFound.
func (tx *Tx) GetCache(key string) ([]byte, error) {
	k, err := simpleKey(kindCache, "cache key", key)
	if err != nil {
		return nil, err
	}
	return tx.get(k, "cached response")
}

// PutCache caches a response under key (the caller's hash of the request).
func (tx *Tx) PutCache(key string, val []byte) error {
	k, err := simpleKey(kindCache, "cache key", key)
	if err != nil {
		return err
	}
	return tx.set(k, val, "cached response")
}

// ScanLogKeys calls fn for the key of each log entry of version number of
// the prompt, or of all its versions when number is 0, without reading the
// entries: the cheap way to order or count them.
func (tx *Tx) ScanLogKeys(name string, number int, fn func(number int, id string) error) error {
	prefix, err := logPrefix(name, number)
	if err != nil {
		return err
	}
	return tx.scan(prefix, false, false, func(rest, _ []byte) error {
		if number != 0 {
			return fn(number, string(rest))
		}
		if len(rest) <= 4 {
			return nil // a stray key (ScanStrayKeys): not a log entry
		}
		return fn(int(binary.BigEndian.Uint32(rest)), string(rest[4:]))
	})
}
