package storage

import (
	"encoding/binary"
	"fmt"
)

// VersionReader reads the versions of many prompts through one iterator:
// an export of 10,000 prompts spent most of its time setting up one
// iterator per prompt (each opens every table). Close it before the
// transaction ends.
type VersionReader struct {
	it  *iterator
	key []byte
}

// VersionReader starts reading versions, in any order of prompts.
func (tx *Tx) VersionReader() *VersionReader {
	return &VersionReader{it: tx.iterator([]byte{kindVersion}, false)}
}

// Versions calls fn for each version of the prompt in ascending number,
// as ScanVersions does. val is valid only until fn returns: decode it,
// do not keep it.
func (r *VersionReader) Versions(name string, fn func(number int, val []byte) error) error {
	if err := checkPart("prompt name", name); err != nil {
		return err
	}
	prefix := r.seek(name)
	for ; r.it.ValidForPrefix(prefix); r.it.Next() {
		rest := r.it.Key()[len(prefix):]
		if len(rest) != 4 {
			continue // a stray key (ScanStrayKeys): not a version
		}
		n := int(binary.BigEndian.Uint32(rest))
		var ferr error
		if err := r.it.Value(func(val []byte) error { ferr = fn(n, val); return nil }); err != nil {
			return fmt.Errorf("read version %s@%d: %w", name, n, cleanErr(err))
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}

// seek moves to the first version of the prompt and returns the prefix of
// its keys. Prompts read in name order follow each other in the store, so
// the iterator usually is there already: a seek costs more than the
// reading.
func (r *VersionReader) seek(name string) []byte {
	r.key = append(append(append(r.key[:0], kindVersion), name...), sep)
	if !r.it.ValidForPrefix(r.key) || !r.first(r.it.Key()) {
		r.it.Seek(r.key)
	}
	return r.key
}

// first tells whether k, a key under r.key, is the prompt's first key (a
// caller may read a prompt twice).
func (r *VersionReader) first(k []byte) bool {
	rest := k[len(r.key):]
	return len(rest) == 4 && binary.BigEndian.Uint32(rest) == 1
}

// Close releases the iterator.
func (r *VersionReader) Close() { r.it.Close() }
