//go:build linux

package storage

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A bulk open that stays open while it writes (an evaluation between its
// batches) does not keep the tables it wrote in resident memory, and
// still reads back all it wrote.
func TestBulkOpenReleasesWrittenTables(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openT(t, Options{Dir: dir, DeferCompaction: true, Bulk: true, Batched: true})
	defer s.Close()
	want := map[string][]byte{}
	for batch := range 12 {
		bw, err := s.NewBulkWriter()
		if err != nil {
			t.Fatal(err)
		}
		for j := range 100 {
			v := make([]byte, 8<<10)
			_, _ = rand.Read(v)
			k := fmt.Sprintf("k%02d-%03d", batch, j)
			want[k] = v
			if err := bw.PutCache(k, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	// 9.6 MB through a 4 MB memtable: tables were written while open.
	deadline := time.Now().Add(10 * time.Second)
	for s.l0Tables() == 0 || residentTableKB(t, s.dir) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d level-0 tables, %d KB of them still resident", s.l0Tables(), residentTableKB(t, s.dir))
		}
		time.Sleep(20 * time.Millisecond)
	}
	view(t, s, func(tx *Tx) error {
		for k, v := range want {
			got, err := tx.GetCache(k)
			if err != nil || !bytes.Equal(got, v) {
				t.Fatalf("%s: %d bytes, %v", k, len(got), err)
			}
		}
		return nil
	})
}

// residentTableKB sums the resident memory of dir's table files mapped
// into this process.
func residentTableKB(t *testing.T, dir string) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps")
	}
	defer f.Close()
	kb, inTable := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			inTable = len(fields) >= 6 && strings.HasPrefix(fields[5], dir+"/") && strings.HasSuffix(fields[5], ".sst")
			continue
		}
		if rest, ok := strings.CutPrefix(line, "Rss:"); ok && inTable {
			n, _ := strconv.Atoi(strings.Fields(rest)[0])
			kb += n
		}
	}
	return kb
}

// The maintenance that merges the level-0 tables of a long evaluation
// drops the pages of the tables it reads and writes as it goes, which
// loses nothing it merged, and the pages it drops are the ones it read.
func TestCompactReclaimingTablePagesKeepsData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	want := map[string][]byte{}
	for open := range 4 {
		s := openT(t, Options{Dir: dir, DeferCompaction: true, Bulk: true, Batched: true})
		for batch := range 3 {
			bw, err := s.NewBulkWriter()
			if err != nil {
				t.Fatal(err)
			}
			for j := range 200 {
				v := make([]byte, 8<<10)
				_, _ = rand.Read(v)
				k := fmt.Sprintf("k%d-%d-%03d", open, batch, j)
				want[k] = v
				if err := bw.PutCache(k, v); err != nil {
					t.Fatal(err)
				}
			}
			if err := bw.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := Compact(context.Background(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	s := openT(t, Options{Dir: dir, ReadOnly: true})
	defer s.Close()
	if l0 := s.l0Tables(); l0 > 0 {
		t.Fatalf("after Compact: %d level-0 tables", l0)
	}
	read := func() {
		view(t, s, func(tx *Tx) error {
			for k, v := range want {
				got, err := tx.GetCache(k)
				if err != nil || !bytes.Equal(got, v) {
					t.Fatalf("%s: %d bytes, %v", k, len(got), err)
				}
			}
			return nil
		})
	}
	read()
	if kb := residentTableKB(t, s.dir); kb == 0 {
		t.Fatal("reading every key left no table page resident")
	}
	if reclaimTablePages(s.dir) == 0 {
		t.Fatal("no table file of the store was found mapped")
	}
	if kb := residentTableKB(t, s.dir); kb > 0 {
		t.Errorf("%d KB of table pages still resident after reclaiming them", kb)
	}
	read()
}
