package stats

import "testing"

// BenchmarkComparePassFail100k compares two variants over 100,000 paired
// pass/fail cases: the report's cost for the largest runs.
func BenchmarkComparePassFail100k(b *testing.B) {
	const n = 100_000
	a, c := make([]bool, n), make([]bool, n)
	for i := range n {
		a[i], c[i] = i%3 != 0, i%4 != 0
	}
	for b.Loop() {
		ComparePassFail("exact", "a", "b", a, c, Options{Seed: 1})
	}
}

// BenchmarkCompareScores100k is the same over numeric scores with ties.
func BenchmarkCompareScores100k(b *testing.B) {
	const n = 100_000
	a, c := make([]float64, n), make([]float64, n)
	for i := range n {
		a[i], c[i] = float64(i%10)/10, float64(i%7)/7
	}
	for b.Loop() {
		CompareScores("similarity:0.5", "a", "b", a, c, Options{Seed: 1})
	}
}
