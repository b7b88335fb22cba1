// Package exportyaml is the YAML subset export files are written in: a
// writer fast enough for a library of 100,000 versions, and the rules
// (which strings go plain, literal or quoted) that export's own reader
// checks when it reads such a file back.
package exportyaml

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Writer emits the export format's YAML by hand: a generic encoder
// (go-yaml's) takes about 20 s and 3 GB for 10,000 prompts × 10 versions,
// and the format is fixed, so a few rules suffice. Every string is written
// plain when that is unambiguous, as a literal block when it spans lines,
// and double-quoted otherwise; tests check each form against go-yaml's
// decoder.
type Writer struct {
	b strings.Builder
}

// String is what was written since the last Reset.
func (w *Writer) String() string { return w.b.String() }

// Reset drops what was written, so that a large export goes out in pieces
// instead of one ever larger buffer.
func (w *Writer) Reset() { w.b = strings.Builder{} }

// Str writes "key:" at indent and the string s.
func (w *Writer) Str(indent int, key, s string) {
	w.KeyPrefix(indent, key)
	w.Scalar(indent, s, true)
}

// KeyPrefix writes "key:" at indent, for a value written next.
func (w *Writer) KeyPrefix(indent int, key string) {
	w.Indent(indent)
	w.b.WriteString(key)
	w.b.WriteByte(':')
}

// Item writes "- " at indent followed by the scalar, never a block.
func (w *Writer) Item(indent int, s string) {
	w.Indent(indent)
	w.b.WriteString("-")
	w.Scalar(indent, s, false)
}

// Int writes "key: n".
func (w *Writer) Int(indent int, key string, n int64) {
	w.KeyPrefix(indent, key)
	w.b.WriteByte(' ')
	w.b.WriteString(strconv.FormatInt(n, 10))
	w.b.WriteByte('\n')
}

// Float writes "key: f", always visibly a float.
func (w *Writer) Float(indent int, key string, f float64) {
	w.KeyPrefix(indent, key)
	w.b.WriteByte(' ')
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0" // 1 would read back as an integer; keep it visibly a float
	}
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

// Bool writes "key: true" or "key: false".
func (w *Writer) Bool(indent int, key string, v bool) {
	w.KeyPrefix(indent, key)
	if v {
		w.b.WriteString(" true\n")
	} else {
		w.b.WriteString(" false\n")
	}
}

// Open writes "key:" alone on its line, for a nested block.
func (w *Writer) Open(indent int, key string) {
	w.KeyPrefix(indent, key)
	w.b.WriteByte('\n')
}

// Raw writes s as it is.
func (w *Writer) Raw(s string) { w.b.WriteString(s) }

// Indent writes n spaces.
func (w *Writer) Indent(n int) {
	for range n {
		w.b.WriteByte(' ')
	}
}

// Scalar writes " value\n" (or a literal block whose lines are indented
// by indent+2) after a key or dash.
func (w *Writer) Scalar(indent int, s string, block bool) {
	switch {
	case PlainSafe(s):
		w.b.WriteByte(' ')
		w.b.WriteString(s)
		w.b.WriteByte('\n')
	case block && LiteralSafe(s):
		w.literal(indent+2, s)
	default:
		w.b.WriteByte(' ')
		w.b.WriteString(Quote(s))
		w.b.WriteByte('\n')
	}
}

// literal writes s as a block scalar: "|" keeps one final newline, "|-"
// none, "|+" several; an indentation indicator is added when the first line
// starts with a space, which would otherwise be read as indentation.
func (w *Writer) literal(indent int, s string) {
	body := strings.TrimRight(s, "\n")
	trailing := len(s) - len(body)
	w.b.WriteString(" |")
	if body[0] == ' ' {
		w.b.WriteString("2")
	}
	switch trailing {
	case 0:
		w.b.WriteByte('-')
	case 1:
	default:
		w.b.WriteByte('+')
	}
	w.b.WriteByte('\n')
	for line := range strings.SplitSeq(body, "\n") {
		if line != "" {
			w.Indent(indent)
			w.b.WriteString(line)
		}
		w.b.WriteByte('\n')
	}
	for range trailing - 1 {
		w.b.WriteByte('\n')
	}
}

// PlainSafe tells whether s reads back as the same string when written
// without quotes: a conservative subset of YAML's plain scalars that leaves
// out anything a resolver could take for a number, bool, null or time.
func PlainSafe(s string) bool {
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
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf":
		return false
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

// LiteralSafe tells whether s, which spans lines, can be a literal block:
// only printable text, tabs and newlines, and something besides newlines.
func LiteralSafe(s string) bool {
	if !strings.Contains(s, "\n") || strings.Trim(s, "\n") == "" || s[0] == '\n' {
		return false
	}
	if !utf8.ValidString(s) {
		return false
	}
	body := strings.TrimRight(s, "\n")
	for line := range strings.SplitSeq(body, "\n") {
		// A line of only spaces, or one ending in spaces or tabs, is
		// kept by the spec but mangled by editors; quote such text.
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

// Printable is YAML's c-printable without the line breaks YAML 1.1
// readers also treat as such.
func Printable(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return false
	case r == 0x2028, r == 0x2029, r == 0xfeff, r == 0x85:
		return false
	case r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff:
		return false
	}
	return r != utf8.RuneError
}

// Quote writes s double-quoted with YAML escapes for every
// non-printable character.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
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
		case r == utf8.RuneError && isInvalidAt(s, i):
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

func isInvalidAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return r == utf8.RuneError && size == 1
}
