package exportyaml

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// The rune-by-rune forms Quote and LiteralSafe had before they were made
// fast: export files must keep their bytes, so the fast forms are checked
// against them.

func referenceQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError && func() bool { r, size := utf8.DecodeRuneInString(s[i:]); return r == utf8.RuneError && size == 1 }():
			b.WriteString(`\ufffd`)
		case Printable(r) || r == utf8.RuneError:
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func referenceLiteralSafe(s string) bool {
	if !strings.Contains(s, "\n") || strings.Trim(s, "\n") == "" || s[0] == '\n' {
		return false
	}
	if !utf8.ValidString(s) {
		return false
	}
	body := strings.TrimRight(s, "\n")
	for line := range strings.SplitSeq(body, "\n") {
		if line != "" && strings.TrimRight(line, " \t") != line {
			return false
		}
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if !Printable(r) {
			return false
		}
	}
	return true
}

var quoteCases = []string{
	"", "plain", `say "hi"`, `back\slash`, "tab\there", "nl\nnl", "\x00\x01\x1f\x7f", "é ü 日本 🎉",
	"\u2028\u2029\ufeff\u0085", "\ufffd valid replacement", "bad \xff\xfe utf8", "\xed\xa0\x80 surrogate",
	"\U0001F600 \U000E0001 \U0010FFFF", "\u009f\u00a0", "a\r\nb", "trailing \n", "x\t\n", " \n",
	"line one\nline two\n\n", "ok\nends with space ", "ok\nends with tab\t", "\n\nx", "x\n", "x\ny\n\n\n",
	"\uffff\ufffe", strings.Repeat("long é ", 300),
}

func TestQuoteMatchesReference(t *testing.T) {
	for _, s := range quoteCases {
		if got, want := Quote(s), referenceQuote(s); got != want {
			t.Errorf("Quote(%q) = %s, want %s", s, got, want)
		}
		if got, want := LiteralSafe(s), referenceLiteralSafe(s); got != want {
			t.Errorf("LiteralSafe(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzQuoteMatchesReference(f *testing.F) {
	for _, s := range quoteCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Quote(s), referenceQuote(s); got != want {
			t.Fatalf("Quote(%q) = %s, want %s", s, got, want)
		}
		if got, want := LiteralSafe(s), referenceLiteralSafe(s); got != want {
			t.Fatalf("LiteralSafe(%q) = %v, want %v", s, got, want)
		}
	})
}

// referencePlainSafe is PlainSafe before its byte test became a table.
func referencePlainSafe(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	first := s[0]
	if !(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_' || first == '/') {
		return false
	}
	if s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	if len(s) <= 5 {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf":
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_' || c == '-' || c == '/' || c == '.' || c == '@' || c == '(' || c == ')' || c == '+' || c == '=' || c == ';' || c == '\'':
		case c == ' ':
			if i+1 < len(s) && (s[i+1] == '#' || s[i+1] == ' ') {
				return false
			}
		case c == ':':
			if i+1 < len(s) && s[i+1] == ' ' {
				return false
			}
		case c == ',':
		default:
			return false
		}
	}
	return true
}

func TestPlainSafeMatchesReference(t *testing.T) {
	for a := range 256 {
		for b := range 256 {
			for _, s := range []string{string([]byte{'x', byte(a), byte(b)}), string([]byte{byte(a), byte(b), 'x'}), string([]byte{'a', byte(a)})} {
				if got, want := PlainSafe(s), referencePlainSafe(s); got != want {
					t.Fatalf("PlainSafe(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
}
