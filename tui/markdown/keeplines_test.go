package markdown

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestKeepLinesKeepsEveryLineBreak(t *testing.T) {
	r := New(8)
	text := "Answer the ticket.\nBe brief.\nSign as {{agent}}."
	flowed := ansi.Strip(r.Render(dark, 60, text))
	kept := ansi.Strip(r.Render(Style{Name: "dark/lines", Config: dark.Config, KeepLines: true}, 60, text))
	if strings.Count(strings.TrimSpace(flowed), "\n") != 0 {
		t.Fatalf("a paragraph's lines should flow together:\n%s", flowed)
	}
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(kept, line+" ") && !strings.HasSuffix(strings.TrimRight(kept, " "), line) && !strings.Contains(kept, line+"\n") {
			t.Fatalf("line %q not kept as a line:\n%s", line, kept)
		}
	}
	if n := strings.Count(strings.TrimSpace(kept), "\n"); n != 2 {
		t.Fatalf("KeepLines gave %d line breaks, want 2:\n%s", n, kept)
	}
}
