package storage

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// auditValue is an audit value as workspace writes one: a JSON object
// whose time field orders the trail.
func auditValue(at time.Time, what string) []byte {
	action := "commit"
	switch what[0] {
	case 'i':
		action = "import"
	case 'b', 'e':
		action = "label"
	}
	return fmt.Appendf(nil, `{"time":%q,"author":"ann \"A\" ,\"action\":\"x","action":%q,"detail":%q}`, at.Format(time.RFC3339Nano), action, what)
}

// auditTrail is events by their time in seconds after auditBase, in the
// order appended: imported events come late with early times.
var auditBase = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

var auditTrail = []struct {
	sec  int
	what string
}{
	{10, "a"}, {20, "b"}, {20, "c"}, {5, "imported-1"}, {25, "d"}, {-3_000_000_000, "before 1970"},
	{20, "e"}, {15, "imported-2"}, {10, "f"},
}

// wantInTime is the trail in time order, ties in the order appended;
// only events whose detail starts with one of the bytes of only, when
// given.
func wantInTime(only ...byte) []string {
	sorted := slices.Clone(auditTrail)
	slices.SortStableFunc(sorted, func(a, b struct {
		sec  int
		what string
	}) int {
		return a.sec - b.sec
	})
	var out []string
	for _, e := range sorted {
		if len(only) == 0 || bytes.IndexByte(only, e.what[0]) >= 0 {
			out = append(out, e.what)
		}
	}
	return out
}

func detailOf(val []byte) string {
	// The detail is the value's last field.
	i := len(val) - 2
	for i > 0 && val[i-1] != '"' {
		i--
	}
	return string(val[i : len(val)-2])
}

func TestAuditInTimeOrder(t *testing.T) {
	s := newStore(t)
	for i, e := range auditTrail {
		update(t, s, func(tx *Tx) error {
			return tx.AppendAudit(auditValue(auditBase.Add(time.Duration(e.sec)*time.Second), auditTrail[i].what))
		})
	}
	var got, labels, rw []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func(val []byte) error { got = append(got, detailOf(val)); return nil })
	})
	if want := wantInTime(); !slices.Equal(got, want) {
		t.Errorf("ScanAuditInTime = %q, want %q", got, want)
	}
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(func(a string) bool { return a == "label" }, func(val []byte) error { labels = append(labels, detailOf(val)); return nil })
	})
	if want := wantInTime('b', 'e'); !slices.Equal(labels, want) {
		t.Errorf("ScanAuditInTime of label events = %q, want %q", labels, want)
	}
	// A read-write transaction, which allows one iterator at a time.
	update(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func(val []byte) error { rw = append(rw, detailOf(val)); return nil })
	})
	if want := wantInTime(); !slices.Equal(rw, want) {
		t.Errorf("ScanAuditInTime in a read-write transaction = %q, want %q", rw, want)
	}
}

// A store written before the time-ordered keys (schema 1) gets them when a
// newer binary opens it, read-only opens included; running the migration
// again changes nothing.
func TestAuditInTimeAfterMigration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	old, err := open(context.Background(), Options{Dir: dir}, layout{version: 1})
	if err != nil {
		t.Fatal(err)
	}
	// What a schema-1 binary wrote: append keys only.
	for i, e := range auditTrail {
		err := old.db.Update(func(txn *badger.Txn) error {
			val := auditValue(auditBase.Add(time.Duration(e.sec)*time.Second), auditTrail[i].what)
			return txn.Set(auditKey(uint64(1_000+i), 7), val)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s := openT(t, Options{Dir: dir, ReadOnly: true})
	if v := schemaOf(t, s); v != schemaVersion {
		t.Errorf("schema = %d, want %d", v, schemaVersion)
	}
	var got []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func(val []byte) error { got = append(got, detailOf(val)); return nil })
	})
	if want := wantInTime(); !slices.Equal(got, want) {
		t.Errorf("after migration ScanAuditInTime = %q, want %q", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, Options{Dir: dir})
	if err := indexAuditTimes(s.db); err != nil {
		t.Fatal(err)
	}
	// The progress it recorded goes in the schema version's transaction.
	if err := s.db.Update(dropAuditUpgrade); err != nil {
		t.Fatal(err)
	}
	n := 0
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func([]byte) error { n++; return nil })
	})
	if n != len(auditTrail) {
		t.Errorf("after a second run %d time-ordered keys, want %d", n, len(auditTrail))
	}
	view(t, s, func(tx *Tx) error {
		return tx.ScanStrayKeys(func(k StrayKey) error {
			t.Errorf("stray key %s: %s", k.Key, k.Reason)
			return nil
		})
	})
}

func TestAuditFields(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 5, time.UTC)
	for _, tc := range []struct {
		val, action string
		at          time.Time
	}{
		{`{"time":"2025-03-01T12:00:00.000000005Z","author":"a\",\"action\":\"x","action":"label"}`, "label", at},
		{`{"action":"tag","time":"2025-03-01T13:00:00.000000005+01:00"}`, "tag", at},
		{`{"time":"2025-03-01T12:00:00.000000005Z","action":"odd\u0041"}`, "oddA", at},
		{`not json`, "", time.Time{}},
	} {
		action, got := auditFields([]byte(tc.val))
		if action != tc.action || !got.Equal(tc.at) {
			t.Errorf("auditFields(%s) = %q, %v; want %q, %v", tc.val, action, got, tc.action, tc.at)
		}
	}
}

// A trail larger than one transaction is migrated whole.
func TestAuditInTimeMigrationOfALargeTrail(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	old, err := open(context.Background(), Options{Dir: dir}, layout{version: 1})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000 // about 450 KB of events
	for i := 0; i < n; i += 500 {
		err := old.db.Update(func(txn *badger.Txn) error {
			for j := i; j < i+500; j++ {
				// Appended newest first: time order is the reverse.
				val := auditValue(auditBase.Add(-time.Duration(j)*time.Second), fmt.Sprintf("x%04d %s", j, strings.Repeat("·", 40)))
				if err := txn.Set(auditKey(uint64(1_000+j), 1), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s := openT(t, Options{Dir: dir, ReadOnly: true})
	defer s.Close()
	var got []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func(val []byte) error { got = append(got, detailOf(val)[:5]); return nil })
	})
	if len(got) != n || got[0] != fmt.Sprintf("x%04d", n-1) || got[n-1] != "x0000" || !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("after migrating %d events, %d in time order: first %q, last %q", n, len(got), got[0], got[len(got)-1])
	}
}
