// Package termtext makes untrusted text (model output, imported files,
// dataset values, provider errors) safe to put on a terminal.
package termtext

import (
	"strings"
	"unicode/utf8"
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
// it would on a terminal. Measure widths only after sanitising. Text that
// arrives in pieces goes through a Stream instead.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var st Stream
	st.feed(&b, s, true)
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
