package dataset

import (
	"fmt"
	"strings"
	"testing"
)

// benchRows is a dataset of n ticket-like rows in format f.
func benchRows(f Format, n int) string {
	var b strings.Builder
	switch f {
	case CSV:
		b.WriteString("id,customer.name,ticket,expected\n")
		for i := range n {
			fmt.Fprintf(&b, "t%d,Ana,\"I was charged twice for invoice %d, please refund.\",billing\n", i, i)
		}
	case JSONL:
		for i := range n {
			fmt.Fprintf(&b, "{\"id\": \"t%d\", \"customer\": {\"name\": \"Ana\"}, \"ticket\": \"I was charged twice for invoice %d, please refund.\", \"expected\": \"billing\"}\n", i, i)
		}
	case JSON:
		b.WriteString("[\n")
		for i := range n {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "{\"id\": \"t%d\", \"customer\": {\"name\": \"Ana\"}, \"ticket\": \"I was charged twice for invoice %d, please refund.\", \"expected\": \"billing\"}", i, i)
		}
		b.WriteString("\n]\n")
	}
	return b.String()
}

// BenchmarkDecode reads 100,000 rows per op; rows/s is the figure.
func BenchmarkDecode(b *testing.B) {
	const n = 100_000
	for _, f := range []Format{JSONL, CSV, JSON} {
		src := benchRows(f, n)
		b.Run(string(f), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				count := 0
				for _, err := range Decode("bench", f, strings.NewReader(src)) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count != n {
					b.Fatalf("%d rows", count)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
