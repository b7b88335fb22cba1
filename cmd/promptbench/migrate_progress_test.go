//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// What a killed upgrade leaves for the next one. The upgrade records how
// far it got with every batch of time-ordered keys it writes, and the next
// command goes on from there: it writes each key the killed ones did not,
// and none they did. Badger gives every write a version of its own, so a
// key written again would carry a newer one: the soak reads the version of
// each time-ordered key right after each kill, on a copy of the store (the
// read-write open that replays what the killed process wrote must not be
// the next command's), and checks at the end of the round that every one
// is unchanged. A kill in the middle of an upgrade then shows how much of
// the work the next command was spared.

// copyPrefix starts the time-ordered key of an audit event (schema 2):
//
//	A <action> 0 <time:12> <append key:12>
var copyPrefix = []byte{'A'}

// upgradeProgress is what the kills of the soak left.
type upgradeProgress struct {
	// midway counts the kills that left some time-ordered keys but not
	// all; kept is how many keys they left, out of written.
	midway, kept, written int
}

// probeCopies reads the version of every time-ordered key in the store of
// rd right after a kill, into rd.copies. A key already seen after an
// earlier kill must not have been written again since.
func (m *migrateSoak) probeCopies(rd *round) {
	m.t.Helper()
	probe := filepath.Join(filepath.Dir(rd.ws), "probe")
	defer os.RemoveAll(probe)
	if err := copyTree(filepath.Join(rd.ws, "store"), probe); err != nil {
		m.t.Fatal(err)
	}
	found, err := copyVersions(probe, false)
	if err != nil {
		m.t.Errorf("read the store right after a kill: %v", err)
		return
	}
	if rd.copies == nil {
		rd.copies = map[string]uint64{}
	}
	for k, v := range found {
		if was, ok := rd.copies[k]; ok && was != v {
			m.t.Errorf("a time-ordered key left by a killed upgrade was written again by the next command (version %d, then %d)", was, v)
		}
		rd.copies[k] = v
	}
	if n := len(found); n > 0 && n < len(m.trail) {
		m.progress.midway++
		m.progress.kept += n
		m.progress.written += len(m.trail)
	}
}

// checkKept checks that the time-ordered keys the kills of rd left are
// still the ones they wrote: the commands after them went on from their
// progress.
func (m *migrateSoak) checkKept(rd round) {
	m.t.Helper()
	if len(rd.copies) == 0 {
		return
	}
	found, err := copyVersions(filepath.Join(rd.ws, "store"), true)
	if err != nil {
		m.t.Errorf("read the time-ordered keys after the kills: %v", err)
		return
	}
	rewritten, lost := 0, 0
	for k, v := range rd.copies {
		switch now, ok := found[k]; {
		case !ok:
			lost++
		case now != v:
			rewritten++
		}
	}
	if rewritten > 0 || lost > 0 {
		m.t.Errorf("of %d time-ordered keys the killed upgrades left, the commands after them wrote %d again and %d are gone", len(rd.copies), rewritten, lost)
	}
}

// copyVersions reads the version of every time-ordered key of the store
// in dir with Badger itself.
func copyVersions(dir string, readOnly bool) (map[string]uint64, error) {
	opts := badger.DefaultOptions(dir).WithLogger(nil).WithReadOnly(readOnly).
		WithMemTableSize(16 << 20).WithValueLogFileSize(16 << 20).WithNumCompactors(0)
	db, err := badger.Open(opts)
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: copyPrefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			out[string(it.Item().Key())] = it.Item().Version()
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return out, err
}

// report says how much work the kills in the middle of an upgrade spared
// the commands after them, and fails the soak when no kill landed there.
func (p upgradeProgress) report(m *migrateSoak, kills int) {
	m.t.Helper()
	if p.midway == 0 {
		msg := fmt.Sprintf("none of %d kills landed in the middle of an upgrade: nothing showed that the next command goes on from a killed one's progress", kills)
		if kills >= 3 {
			m.t.Error(msg)
		} else {
			m.t.Log(msg)
		}
		return
	}
	m.t.Logf("%d kills in the middle of an upgrade left %d of the %d time-ordered keys their upgrades had to write (%.0f%%) for the commands after them",
		p.midway, p.kept, p.written, 100*float64(p.kept)/float64(p.written))
}
