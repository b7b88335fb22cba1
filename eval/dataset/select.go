package dataset

import (
	"hash/fnv"
	"iter"
	"math/rand/v2"
	"slices"
)

// Limit yields the first n rows of rows and stops reading there.
func Limit(rows iter.Seq2[Row, error], n int) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		if n <= 0 {
			return
		}
		taken := 0
		for row, err := range rows {
			if !yield(row, err) || err != nil {
				return
			}
			if taken++; taken == n {
				return
			}
		}
	}
}

// Sample yields a uniform random subset of n rows of rows, the same subset
// for the same seed and dataset, in dataset order. It reads the dataset
// once, keeping n rows (reservoir sampling, Vitter's Algorithm R): row i
// (0-based) replaces a random kept row when rand.IntN(i+1) < n, with
// math/rand/v2's PCG seeded (seed, seed). Fewer than n rows yields them all.
func Sample(rows iter.Seq2[Row, error], n int, seed uint64) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		if n <= 0 {
			return
		}
		type kept struct {
			at  int
			row Row
		}
		rng := rand.New(rand.NewPCG(seed, seed))
		reservoir := make([]kept, 0, min(n, 1<<16))
		i := 0
		for row, err := range rows {
			if err != nil {
				yield(Row{}, err)
				return
			}
			if i < n {
				reservoir = append(reservoir, kept{i, row})
			} else if j := rng.IntN(i + 1); j < n {
				reservoir[j] = kept{i, row}
			}
			i++
		}
		slices.SortFunc(reservoir, func(a, b kept) int { return a.at - b.at })
		for _, k := range reservoir {
			if !yield(k.row, nil) {
				return
			}
		}
	}
}

// Shard yields the rows of shard i of n (1 ≤ i ≤ n): those whose
// ShardOf(ID, n) is i. A row's shard depends only on its ID, so adding rows
// never moves another row to a different shard.
func Shard(rows iter.Seq2[Row, error], i, n int) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for row, err := range rows {
			if err == nil && ShardOf(row.ID, n) != i {
				continue
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// ShardOf is the 1-based shard of the case id among n: FNV-1a 64 of the
// id's bytes, mod n, plus 1.
func ShardOf(id string, n int) int {
	if n <= 1 {
		return 1
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64()%uint64(n)) + 1
}
