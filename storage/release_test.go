package storage

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// Releasing the table pages of a read-only open mid-scan changes nothing
// a reader sees.
func TestReleaseTablePagesKeepsReads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openT(t, Options{Dir: dir})
	for i := range 20 {
		update(t, s, func(tx *Tx) error {
			for j := range 200 {
				if err := tx.PutPrompt(fmt.Sprintf("p-%02d-%03d", i, j), []byte(fmt.Sprintf(`{"n":%d}`, i*1000+j))); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Flushed to tables by the close; read them back read-only.
	ro := openT(t, Options{Dir: dir, ReadOnly: true})
	defer ro.Close()
	scan := func(release bool) []string {
		var got []string
		view(t, ro, func(tx *Tx) error {
			return tx.ScanPrompts("", func(name string, val []byte) error {
				got = append(got, name+string(val))
				if release && len(got)%97 == 0 {
					tx.ReleaseTablePages()
				}
				return nil
			})
		})
		return got
	}
	want := scan(false)
	if len(want) != 4000 {
		t.Fatalf("scanned %d prompts, want 4000", len(want))
	}
	if got := scan(true); !slices.Equal(got, want) {
		t.Fatal("a scan releasing table pages read something else")
	}
	if n := releaseTablePages(ro.dir); runtime.GOOS == "linux" && n == 0 {
		t.Error("no table file of the store was found mapped")
	}
}
