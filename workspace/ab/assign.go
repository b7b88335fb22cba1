// Package ab assigns keys (user ids, account ids) to the variants of an
// experiment: a pure function of the experiment's id and the key, the same
// in the command line, in the application package (served) and in any
// other language that follows the README's specification. It imports
// nothing of the store.
package ab

// Buckets is how many buckets keys hash into: a weight of 1% is 100
// buckets.
const Buckets = 10_000

// BucketsPerPercent converts integer percent weights to buckets.
const BucketsPerPercent = Buckets / 100

// Bucket is the bucket, 0 to 9,999, of key in the experiment id: FNV-1a
// (64 bit) over the bytes of id, one zero byte and the bytes of key, then
// MurmurHash3's 64-bit finaliser (fmix64) so that every output bit depends
// on every input bit, then the remainder modulo 10,000. FNV alone leaves
// its low bits, which the remainder keeps, poorly mixed for keys that
// differ only at the end (user-1, user-2, …).
func Bucket(id, key string) int {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= prime
	}
	h *= prime // the zero byte: h ^= 0 changes nothing
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= prime
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return int(h % Buckets)
}

// Range is the buckets From to To-1.
type Range struct {
	From int `json:"from" yaml:"from"`
	To   int `json:"to" yaml:"to"`
}

// Size is the number of buckets in r.
func (r Range) Size() int { return r.To - r.From }

// Layout says which variant owns each bucket: Owner[i] owns Ranges[i]. It
// is stored with the experiment, so that an assignment never depends on
// how the weights were reached.
type Layout [][]Range

// Lookup is the index of the variant owning bucket b, or -1 when no
// variant does (a layout whose weights do not sum to 100).
func (l Layout) Lookup(b int) int {
	for v, rs := range l {
		for _, r := range rs {
			if b >= r.From && b < r.To {
				return v
			}
		}
	}
	return -1
}

// Assign is the variant index of key: Layout.Lookup of its Bucket.
func Assign(id, key string, l Layout) int { return l.Lookup(Bucket(id, key)) }

// Sizes is the number of buckets each variant owns.
func (l Layout) Sizes() []int {
	out := make([]int, len(l))
	for v, rs := range l {
		for _, r := range rs {
			out[v] += r.Size()
		}
	}
	return out
}
