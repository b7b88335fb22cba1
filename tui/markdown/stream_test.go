package markdown

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"
)

var dark = Style{Name: "dark", Config: styles.DarkStyleConfig}

// plain is a rendering as a reader sees it: no colour, no padding at the
// ends of lines.
func plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

var documents = []struct{ name, text string }{
	{"paragraphs", "The first paragraph wraps when it grows longer than the column is wide, as model output does.\n\nA second one.\n\nAnd a **third** with `code`.\n"},
	{"headings", "# Title\n\nIntro text.\n\n## Part two\n\nMore text here.\n\n### Small\n\nEnd.\n"},
	{"code fence", "Before.\n\n```go\nfunc main() {\n\n\tfmt.Println(\"hi\")\n}\n```\n\nAfter the code.\n\nLast.\n"},
	{"tilde fence holding backticks", "Start.\n\n~~~\n```\nnot a fence end\n\n```\n~~~\n\nAfter.\n"},
	{"list", "Steps:\n\n- one\n- two\n\n  continued two\n- three\n\nAfter the list.\n\nEnd.\n"},
	{"ordered list", "1. first\n2. second\n\n3. third\n\nText.\n"},
	{"table", "Intro.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter table.\n\nMore.\n"},
	{"quote", "> quoted\n> more\n\nplain\n\n> again\n\nend\n"},
	{"setext", "Title\n=====\n\nText\n\nSub\n---\n\nEnd\n"},
	{"answer", "## Answer\n\nHere is code:\n\n```python\nprint(1)\n```\n\n1. Step one\n2. Step two\n   - nested\n\n> Note: careful\n\nDone, *mostly*.\n\n---\n\nFin.\n"},
	{"html and refs", "Text [x][1].\n\n[1]: http://example.com\n\n<div>\nhi\n</div>\n\nEnd.\n"},
}

// TestStreamMatchesFullRender feeds each document as it would stream in,
// one byte more per call, and checks that every rendering reads the same
// as rendering that much of the text whole.
func TestStreamMatchesFullRender(t *testing.T) {
	r := New(0)
	for _, doc := range documents {
		t.Run(doc.name, func(t *testing.T) {
			for _, width := range []int{30, 80} {
				s := r.NewStream()
				for n := 1; n <= len(doc.text); n++ {
					text := doc.text[:n]
					got := plain(s.Render(dark, width, text))
					want := plain(r.Render(dark, width, text))
					if got != want {
						t.Fatalf("width %d, after %d bytes %q:\nstreamed:\n%s\nwhole:\n%s", width, n, text, got, want)
					}
				}
			}
		})
	}
}

func TestStreamKeepsStablePrefix(t *testing.T) {
	r := New(0)
	s := r.NewStream()
	text := "One.\n\nTwo.\n\nThree\n"
	s.Render(dark, 40, text)
	if s.stable != "One.\n\nTwo.\n\n" {
		t.Fatalf("stable prefix %q", s.stable)
	}
	// Inside an open fence nothing after it is stable.
	text += "\n```\ncode\n\nmore"
	s.Render(dark, 40, text)
	if s.stable != "One.\n\nTwo.\n\nThree\n\n" {
		t.Fatalf("stable prefix inside a fence %q", s.stable)
	}
	// A text that does not extend the last one, or a new width, starts over.
	if out := plain(s.Render(dark, 40, "Other.\n\nText\n")); !strings.Contains(out, "Other.") || s.stable != "Other.\n\n" {
		t.Fatalf("after a different text: %q, stable %q", out, s.stable)
	}
	s.Render(dark, 20, "Other.\n\nText")
	if s.width != 20 {
		t.Fatal("width change not taken")
	}
}

func TestBoundaryRules(t *testing.T) {
	cases := []struct {
		name, text string
		want       string // the stable prefix
	}{
		{"before a partial line", "a\n\nb", "a\n\n"},
		{"not before a partial indented line", "a\n\n ", ""},
		{"after a blank line", "a\n\nb\n", "a\n\n"},
		{"latest cut wins", "a\n\nb\n\nc\n", "a\n\nb\n\n"},
		{"not before an indented line", "a\n\n  b\n", ""},
		{"not after a list item", "- a\n\nb\n", ""},
		{"after a closed list", "- a\n\nb\n\nc\n", "- a\n\nb\n\n"},
		{"not after a table row", "|a|\n\nb\n", ""},
		{"not before a setext underline", "a\n\n---\n", ""},
		{"not inside a fence", "```\na\n\nb\n", ""},
		{"not after a link definition", "[a]: b\n\nc\n\nd\n", ""},
		{"multiple blank lines", "a\n\n\n\nb\n", "a\n\n\n\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cut, _, _ := nextBoundary(c.text, 0, scanState{})
			if got := c.text[:cut]; got != c.want {
				t.Fatalf("stable prefix %q, want %q", got, c.want)
			}
		})
	}
}

func TestRendererCachesByContentWidthAndStyle(t *testing.T) {
	r := New(2)
	light := Style{Name: "light", Config: styles.LightStyleConfig}
	a := r.Render(dark, 40, "# Hi")
	if r.outputs.order.Len() != 1 {
		t.Fatal("output not cached")
	}
	if b := r.Render(dark, 40, "# Hi"); b != a || r.outputs.order.Len() != 1 {
		t.Fatal("same text rendered twice")
	}
	r.Render(light, 40, "# Hi")
	r.Render(dark, 20, "# Hi")
	if r.outputs.order.Len() != 2 || len(r.renderers) != 3 {
		t.Fatalf("outputs %d (max 2), renderers %d (want 3)", r.outputs.order.Len(), len(r.renderers))
	}
	if !strings.Contains(plain(a), "Hi") {
		t.Fatalf("rendered %q", plain(a))
	}
}

// TestRenderConcurrently: a View and a background command may render at
// once; each glamour renderer still renders one text at a time.
func TestRenderConcurrently(t *testing.T) {
	r := New(0)
	done := make(chan string)
	for i := range 8 {
		go func() { done <- plain(r.Render(dark, 40, fmt.Sprintf("# Doc %d\n\ntext %d", i, i))) }()
	}
	for range 8 {
		if out := <-done; !strings.Contains(out, "Doc") {
			t.Fatalf("rendered %q", out)
		}
	}
}

// TestStableLeavesTheTailPlain: Stable renders the finished blocks and
// hands back the rest as it is.
func TestStableLeavesTheTailPlain(t *testing.T) {
	r := New(0)
	s := r.NewStream()
	text := "# Title\n\nFirst **bold** paragraph.\n\nStill *typing"
	lines, rest := s.Stable(dark, 40, text)
	if rest != "Still *typing" {
		t.Fatalf("rest %q", rest)
	}
	if got, want := plain(strings.Join(lines, "\n")), plain(r.Render(dark, 40, "# Title\n\nFirst **bold** paragraph.\n\n")); got != want {
		t.Fatalf("stable lines:\n%s\nwant:\n%s", got, want)
	}
	if lines, rest := s.Stable(dark, 40, "Text [a][1]\n\n[1]: http://x"); lines != nil || rest != "Text [a][1]\n\n[1]: http://x" {
		t.Fatalf("after a link definition: %q, %q", lines, rest)
	}
}
