package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
)

// Whole-store scans for the self-check (promptbench doctor). Unlike the
// per-prompt methods in tx.go they walk every prompt's keys, and they pass
// over keys that do not fit the layout instead of misreading them:
// ScanStrayKeys reports those.

// StrayKey is a key that fits no part of the layout: a kind this binary
// does not know, or a known kind with the wrong shape. Its bytes stay
// private; Key is a printable form for messages.
type StrayKey struct {
	Key    string // the key, quoted
	Reason string // what is wrong with its shape
	// Index tells that the key belongs to a derived index (the tag or
	// the run index), so that deleting it loses nothing an index rebuild does
	// not restore.
	Index bool
	raw   []byte
}

// ScanStrayKeys calls fn for each key that fits no part of the layout. It
// reads keys only.
func (tx *Tx) ScanStrayKeys(fn func(StrayKey) error) error {
	return tx.scan(nil, false, false, func(k, _ []byte) error {
		reason := keyShapeError(k)
		if reason == "" {
			return nil
		}
		return fn(StrayKey{Key: strconv.Quote(string(k)), Reason: reason, Index: derivedIndex(k[0]), raw: bytes.Clone(k)})
	})
}

// DeleteStrayKey deletes a stray key of a derived index; any other stray key
// may hold data this binary cannot read, and is refused.
func (tx *Tx) DeleteStrayKey(k StrayKey) error {
	if !k.Index || len(k.raw) == 0 || !derivedIndex(k.raw[0]) || keyShapeError(k.raw) == "" {
		return fmt.Errorf("storage: key %s is not a stray index key", k.Key)
	}
	return tx.del(k.raw, "stray key "+k.Key)
}

// derivedIndex: keys of this kind are an index rebuilt from other keys
// (the tag index from the prompts, the run index from the log entries).
func derivedIndex(kind byte) bool { return kind == kindTag || kind == kindRunLog }

// keyShapeError says what is wrong with the shape of k, or "" when it fits
// the layout of keys.go and tx_import.go.
func keyShapeError(k []byte) string {
	if len(k) == 0 {
		return "empty key"
	}
	rest := k[1:]
	switch k[0] {
	case kindMeta:
		if bytes.Equal(k, schemaKey) {
			return ""
		}
		return "unknown metadata key"
	case kindPrompt, kindRun, kindCache, kindExperiment:
		if len(rest) == 0 || bytes.IndexByte(rest, sep) >= 0 {
			return "name empty or holding a NUL byte"
		}
	case kindVersion:
		_, num, ok := splitName(rest)
		if !ok || len(num) != 4 || binary.BigEndian.Uint32(num) == 0 {
			return "not a prompt name, NUL and a version number"
		}
	case kindTag:
		tag, name, ok := splitName(rest)
		if !ok || len(tag) == 0 || len(name) == 0 || bytes.IndexByte(name, sep) >= 0 {
			return "not a tag, NUL and a prompt name"
		}
	case kindLog:
		_, tail, ok := splitName(rest)
		if !ok || len(tail) <= 4 || binary.BigEndian.Uint32(tail) == 0 || bytes.IndexByte(tail[4:], sep) >= 0 {
			return "not a prompt name, NUL, a version number and an id"
		}
	case kindAudit:
		if len(k) != auditKeyLen {
			return "audit key of the wrong length"
		}
	case kindAuditTime:
		if i := bytes.IndexByte(rest, sep); i < 0 || len(rest)-i-1 != auditOrderLen {
			return "not an action, NUL, a time and an audit key"
		}
	case kindJournal:
		if len(k) != 5 {
			return "journal key of the wrong length"
		}
	case kindOutcome:
		return outcomeShapeError(rest)
	case kindRunLog:
		return runLogShapeError(rest)
	case kindPromptOp:
		if len(k) != 1 {
			return "rename/delete journal key of the wrong length"
		}
	default:
		return "unknown kind of key"
	}
	return ""
}

// splitName splits b at its first NUL into a non-empty name and the rest.
func splitName(b []byte) (name, rest []byte, ok bool) {
	i := bytes.IndexByte(b, sep)
	if i <= 0 {
		return nil, nil, false
	}
	return b[:i], b[i+1:], true
}

// ScanAllVersions calls fn for each version of every prompt, by prompt name
// then number, reading values one at a time.
func (tx *Tx) ScanAllVersions(fn func(name string, number int, val []byte) error) error {
	return tx.scan([]byte{kindVersion}, true, false, func(rest, val []byte) error {
		name, num, ok := splitName(rest)
		if !ok || len(num) != 4 || binary.BigEndian.Uint32(num) == 0 {
			return nil // a stray key
		}
		return fn(string(name), int(binary.BigEndian.Uint32(num)), val)
	})
}

// ScanTagIndex calls fn for every entry of the tag index, by tag then
// prompt name. It reads keys only.
func (tx *Tx) ScanTagIndex(fn func(tag, name string) error) error {
	return tx.scan([]byte{kindTag}, false, false, func(rest, _ []byte) error {
		tag, name, ok := splitName(rest)
		if !ok || len(name) == 0 || bytes.IndexByte(name, sep) >= 0 {
			return nil // a stray key
		}
		return fn(string(tag), string(name))
	})
}

// ScanAllLogs calls fn for each log entry of every prompt, by prompt name,
// version and id.
func (tx *Tx) ScanAllLogs(fn func(name string, number int, id string, val []byte) error) error {
	return tx.scan([]byte{kindLog}, true, false, func(rest, val []byte) error {
		name, tail, ok := splitName(rest)
		if !ok || len(tail) <= 4 || binary.BigEndian.Uint32(tail) == 0 || bytes.IndexByte(tail[4:], sep) >= 0 {
			return nil // a stray key
		}
		return fn(string(name), int(binary.BigEndian.Uint32(tail)), string(tail[4:]), val)
	})
}

// ScanCache calls fn for each cached response.
func (tx *Tx) ScanCache(fn func(key string, val []byte) error) error {
	return tx.scan([]byte{kindCache}, true, false, func(rest, val []byte) error {
		return fn(string(rest), val)
	})
}

// DeleteCache deletes the cached response under key.
func (tx *Tx) DeleteCache(key string) error {
	k, err := simpleKey(kindCache, "cache key", key)
	if err != nil {
		return err
	}
	return tx.del(k, "cached response")
}
