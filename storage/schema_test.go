package storage

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func schemaOf(t *testing.T, s *Store) int {
	t.Helper()
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	v, ok, err := readSchema(txn)
	if err != nil || !ok {
		t.Fatalf("schema version: %v, %v", ok, err)
	}
	return v
}

// openSchema1 creates a store of schema 1, as binaries before the audit
// trail's time-ordered keys wrote it.
func openSchema1(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := open(context.Background(), Options{Dir: dir}, layout{version: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchemaWrittenAtCreation(t *testing.T) {
	s := newStore(t)
	if v := schemaOf(t, s); v != schemaVersion {
		t.Errorf("schema = %d, want %d", v, schemaVersion)
	}
}

func TestMigrations(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openSchema1(t, dir)
	update(t, s, func(tx *Tx) error { return tx.PutPrompt("p", []byte("old")) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// A binary of schema 3: migrations from 1 to 2 and 2 to 3, each leaving
	// a mark that the next one checks, so that their order shows.
	var ran []string
	lay := layout{version: 3, migrations: []migration{
		func(txn *badger.Txn) error {
			ran = append(ran, "1→2")
			return txn.Set([]byte("pmigrated"), []byte("2"))
		},
		func(txn *badger.Txn) error {
			ran = append(ran, "2→3")
			item, err := txn.Get([]byte("pmigrated"))
			if err != nil {
				return err
			}
			return item.Value(func(v []byte) error {
				if string(v) != "2" {
					return errors.New("ran before 1→2")
				}
				return txn.Set([]byte("pmigrated"), []byte("3"))
			})
		},
	}}

	t.Run("a read-only open migrates through a read-write one", func(t *testing.T) {
		s, err := open(context.Background(), Options{Dir: dir, ReadOnly: true}, lay)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if got := strings.Join(ran, ","); got != "1→2,2→3" {
			t.Errorf("migrations ran %q, want 1→2,2→3", got)
		}
		if v := schemaOf(t, s); v != 3 {
			t.Errorf("schema = %d, want 3", v)
		}
		view(t, s, func(tx *Tx) error {
			if v, err := tx.GetPrompt("migrated"); err != nil || string(v) != "3" {
				t.Errorf("migrated mark = %q, %v", v, err)
			}
			return nil
		})
	})
	t.Run("a newer store is refused", func(t *testing.T) {
		for _, ro := range []bool{false, true} {
			_, err := Open(context.Background(), Options{Dir: dir, ReadOnly: ro})
			want := "store was written by a newer promptbench (schema 3); upgrade promptbench"
			if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), want) {
				t.Errorf("read-only %v: got %v, want %q", ro, err, want)
			}
		}
	})
	t.Run("a failing migration changes nothing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		s := openSchema1(t, dir)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		bad := layout{version: 2, migrations: []migration{func(txn *badger.Txn) error {
			if err := txn.Set([]byte("phalf"), nil); err != nil {
				return err
			}
			return boom
		}}}
		if _, err := open(context.Background(), Options{Dir: dir}, bad); !errors.Is(err, boom) {
			t.Fatalf("got %v, want the migration's error", err)
		}
		s, err := open(context.Background(), Options{Dir: dir, ReadOnly: true}, layout{version: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if v := schemaOf(t, s); v != 1 {
			t.Errorf("schema = %d after a failed migration, want 1", v)
		}
		view(t, s, func(tx *Tx) error {
			if _, err := tx.GetPrompt("half"); !errors.Is(err, ErrNotFound) {
				t.Errorf("a failed migration left its writes: %v", err)
			}
			return nil
		})
	})
}
