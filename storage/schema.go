package storage

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// schemaVersion is the key layout this binary writes (keys.go). Schema 2
// added the audit trail's time-ordered keys (audit_time.go).
const schemaVersion = 2

// migration upgrades the store by one schema version. It gets the raw
// transaction because it rewrites the layout the typed methods hide.
type migration func(*badger.Txn) error

// bulkMigration is the part of an upgrade that writes more than one
// transaction holds (a key for every record of a kind). It runs before the
// migration's transaction, and a process killed during it leaves the old
// schema version: the next open runs it again, and it goes on from the
// progress it recorded with what it wrote (indexAuditTimes).
type bulkMigration func(*badger.DB) error

// layout is a schema version and the migrations that lead to it:
// migrations[i] upgrades version i+1 to i+2, after bulk[i] when there is
// one.
type layout struct {
	version    int
	migrations []migration
	bulk       []bulkMigration
}

// currentLayout is the layout of this binary. Append a migration here and
// bump schemaVersion when the key layout changes.
func currentLayout() layout {
	return layout{version: schemaVersion,
		migrations: []migration{dropAuditUpgrade},
		bulk:       []bulkMigration{indexAuditTimes}}
}

// readSchema returns the stored schema version; 0 with ok false when there is
// none.
func readSchema(txn *badger.Txn) (v int, ok bool, err error) {
	item, err := txn.Get(schemaKey)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	val, err := item.ValueCopy(nil)
	if err != nil {
		return 0, false, err
	}
	if len(val) != 4 {
		return 0, false, fmt.Errorf("schema version is %d bytes long", len(val))
	}
	return int(binary.BigEndian.Uint32(val)), true, nil
}

func writeSchema(txn *badger.Txn, v int) error {
	return txn.Set(schemaKey, binary.BigEndian.AppendUint32(nil, uint32(v)))
}

// isEmpty reports whether the store holds no key at all: a store whose
// creation stopped before its schema version was written.
func isEmpty(txn *badger.Txn) bool {
	it := txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	it.Rewind()
	return !it.Valid()
}

func newerError(dir string, v int) error {
	return fmt.Errorf("open store %s: store was written by a newer promptbench (schema %d); upgrade promptbench: %w", dir, v, ErrNewerSchema)
}

// checkSchema is the read-only half of migrate: it cannot write, so an older
// store asks for a read-write open first.
func (s *Store) checkSchema(lay layout) error {
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	v, ok, err := readSchema(txn)
	switch {
	case err != nil:
		return fmt.Errorf("open store %s: read schema version: %w", s.dir, cleanErr(err))
	case !ok && isEmpty(txn):
		return nil
	case !ok:
		return fmt.Errorf("open store %s: it has no schema version: %w", s.dir, ErrNotStore)
	case v > lay.version:
		return newerError(s.dir, v)
	case v < lay.version:
		return &needsWriterError{dir: s.dir, reason: fmt.Sprintf("schema %d needs migrating to %d", v, lay.version)}
	}
	return nil
}

// migrate writes the schema version of a new store, or runs the migrations an
// older one needs, all in one transaction: a store is never left half
// migrated.
func (s *Store) migrate(lay layout) error {
	if err := s.migrateBulk(lay); err != nil {
		return err
	}
	if s.upgrade {
		// The next open writes the schema version (upgrade), after this
		// one's Close has written every memtable out.
		return nil
	}
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	v, ok, err := readSchema(txn)
	switch {
	case err != nil:
		return fmt.Errorf("open store %s: read schema version: %w", s.dir, cleanErr(err))
	case !ok && !isEmpty(txn):
		return fmt.Errorf("open store %s: it has no schema version: %w", s.dir, ErrNotStore)
	case !ok:
		v = lay.version
	case v > lay.version:
		return newerError(s.dir, v)
	case v == lay.version:
		return nil
	case v < 1 || len(lay.migrations) < lay.version-1:
		return fmt.Errorf("open store %s: no migration from schema %d to %d", s.dir, v, lay.version)
	}
	for ; v < lay.version; v++ {
		if err := lay.migrations[v-1](txn); err != nil {
			return fmt.Errorf("open store %s: migrate schema %d to %d: %w", s.dir, v, v+1, err)
		}
	}
	if err := writeSchema(txn, lay.version); err != nil {
		return fmt.Errorf("open store %s: write schema version: %w", s.dir, cleanErr(err))
	}
	if err := s.commitDurably(txn); err != nil {
		return fmt.Errorf("open store %s: write schema version: %w", s.dir, cleanErr(err))
	}
	s.durable(pointSchema)
	return nil
}

// migrateBulk runs the bulk parts of the migrations an older store needs.
func (s *Store) migrateBulk(lay layout) error {
	var v int
	var ok bool
	err := s.db.View(func(txn *badger.Txn) (err error) {
		v, ok, err = readSchema(txn)
		return err
	})
	if err != nil {
		return fmt.Errorf("open store %s: read schema version: %w", s.dir, cleanErr(err))
	}
	if !ok || v < 1 {
		return nil // a new store, or one migrate refuses
	}
	if s.upgraded {
		return nil // done by the open before this one (upgrade)
	}
	for ; v < lay.version && v-1 < len(lay.bulk); v++ {
		if lay.bulk[v-1] == nil {
			continue
		}
		if !s.upgrade {
			return errUpgrade // in an open of its own (upgrade)
		}
		if err := lay.bulk[v-1](s.db); err != nil {
			return fmt.Errorf("open store %s: migrate schema %d to %d: %w", s.dir, v, v+1, cleanErr(err))
		}
	}
	return nil
}
