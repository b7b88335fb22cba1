package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// streamedAnswer is model-like output of about size bytes: paragraphs,
// lists and code blocks.
func streamedAnswer(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "## Part %d\n\n", i)
		case 1:
			b.WriteString("- a point worth making\n- and another one, a little longer than the first\n\n")
		case 2:
			b.WriteString("```go\nfor i := range n {\n\tfmt.Println(i)\n}\n```\n\n")
		}
		b.WriteString("A paragraph of prose that wraps over a few lines of a narrow column, with **bold** and `code`.\n\n")
	}
	return b.String()
}

// BenchmarkStreamFlush is the cost of one flush (about 30 more bytes) of
// a streaming column after size bytes: it stays flat as the text grows,
// where rendering everything again (BenchmarkFullRender) grows with it.
func BenchmarkStreamFlush(b *testing.B) {
	for _, size := range []int{2 << 10, 16 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			text := streamedAnswer(size + 64<<10)
			r := New(0)
			s := r.NewStream()
			s.Render(dark, 60, text[:size])
			n := size
			b.ResetTimer()
			for b.Loop() {
				n += 30
				if n > len(text) {
					b.StopTimer()
					n = size
					s = r.NewStream()
					s.Render(dark, 60, text[:n])
					b.StartTimer()
				}
				s.Lines(dark, 60, text[:n])
			}
		})
	}
}

func BenchmarkFullRender(b *testing.B) {
	for _, size := range []int{2 << 10, 16 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			text := streamedAnswer(size)
			r := New(0)
			for b.Loop() {
				r.render(dark, 60, text)
			}
		})
	}
}
