package termtext

import (
	"strings"
	"testing"
)

func TestVisibleSpace(t *testing.T) {
	show := func(runs []Run) string {
		var b strings.Builder
		for _, r := range runs {
			if r.Mark {
				b.WriteString("[" + r.Text + "]")
			} else {
				b.WriteString(r.Text)
			}
		}
		return b.String()
	}
	for _, tc := range []struct{ in, want string }{
		{"plain line", "plain line"},
		{"crlf\r", "crlf[␍]"},
		{"a\tb", "a[→  ]b"},        // a tab after one column pads to the stop at 4
		{"abcd\tb", "abcd[→   ]b"}, // at a stop: a whole tab's width
		{"end  ", "end[·][·]"},     // trailing spaces, not inner ones
		{"in ner", "in ner"},
		{"\x1b[31mred\r", "red[␍]"}, // text runs pass through show: no escape survives
	} {
		got := show(VisibleSpace(tc.in, Sanitize))
		if got != tc.want {
			t.Errorf("VisibleSpace(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkSpace(t *testing.T) {
	for in, want := range map[string]string{
		" word ": "·word·",
		"a b":    "a b",
		"\tx\r":  "→x␍",
		"":       "",
	} {
		if got := MarkSpace(in); got != want {
			t.Errorf("MarkSpace(%q) = %q, want %q", in, got, want)
		}
	}
}
