package dataset

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"
)

// numbered is a JSONL dataset of n rows with ids r1..rn.
func numbered(n int) iter.Seq2[Row, error] {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "{\"id\": \"r%d\"}\n", i)
	}
	return Decode("n.jsonl", JSONL, strings.NewReader(b.String()))
}

func ids(t *testing.T, rows iter.Seq2[Row, error]) []string {
	t.Helper()
	var out []string
	for row, err := range rows {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, row.ID)
	}
	return out
}

func TestLimit(t *testing.T) {
	if got := ids(t, Limit(numbered(10), 3)); !slices.Equal(got, []string{"r1", "r2", "r3"}) {
		t.Errorf("Limit 3 = %v", got)
	}
	if got := ids(t, Limit(numbered(2), 5)); len(got) != 2 {
		t.Errorf("Limit past the end = %v", got)
	}
	// Limit stops reading: a bad line after the limit is never reached.
	bad := Decode("b.jsonl", JSONL, strings.NewReader("{}\n{}\nnot json\n"))
	if got := ids(t, Limit(bad, 2)); len(got) != 2 {
		t.Errorf("Limit over a bad tail = %v", got)
	}
}

func TestSample(t *testing.T) {
	a := ids(t, Sample(numbered(1000), 10, 42))
	b := ids(t, Sample(numbered(1000), 10, 42))
	c := ids(t, Sample(numbered(1000), 10, 43))
	if len(a) != 10 || !slices.Equal(a, b) {
		t.Errorf("same seed, different samples: %v vs %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 42 and 43 gave the same sample %v", a)
	}
	if got := ids(t, Sample(numbered(5), 10, 1)); len(got) != 5 || got[0] != "r1" || got[4] != "r5" {
		t.Errorf("a sample larger than the dataset keeps every row in order: %v", got)
	}
	pos := func(id string) int { var n int; fmt.Sscanf(id, "r%d", &n); return n }
	if !slices.IsSortedFunc(a, func(x, y string) int { return pos(x) - pos(y) }) {
		t.Errorf("a sample comes in dataset order: %v", a)
	}
	// Uniform: over many seeds each of 20 rows is picked about 5/20 of the time.
	counts := map[string]int{}
	for seed := range uint64(4000) {
		for _, id := range ids(t, Sample(numbered(20), 5, seed)) {
			counts[id]++
		}
	}
	for id, n := range counts {
		if n < 800 || n > 1200 { // expected 1000, sd about 27
			t.Errorf("row %s picked %d times in 4000 samples, want about 1000", id, n)
		}
	}
	errs := Decode("b.jsonl", JSONL, strings.NewReader("{}\nnope\n"))
	for _, err := range Sample(errs, 1, 1) {
		wantError(t, err, 2, "not valid JSON")
	}
}

func TestShard(t *testing.T) {
	const n = 4
	all := map[string]int{}
	for i := 1; i <= n; i++ {
		for _, id := range ids(t, Shard(numbered(400), i, n)) {
			if _, dup := all[id]; dup {
				t.Errorf("row %s in two shards", id)
			}
			all[id] = i
		}
	}
	if len(all) != 400 {
		t.Errorf("shards cover %d of 400 rows", len(all))
	}
	// Adding rows never moves a row to another shard.
	for i := 1; i <= n; i++ {
		for _, id := range ids(t, Shard(numbered(800), i, n)) {
			if was, ok := all[id]; ok && was != i {
				t.Errorf("row %s moved from shard %d to %d", id, was, i)
			}
		}
	}
	// The hash is pinned: FNV-1a 64 of the id, mod n, plus 1.
	// Reference values from a Python FNV-1a 64 (offset 0xcbf29ce484222325,
	// prime 0x100000001b3): "r1" -> 0x08dc8307b57be76c, "case-42" ->
	// 0xdef62a8dc25d45f6.
	if got := ShardOf("r1", 4); got != 1 {
		t.Errorf("ShardOf(r1, 4) = %d, want 1", got)
	}
	if got := ShardOf("case-42", 7); got != 4 {
		t.Errorf("ShardOf(case-42, 7) = %d, want 4", got)
	}
	if got := ShardOf("anything", 1); got != 1 {
		t.Errorf("one shard holds everything: %d", got)
	}
}
