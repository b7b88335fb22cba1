package storage

import (
	"fmt"
	"slices"
	"testing"
)

// TestVersionReader: one iterator reads the same versions ScanVersions
// does, whatever order the prompts are asked in, names that prefix each
// other included.
func TestVersionReader(t *testing.T) {
	s := openT(t, Options{Dir: t.TempDir()})
	names := []string{"a", "a-b", "a/b", "b", "ab"}
	err := s.Update(func(tx *Tx) error {
		for i, name := range names {
			for n := 1; n <= i+2; n++ {
				if err := tx.PutVersion(name, n, fmt.Appendf(nil, "%s@%d", name, n)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(tx *Tx, r *VersionReader, name string) (got, want []string) {
		if err := r.Versions(name, func(n int, val []byte) error {
			got = append(got, fmt.Sprintf("%d=%s", n, val))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := tx.ScanVersions(name, func(n int, val []byte) error {
			want = append(want, fmt.Sprintf("%d=%s", n, val))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got, want
	}
	sorted := slices.Sorted(slices.Values(names))
	for _, order := range [][]string{sorted, {"b", "a", "ab", "a", "missing", "a/b", "a-b"}} {
		err := s.View(func(tx *Tx) error {
			r := tx.VersionReader()
			defer r.Close()
			for _, name := range order {
				got, want := read(tx, r, name)
				if !slices.Equal(got, want) {
					t.Fatalf("%s: read %v, want %v", name, got, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
