// Package termtext makes untrusted text (model output, imported files,
// dataset values, provider errors) safe to put on a terminal.
package termtext

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// tabWidth is the distance between tab stops.
const tabWidth = 4

// Control characters the sanitiser treats specially.
const (
	bel = 0x07
	esc = 0x1b
	del = 0x7f

	// C1 controls as Unicode code points (UTF-8 terminals may obey them).
	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
)

// Sanitize returns s with everything a terminal would interpret removed:
// CSI, OSC (BEL or ST terminated), DCS, SOS, PM and APC sequences, other
// escape sequences and lone ESC, C0 controls other than newline and tab,
// DEL and C1 controls. Tabs expand to spaces up to the next multiple of
// four columns; "\r\n" and lone "\r" become "\n"; invalid UTF-8 becomes
// U+FFFD. An unterminated control string swallows the rest of the text, as
// it would on a terminal. Measure widths only after sanitising.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	mark, col := 0, 0 // output offset and column from which the tab column is measured
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == esc:
			i = skipEscape(s, i)
		case r == c1CSI:
			i = skipCSI(s, i+size)
		case r == c1OSC:
			i = skipString(s, i+size, true)
		case r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
			i = skipString(s, i+size, false)
		case r == '\n':
			b.WriteByte('\n')
			mark, col = b.Len(), 0
			i++
		case r == '\r':
			b.WriteByte('\n')
			mark, col = b.Len(), 0
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case r == '\t':
			col += ansi.StringWidth(b.String()[mark:])
			n := tabWidth - col%tabWidth
			b.WriteString("    "[:n])
			mark, col = b.Len(), col+n
			i++
		case r < 0x20 || r == del || (r >= 0x80 && r < 0xa0):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// isClean reports whether s needs no change: printable ASCII, newlines and
// valid UTF-8 outside the C1 range. It spares the common case a copy.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == del {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r < 0xa0) {
			return false
		}
		i += size
	}
	return true
}

// skipEscape returns the index after the escape sequence starting with the
// ESC at s[i]. A lone ESC (at the end, or before a byte no sequence
// continues with) is dropped by itself.
func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']':
		return skipString(s, i+1, true)
	case c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1, false)
	case c >= 0x20 && c <= 0x2f: // nF: intermediates, then a final byte
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j
	case c >= 0x30 && c <= 0x7e: // Fp, Fe, Fs: ESC 7, ESC c, ESC M, …
		return i + 1
	default:
		return i
	}
}

// skipCSI returns the index after a control sequence whose parameters
// start at s[i]: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F,
// one final byte 0x40–0x7E. A byte that fits none of these ends the
// (malformed) sequence and is processed as text.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after a control string (OSC, DCS, SOS, PM,
// APC) whose body starts at s[i]: it ends at ST (ESC \ or U+009C) and, for
// OSC, also at BEL. Unterminated, it runs to the end of s.
func skipString(s string, i int, belEnds bool) int {
	for i < len(s) {
		switch c := s[i]; {
		case c == bel && belEnds:
			return i + 1
		case c == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			// Terminals abort the string at any ESC; the ESC then starts
			// a new sequence.
			return i
		case c == 0xc2 && i+1 < len(s) && s[i+1] == c1ST:
			return i + 2
		default:
			i++
		}
	}
	return i
}
