package workspace

import (
	"testing"
	"time"
)

// BenchmarkPromptAppendJSON: one prompt as `list --json` writes it, of
// the kind the benchmark library holds.
func BenchmarkPromptAppendJSON(b *testing.B) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 85317351, time.UTC)
	p := Prompt{Name: "bench/prompt-00001", Description: "Prompt number 1 of the benchmark library",
		Tags: []string{"purpose:support", "tone:formal"}, Labels: map[string]int{"production": 9, "staging": 10},
		Latest: 10, LatestHash: "86fd2b1c6c5e8b7f0a3e4d2c1b0a99887766554433221100ffeeddccbbaa9988", Model: "openai/gpt-4o-mini",
		Created: when, Updated: when.Add(time.Hour)}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = p.AppendJSON(buf[:0], "  ", "  "); err != nil {
			b.Fatal(err)
		}
	}
}
