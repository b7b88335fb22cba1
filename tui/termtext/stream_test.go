package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// feedAll sanitises pieces through one Stream and joins what it returned.
func feedAll(pieces ...string) string {
	var st Stream
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(st.Feed(p))
	}
	b.WriteString(st.Flush())
	return b.String()
}

// TestStreamSplitAnywhere cuts sequences a model (or an attacker behind
// one) may send at every byte and checks that no payload leaks as text.
func TestStreamSplitAnywhere(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"osc 52 clipboard, bel", "a\x1b]52;c;SGVsbG8=\x07b", "ab"},
		{"window title, st", "a\x1b]0;title\x1b\\b", "ab"},
		{"hyperlink", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"sgr", "x\x1b[31mred\x1b[0m", "xred"},
		{"csi private", "\x1b[?1049hx", "x"},
		{"dcs", "\x1bPq#0;2\x1b\\after", "after"},
		{"apc", "\x1b_Gf=100;AAAA\x1b\\after", "after"},
		{"pm and sos", "\x1b^p\x1b\\\x1bXs\x1b\\after", "after"},
		{"c1 osc in utf-8, c1 st", "a\u009d0;t\u009cb", "ab"},
		{"c1 csi in utf-8", "a\u009b31mb", "ab"},
		{"raw c1 byte", "a\x9b31mb", "a\ufffd31mb"},
		{"lone esc", "a\x1b\x01b", "ab"},
		{"esc charset", "\x1b(Babc", "abc"},
		{"osc aborted by csi", "\x1b]0;t\x1b[31mred", "red"},
		{"multi-byte utf-8", "héllo 日本語 🎉", "héllo 日本語 🎉"},
		{"crlf", "a\r\nb\r\n\r\nc", "a\nb\n\nc"},
		{"lone cr", "a\rb\r", "a\nb\n"},
		{"tabs after wide runes", "日本\tx\n🎉\ty", "日本    x\n🎉  y"},
		{"invalid utf-8", "a\xe6\x97b\xff", "a\ufffd\ufffdb\ufffd"},
		{"truncated utf-8 at the end", "a\xf0\x9f\x8e", "a\ufffd\ufffd\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Fatalf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := 0; i <= len(tt.in); i++ {
				if got := feedAll(tt.in[:i], tt.in[i:]); got != tt.want {
					t.Fatalf("split at %d (%q | %q): %q, want %q", i, tt.in[:i], tt.in[i:], got, tt.want)
				}
			}
			bytewise := make([]string, len(tt.in))
			for i := 0; i < len(tt.in); i++ {
				bytewise[i] = tt.in[i : i+1]
			}
			if got := feedAll(bytewise...); got != tt.want {
				t.Fatalf("byte by byte: %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamShowsTextAsItArrives(t *testing.T) {
	var st Stream
	if got := st.Feed("Hello, "); got != "Hello, " {
		t.Fatalf("plain piece held back: %q", got)
	}
	if got := st.Feed("wor\x1b]0;ti"); got != "wor" {
		t.Fatalf("text before a split sequence: %q", got)
	}
	if got := st.Feed("tle\x07ld\r"); got != "ld\n" {
		t.Fatalf("after the sequence ends: %q", got)
	}
	if got := st.Feed("\n\xe6\x97"); got != "" {
		t.Fatalf("a cut character is shown only when whole: %q", got)
	}
	if got := st.Feed("\xa5!"); got != "日!" {
		t.Fatalf("the character completed: %q", got)
	}
	if got := st.Flush(); got != "" {
		t.Fatalf("Flush = %q", got)
	}
	if got := st.Feed("\x1b]0;x"); got != "" {
		t.Fatalf("after Flush: %q", got)
	}
	st.Flush()
	if got := st.Feed("new"); got != "new" {
		t.Fatalf("Flush did not reset the stream: %q", got)
	}
}

// chunk cuts in into pieces whose lengths come from cuts (1 to 7 bytes
// each, cycling; a 0 adds an empty piece before a 1-byte one), so the
// fuzzer explores splits as well as inputs.
func chunk(in string, cuts []byte) []string {
	if len(cuts) == 0 {
		return []string{in}
	}
	var pieces []string
	for i, k := 0, 0; i < len(in); k++ {
		n := int(cuts[k%len(cuts)] % 8)
		if n == 0 {
			pieces = append(pieces, "")
			n = 1
		}
		n = min(n, len(in)-i)
		pieces = append(pieces, in[i:i+n])
		i += n
	}
	return pieces
}

func FuzzStream(f *testing.F) {
	for _, seed := range []string{
		"\x1b]52;c;SGVsbG8=\x07", "\x1b]0;title\x1b\\", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\x1b[31m",
		"日本語🎉", "a\r\nb\r", "a\tb\t日\tc", "\u009d0;x\u009c", "\xff\xe6\x97", "\x1bPq\x1b\\", "\x1b(B\x1b\x1b[",
	} {
		f.Add(seed, []byte{1})
		f.Add(seed, []byte{3, 0, 2})
	}
	f.Fuzz(func(t *testing.T, in string, cuts []byte) {
		want := Sanitize(in)
		got := feedAll(chunk(in, cuts)...)
		if got != want {
			t.Fatalf("pieces %q: %q, Sanitize of the whole %q", chunk(in, cuts), got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 out: %q", got)
		}
		for _, r := range got {
			if r != '\n' && (r < 0x20 || r == del || r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U in output %q (input %q)", r, got, in)
			}
		}
	})
}
