package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello, world", "hello, world"},
		{"unicode kept", "héllo — 日本語 🎉", "héllo — 日本語 🎉"},
		{"newline kept", "a\nb\n", "a\nb\n"},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"lone cr", "a\rb", "a\nb"},
		{"cr cr lf", "a\r\r\nb", "a\n\nb"},
		{"tab at start", "\tx", "    x"},
		{"tab to next stop", "ab\tc", "ab  c"},
		{"tab at stop", "abcd\te", "abcd    e"},
		{"two tabs", "a\tb\tc", "a   b   c"},
		{"tab after wide rune", "日\tx", "日  x"},
		{"tab column resets on newline", "abc\n\tx", "abc\n    x"},
		{"sgr colour", "\x1b[31mred\x1b[0m", "red"},
		{"csi cursor", "a\x1b[2J\x1b[Hb", "ab"},
		{"csi private", "\x1b[?1049hx", "x"},
		{"csi with intermediate", "\x1b[1 qx", "x"},
		{"csi malformed", "\x1b[12\x07x", "x"},
		{"csi unterminated", "ab\x1b[12", "ab"},
		{"osc bel", "\x1b]0;title\x07text", "text"},
		{"osc st", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"osc c1 st", "\x1b]0;t\u009cok", "ok"},
		{"osc unterminated", "ok\x1b]0;title", "ok"},
		{"osc aborted by esc", "\x1b]0;t\x1b[31mred", "red"},
		{"osc 52 clipboard", "\x1b]52;c;ZXZpbA==\x07safe", "safe"},
		{"dcs", "\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"apc", "\x1b_Gf=100;AAAA\x1b\\after", "after"},
		{"pm", "\x1b^secret\x1b\\after", "after"},
		{"sos", "\x1bXsecret\x1b\\after", "after"},
		{"dcs ignores bel", "\x1bPa\x07b\x1b\\c", "c"},
		{"lone esc at end", "abc\x1b", "abc"},
		{"lone esc before text", "\x1b\x01abc", "abc"},
		{"esc reset", "\x1bcabc", "abc"},
		{"esc charset", "\x1b(Babc", "abc"},
		{"esc esc csi", "\x1b\x1b[31mx", "x"},
		{"c0 dropped", "a\x00b\x07c\x08d\x0be\x0cf", "abcdef"},
		{"del dropped", "a\x7fb", "ab"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", "ab"},
		{"c1 dcs", "a\u0090x\u009cb", "ab"},
		{"c1 other dropped", "a\u0085b\u0084c", "abc"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"raw 8-bit csi", "a\x9b31mb", "a\ufffd31mb"},
		{"truncated utf8", "a\xe6\x97", "a\ufffd\ufffd"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSanitizeCleanInputNotCopied(t *testing.T) {
	s := strings.Repeat("clean text ✓\n", 100)
	if allocs := testing.AllocsPerRun(10, func() { Sanitize(s) }); allocs != 0 {
		t.Errorf("clean input allocated %v times", allocs)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{
		"plain", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07", "\x1bPq\x1b\\", "a\tb\r\nc\r",
		"\u009b31m", "\u009d0;x\u009c", "\xff\xfe", "\x1b", "\x1b\x1b[", "日\t本", "\x1b]8;;u\x1b\\l",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out: %q", out)
		}
		for _, r := range out {
			switch {
			case r == '\n':
			case r < 0x20 || r == 0x7f:
				t.Fatalf("control %U in output %q (input %q)", r, out, in)
			case r >= 0x80 && r < 0xa0:
				t.Fatalf("C1 control %U in output %q (input %q)", r, out, in)
			}
		}
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q -> %q", out, again)
		}
	})
}
