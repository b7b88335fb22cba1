package evalrun

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is shard I of N (1 ≤ I ≤ N): the rows whose id hashes to I
// (dataset.ShardOf), so that N jobs share a dataset without overlap, and
// a row keeps its shard when rows are added. The zero Shard is all rows.
type Shard struct{ I, N int }

// IsZero: no sharding.
func (s Shard) IsZero() bool { return s.N == 0 }

func (s Shard) String() string {
	if s.IsZero() {
		return ""
	}
	return strconv.Itoa(s.I) + "/" + strconv.Itoa(s.N)
}

// ParseShard reads "I/N".
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(text), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%q is not I/N; write 2/4 for the second of four shards", text)
	}
	if n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("%q: give I/N with 1 ≤ I ≤ N (shards are numbered from 1)", text)
	}
	return Shard{I: i, N: n}, nil
}
