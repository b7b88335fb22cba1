// Package exportyaml is the YAML subset export files are written in: a
// writer fast enough for a library of 100,000 versions, and the rules
// (which strings go plain, literal or quoted) that export's own reader
// checks when it reads such a file back.
package exportyaml

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Writer emits the export format's YAML by hand: a generic encoder
// (go-yaml's) takes about 20 s and 3 GB for 10,000 prompts × 10 versions,
// and the format is fixed, so a few rules suffice. Every string is written
// plain when that is unambiguous, as a literal block when it spans lines,
// and double-quoted otherwise; tests check each form against go-yaml's
// decoder.
//
// The zero Writer keeps what is written (String); one from NewWriter passes
// it on to its sink in pieces, so that an export of any size streams in
// little memory.
type Writer struct {
	b    []byte
	sink io.Writer
	err  error
}

// spillSize is how much a streaming Writer holds before passing it on.
const spillSize = 64 << 10

// NewWriter returns a Writer that writes to sink; Flush writes what is
// still held and reports the first write error.
func NewWriter(sink io.Writer) *Writer {
	return &Writer{b: make([]byte, 0, 2*spillSize), sink: sink}
}

// String is what was written since the last Reset (zero Writer).
func (w *Writer) String() string { return string(w.b) }

// Bytes is what the Writer holds, valid until the next write.
func (w *Writer) Bytes() []byte { return w.b }

// Len is how many bytes the Writer holds.
func (w *Writer) Len() int { return len(w.b) }

// Cap is how many bytes the Writer can hold without growing.
func (w *Writer) Cap() int { return cap(w.b) }

// set makes b, which an append to w.b returned, w.b. Storing a pointer
// into the heap costs a write barrier while the collector runs, and an
// export runs it often: every append stored w.b's pointer back, about a
// twentieth of an export's time. Only an append that moved the bytes
// stores it; the others set the length alone.
func (w *Writer) set(b []byte) {
	if unsafe.SliceData(b) == unsafe.SliceData(w.b) && cap(b) == cap(w.b) {
		w.b = w.b[:len(b)]
		return
	}
	w.b = b
}

// Reset drops what was written.
func (w *Writer) Reset() { w.b = w.b[:0] }

// Flush passes everything held on to the sink.
func (w *Writer) Flush() error {
	if w.sink != nil && w.err == nil && len(w.b) > 0 {
		_, w.err = w.sink.Write(w.b)
		w.b = w.b[:0]
	}
	return w.err
}

// WriteThrough writes p as it is, after what the Writer holds: straight
// to the sink when there is one, for pieces written elsewhere (by other
// goroutines) that are already large.
func (w *Writer) WriteThrough(p []byte) error {
	if w.sink == nil {
		w.set(append(w.b, p...))
		return nil
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, w.err = w.sink.Write(p)
	return w.err
}

// spill passes the held bytes on once there are enough of them; it is
// called where a line starts.
func (w *Writer) spill() {
	if w.sink != nil && len(w.b) >= spillSize {
		_ = w.Flush()
	}
}

// Str writes "key:" at indent and the string s.
func (w *Writer) Str(indent int, key, s string) {
	w.KeyPrefix(indent, key)
	w.Scalar(indent, s, true)
}

// KeyPrefix writes "key:" at indent, for a value written next.
func (w *Writer) KeyPrefix(indent int, key string) {
	w.Indent(indent)
	w.set(append(append(w.b, key...), ':'))
}

// Item writes "- " at indent followed by the scalar, never a block.
func (w *Writer) Item(indent int, s string) {
	w.Indent(indent)
	w.set(append(w.b, '-'))
	w.Scalar(indent, s, false)
}

// Int writes "key: n".
func (w *Writer) Int(indent int, key string, n int64) {
	w.KeyPrefix(indent, key)
	w.set(append(strconv.AppendInt(append(w.b, ' '), n, 10), '\n'))
}

// Float writes "key: f", always visibly a float.
func (w *Writer) Float(indent int, key string, f float64) {
	w.KeyPrefix(indent, key)
	w.set(append(w.b, ' '))
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0" // 1 would read back as an integer; keep it visibly a float
	}
	w.set(append(w.b, s...))
	w.set(append(w.b, '\n'))
}

// Bool writes "key: true" or "key: false".
func (w *Writer) Bool(indent int, key string, v bool) {
	w.KeyPrefix(indent, key)
	if v {
		w.set(append(w.b, " true\n"...))
	} else {
		w.set(append(w.b, " false\n"...))
	}
}

// Open writes "key:" alone on its line, for a nested block.
func (w *Writer) Open(indent int, key string) {
	w.KeyPrefix(indent, key)
	w.set(append(w.b, '\n'))
}

// Raw writes s as it is.
func (w *Writer) Raw(s string) {
	w.spill()
	w.set(append(w.b, s...))
}

// Number writes n in decimal.
func (w *Writer) Number(n int64) { w.set(strconv.AppendInt(w.b, n, 10)) }

const spaces = "                                                                "

// Indent writes n spaces.
func (w *Writer) Indent(n int) {
	w.spill()
	for n > len(spaces) {
		w.set(append(w.b, spaces...))
		n -= len(spaces)
	}
	w.set(append(w.b, spaces[:n]...))
}

// Scalar writes " value\n" (or a literal block whose lines are indented
// by indent+2) after a key or dash.
func (w *Writer) Scalar(indent int, s string, block bool) {
	switch {
	case PlainSafe(s):
		w.set(append(append(append(w.b, ' '), s...), '\n'))
	case block && LiteralSafe(s):
		w.literal(indent+2, s)
	default:
		w.set(append(AppendQuoted(append(w.b, ' '), s), '\n'))
	}
}

// literal writes s as a block scalar: "|" keeps one final newline, "|-"
// none, "|+" several; an indentation indicator is added when the first line
// starts with a space, which would otherwise be read as indentation.
func (w *Writer) literal(indent int, s string) {
	body := strings.TrimRight(s, "\n")
	trailing := len(s) - len(body)
	w.set(append(w.b, " |"...))
	if body[0] == ' ' {
		w.set(append(w.b, '2'))
	}
	switch trailing {
	case 0:
		w.set(append(w.b, '-'))
	case 1:
	default:
		w.set(append(w.b, '+'))
	}
	w.set(append(w.b, '\n'))
	for len(body) > 0 {
		line, rest, _ := strings.Cut(body, "\n")
		if line != "" {
			w.Indent(indent)
			w.set(append(w.b, line...))
		}
		w.set(append(w.b, '\n'))
		body = rest
	}
	for range trailing - 1 {
		w.set(append(w.b, '\n'))
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
	if len(s) <= 5 {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf":
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		switch plainBytes[s[i]] {
		case plainAny:
		case plainSpace:
			if i+1 < len(s) && (s[i+1] == '#' || s[i+1] == ' ') {
				return false
			}
		case plainColon:
			if i+1 < len(s) && s[i+1] == ' ' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// What a byte may be in a plain scalar (PlainSafe): every byte of an
// export goes through this test, so it is one table look-up.
const (
	plainNever = iota
	plainAny
	plainSpace // but not before '#' or another space
	plainColon // but not before a space
)

var plainBytes = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			t[c] = plainAny
		case strings.IndexByte("_-/.@()+=;',", byte(c)) >= 0:
			t[c] = plainAny
		case c == ' ':
			t[c] = plainSpace
		case c == ':':
			t[c] = plainColon
		}
	}
	return t
}()

// LiteralSafe tells whether s, which spans lines, can be a literal block:
// only printable text, tabs and newlines, and something besides newlines.
// A line of only spaces, or one ending in spaces or tabs, is kept by the
// spec but mangled by editors: such text is quoted. One pass over the
// bytes, decoding only what is not ASCII.
func LiteralSafe(s string) bool {
	if s == "" || s[0] == '\n' || strings.IndexByte(s, '\n') < 0 {
		return false
	}
	lineStart := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n':
			if i > lineStart && (s[i-1] == ' ' || s[i-1] == '\t') {
				return false
			}
			lineStart = i + 1
		case c == '\t':
		case c < 0x20 || c == 0x7f:
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !Printable(r) {
				return false // also invalid UTF-8, and U+FFFD itself
			}
			i += size - 1
		}
	}
	last := s[lineStart:]
	return last == "" || last[len(last)-1] != ' ' && last[len(last)-1] != '\t'
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
