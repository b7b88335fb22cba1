package spill

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// Records come back sorted, equal ones in the order they were added,
// whether they stayed in memory or waited in many runs on disk, and as
// often as asked.
func TestSorterSortsAndKeepsOrderOfEquals(t *testing.T) {
	var want []string
	for i := range 5000 {
		want = append(want, fmt.Sprintf("k%03d %05d", (i*7919)%500, i))
	}
	key := func(r []byte) []byte { return r[:bytes.IndexByte(r, ' ')] }
	sorted := slices.Clone(want)
	slices.SortStableFunc(sorted, func(a, b string) int { return bytes.Compare(key([]byte(a)), key([]byte(b))) })
	for _, limit := range []int{1 << 30, 1000, 10} {
		s := NewSorter(func(a, b []byte) int { return bytes.Compare(key(a), key(b)) }, limit)
		for _, r := range want {
			if err := s.Add([]byte(r)); err != nil {
				t.Fatal(err)
			}
		}
		for pass := range 2 {
			var got []string
			if err := s.Each(func(r []byte) bool { got = append(got, string(r)); return true }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, sorted) {
				t.Fatalf("limit %d, pass %d: %v…", limit, pass, got[:5])
			}
		}
		s.Close()
	}
}

func TestFileKeepsOrder(t *testing.T) {
	for _, limit := range []int{1 << 30, 100} {
		f := &File{Limit: limit}
		var want []string
		for i := range 1000 {
			r := fmt.Sprintf("record %d", i)
			want = append(want, r)
			if err := f.Add([]byte(r)); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		stopAt := 10
		f.Each(func(r []byte) bool { got = append(got, string(r)); return len(got) < stopAt })
		if len(got) != stopAt {
			t.Fatalf("limit %d: went on after false: %d records", limit, len(got))
		}
		got = nil
		if err := f.Each(func(r []byte) bool { got = append(got, string(r)); return true }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("limit %d: %d records back", limit, len(got))
		}
		f.Close()
	}
}
