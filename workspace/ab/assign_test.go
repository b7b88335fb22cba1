package ab

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The README's test vectors (Experiments, "Assignment"): another
// implementation of Bucket must give the same buckets.
func TestBucketVectors(t *testing.T) {
	l, err := Initial([]int{90, 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, key string
		bucket  int
		variant int
	}{
		{"reply-tone", "user-1", 5715, 0},
		{"reply-tone", "user-2", 509, 0},
		{"reply-tone", "user-3", 199, 0},
		{"reply-tone", "user-42", 2684, 0},
		{"reply-tone", "alice@example.com", 9138, 1},
		{"reply-tone", "", 1351, 0},
		{"reply-tone", "ünïcode", 3632, 0},
		{"checkout", "user-1", 1590, 0},
	} {
		b := Bucket(c.id, c.key)
		if b != c.bucket || l.Lookup(b) != c.variant {
			t.Errorf("Bucket(%q, %q) = %d → variant %d, want %d → %d", c.id, c.key, b, l.Lookup(b), c.bucket, c.variant)
		}
	}
}

func TestBucketIsStableAndSalted(t *testing.T) {
	if Bucket("a", "user-1") != Bucket("a", "user-1") {
		t.Fatal("the same key got two buckets")
	}
	same := 0
	for i := range 1000 {
		k := fmt.Sprint("user-", i)
		if Bucket("exp-a", k) == Bucket("exp-b", k) {
			same++
		}
	}
	if same > 5 {
		t.Errorf("%d of 1,000 keys share their bucket across two experiments: the id does not salt the hash", same)
	}
	// The zero byte keeps ("ab", "c") and ("a", "bc") apart.
	if Bucket("ab", "c") == Bucket("a", "bc") {
		t.Error(`("ab","c") and ("a","bc") hash alike`)
	}
}

// TestSplitMatchesWeights: 1,000,000 keys split 90/10 within sampling
// error (chi-square goodness of fit, as R's chisq.test(counts, p = c(.9, .1))).
func TestSplitMatchesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 keys")
	}
	l, _ := Initial([]int{90, 10})
	counts, p := split(l, []int{90, 10}, 1_000_000)
	t.Logf("1,000,000 keys: %v, chi-square p = %.3f", counts, p)
	if p < 0.001 {
		t.Errorf("split %v of 1,000,000 keys does not match 90/10: chi-square p = %g", counts, p)
	}
}

// split assigns n keys and tests the counts against the weights.
func split(l Layout, weights []int, n int) ([]int, float64) {
	counts := make([]int, len(l))
	for i := range n {
		counts[Assign("reply-tone", fmt.Sprint("user-", i), l)]++
	}
	chi := 0.0
	for v, c := range counts {
		e := float64(n) * float64(weights[v]) / 100
		chi += (float64(c) - e) * (float64(c) - e) / e
	}
	return counts, distuv.ChiSquared{K: float64(len(l) - 1)}.Survival(chi)
}

// TestRaisingAWeightOnlyMovesKeysIntoIt checks the property on random
// sequences of weight changes over every bucket: a key changes variant
// only from one that shrank to one that grew, and a variant whose weight
// stays keeps exactly its buckets.
func TestRaisingAWeightOnlyMovesKeysIntoIt(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		k := 2 + rng.IntN(3)
		w := randomWeights(rng, k)
		l, err := Initial(w)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			nw := randomWeights(rng, k)
			nl, err := Rebalance(l, nw)
			if err != nil {
				t.Fatal(err)
			}
			if err := nl.Valid(); err != nil {
				t.Fatalf("trial %d: %v → %v: %v", trial, w, nw, err)
			}
			if got := nl.Sizes(); fmt.Sprint(got) != fmt.Sprint(scaled(nw)) {
				t.Fatalf("trial %d: sizes %v, want %v", trial, got, scaled(nw))
			}
			for b := range Buckets {
				from, to := l.Lookup(b), nl.Lookup(b)
				if from == to {
					continue
				}
				if nw[from] >= w[from] || nw[to] <= w[to] {
					t.Fatalf("trial %d: %v → %v moved bucket %d from variant %d (%d→%d%%) to %d (%d→%d%%)", trial, w, nw, b, from, w[from], nw[from], to, w[to], nw[to])
				}
			}
			l, w = nl, nw
		}
	}
}

func randomWeights(rng *rand.Rand, k int) []int {
	w := make([]int, k)
	left := 100
	for i := range k - 1 {
		w[i] = rng.IntN(left + 1)
		left -= w[i]
	}
	w[k-1] = left
	rng.Shuffle(k, func(i, j int) { w[i], w[j] = w[j], w[i] })
	return w
}

func scaled(w []int) []int {
	out := make([]int, len(w))
	for i, x := range w {
		out[i] = x * BucketsPerPercent
	}
	return out
}

func TestWeightsMustSumTo100(t *testing.T) {
	for _, w := range [][]int{{90, 20}, {50, 49}, {-10, 110}, {}} {
		if _, err := Initial(w); err == nil {
			t.Errorf("Initial(%v) accepted", w)
		}
	}
}

func BenchmarkAssign(b *testing.B) {
	l, _ := Initial([]int{90, 10})
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("user-%08d", i*7919)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Assign("support-reply-tone", keys[i&1023], l)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mkeys/s")
}
