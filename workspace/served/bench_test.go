package served_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"promptbench/workspace/served"
)

// writeLargeFile writes an export file of prompts × versions in export's
// layout, each version about 1 KB with five variables: the shape of the
// 10,000 × 10 library the workbench's own benchmarks use.
func writeLargeFile(b *testing.B, prompts, versions int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "prompts.yaml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "schema: promptbench/v1\ntaxonomy:\n  strict: false\n  facets: {}\nprompts:\n")
	for p := range prompts {
		fmt.Fprintf(w, "- name: team-%d/prompt-%d\n  description: Benchmark prompt %d\n  created: \"2026-09-01T09:30:00Z\"\n  tags:\n  - purpose:support\n", p%100, p, p)
		fmt.Fprintf(w, "  labels:\n    production:\n      version: %d\n  versions:\n", versions)
		for v := 1; v <= versions; v++ {
			fmt.Fprintf(w, "  - number: %d\n    hash: \"%064x\"\n", v, p*100+v)
			if v > 1 {
				fmt.Fprintf(w, "    parent: %d\n", v-1)
			}
			fmt.Fprintf(w, "    author: alice\n    time: \"2026-09-01T09:30:00Z\"\n    message: Version %d\n    model: openai/gpt-4o-mini\n    temperature: 0.3\n    messages:\n    - role: system\n      content: |-\n", v)
			fmt.Fprint(w, kilobyteTemplate("        "))
			fmt.Fprintf(w, "    - role: user\n      content: \"{{ticket}}\"\n")
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// kilobyteTemplate is a system prompt of about 1 KB using company,
// customer.name, product and tier, indented for a literal block.
func kilobyteTemplate(indent string) string {
	lines := []string{
		"You are a senior support agent for {{company}}, answering {{customer.name}} about {{product}}.",
		"The customer is on the {{tier}} plan; mention plan limits only when they matter to the question.",
	}
	for len(strings.Join(lines, "\n")) < 1000 {
		lines = append(lines, "Keep answers short, specific and kind; offer one next step, never blame the customer.")
	}
	return indent + strings.Join(lines, "\n"+indent) + "\n"
}

var benchVars = map[string]any{"company": "Acme", "customer": map[string]any{"name": "Ann"}, "product": "Widgets", "tier": "pro", "ticket": "It broke."}

// BenchmarkLoad10kPrompts loads files of 10,000 prompts with 1 and with
// 10 versions each and reports the heap the loaded library keeps.
func BenchmarkLoad10kPrompts(b *testing.B) {
	for _, versions := range []int{1, 10} {
		b.Run(fmt.Sprintf("versions=%d", versions), func(b *testing.B) { benchmarkLoad(b, 10_000, versions) })
	}
}

func benchmarkLoad(b *testing.B, prompts, versions int) {
	path := writeLargeFile(b, prompts, versions)
	fi, _ := os.Stat(path)
	b.ResetTimer()
	var lib *served.Library
	for b.Loop() {
		var err error
		if lib, err = served.Open(path, served.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
	runtime.KeepAlive(lib)
}

// BenchmarkRenderByLabel renders the production version (about 1 KB, one
// include-free system message and a user message) of one prompt.
func BenchmarkRenderByLabel(b *testing.B) {
	path := writeLargeFile(b, 1_000, 3)
	lib, err := served.Open(path, served.Options{})
	if err != nil {
		b.Fatal(err)
	}
	r, err := lib.Render("team-7/prompt-507", benchVars)
	if err != nil || len(r.Messages[0].Content) < 1000 {
		b.Fatalf("%v, %d bytes", err, len(r.Messages[0].Content))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lib.Render("team-7/prompt-507", benchVars); err != nil {
			b.Fatal(err)
		}
	}
}
