package exportyaml

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// Quote writes s double-quoted with YAML escapes for every
// non-printable character.
func Quote(s string) string { return string(AppendQuoted(make([]byte, 0, len(s)+2), s)) }

// AppendQuoted appends s double-quoted as Quote does: runs of printable
// ASCII are copied whole, and only other bytes are looked at one by one.
func AppendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		i += keptRun(s[i:])
		if i >= len(s) {
			break
		}
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, `\"`...)
			case '\\':
				b = append(b, `\\`...)
			case '\n':
				b = append(b, `\n`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = appendEscape(b, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case Printable(r) || r == utf8.RuneError:
			i += size // kept as it is, with the run
			continue
		default:
			b = append(b, s[start:i]...)
			b = appendEscape(b, r)
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// keptRun is the length of the run of bytes s starts with that a quoted
// string keeps as they are (printable ASCII but '"' and '\\'), found eight
// bytes at a time, as far as the last whole word of s: every string an
// export quotes goes through it.
func keptRun(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	i := 0
	for ; i+8 <= len(b); i += 8 {
		v := binary.LittleEndian.Uint64(b[i:])
		quote, backslash, del := v^('"'*ones), v^('\\'*ones), v^(0x7f*ones)
		// The usual zero-byte test on each: it marks the first byte that
		// is what is looked for (later ones may be marked wrongly).
		m := ((quote-ones)&^quote | (backslash-ones)&^backslash | (del-ones)&^del | (v-0x20*ones)&^v | v) & highs
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	return i
}

// appendEscape appends \uXXXX, or \UXXXXXXXX beyond the BMP, in lower-case
// hex.
func appendEscape(b []byte, r rune) []byte {
	const hexDigits = "0123456789abcdef"
	digits := 4
	if r <= 0xffff {
		b = append(b, `\u`...)
	} else {
		b = append(b, `\U`...)
		digits = 8
	}
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, hexDigits[(r>>uint(shift))&0xf])
	}
	return b
}
