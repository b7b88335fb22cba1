package workspace

import "testing"

// BenchmarkVisitPromptRecord: one record of the benchmark library decoded
// as `list` decodes it (EachPrompt: in place, nothing kept).
func BenchmarkVisitPromptRecord(b *testing.B) {
	rec := []byte(`{"name":"bench/prompt-00000","description":"Prompt number 0 of the benchmark library","tags":["purpose:support","tone:formal"],"labels":{"production":10,"staging":10},"latest":10,"latest_hash":"36c05b9a4bffe26086a134f0972e1e73da55c6b3cca8ef13d3050a255c6cd371","model":"openai/gpt-4o-mini","created":"2026-11-30T13:38:41.521859053Z","updated":"2026-11-30T13:38:48.194153919Z"}`)
	name := []byte("bench/prompt-00000")
	n := 0
	l := promptListing{wanted: func(*Prompt) bool { return true }, visit: func(p *Prompt) error { n += p.Latest; return nil }}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.add(name, rec); err != nil {
			b.Fatal(err)
		}
	}
	if n == 0 {
		b.Fatal("nothing visited")
	}
}
