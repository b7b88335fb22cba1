package termtext

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// state is where the sanitiser is in its input: in text, or inside an
// escape sequence or control string that began in an earlier piece.
type state uint8

const (
	ground   state = iota // text
	escape                // after ESC
	escInter              // ESC followed by intermediate bytes (nF)
	csi                   // a control sequence's parameters
	ctrlStr               // OSC, DCS, SOS, PM or APC body
	ctrlEsc               // ESC inside a control string: ST or an abort
	ctrlC2                // 0xC2 inside a control string: maybe U+009C (ST)
)

// Stream sanitises text that arrives in pieces, such as a model's streamed
// answer: it keeps its place between pieces, so an escape sequence, a UTF-8
// character or a "\r\n" split across two pieces is treated as if it had
// come whole. The concatenation of Feed's results and Flush equals Sanitize
// of the concatenated pieces, whatever the split. The zero value is ready.
type Stream struct {
	st      state
	belEnds bool    // the control string is an OSC, which BEL also ends
	skipLF  bool    // a "\r" was just written as "\n"; a following "\n" belongs to it
	pend    [4]byte // the start of a UTF-8 character the piece cut short
	npend   int
	// seg is what was written since the last newline or tab stop (col):
	// a tab is measured from there, and graphemes may span pieces.
	seg []byte
	col int
}

// Feed sanitises the next piece and returns what can be shown of it now.
// Bytes it cannot judge yet (a partial UTF-8 character) wait for the next
// piece or Flush.
func (s *Stream) Feed(piece string) string {
	if s.st == ground && s.npend == 0 && !s.skipLF && isClean(piece) {
		// The common case: plain text, returned as is.
		if i := strings.LastIndexByte(piece, '\n'); i >= 0 {
			s.seg, s.col = append(s.seg[:0], piece[i+1:]...), 0
		} else {
			s.seg = append(s.seg, piece...)
		}
		return piece
	}
	var b strings.Builder
	b.Grow(len(piece) + s.npend)
	s.feed(&b, piece, false)
	return b.String()
}

// Flush ends the stream: a partial UTF-8 character left over becomes
// U+FFFD per byte, as Sanitize does at the end of its input, and an
// unterminated sequence is dropped. The Stream is then ready for a new one.
func (s *Stream) Flush() string {
	var b strings.Builder
	s.feed(&b, "", true)
	*s = Stream{seg: s.seg[:0]}
	return b.String()
}

// feed runs the sanitiser over the pending bytes and in, writing to b. With
// final set nothing is held back for a later piece.
func (s *Stream) feed(b *strings.Builder, in string, final bool) {
	if s.npend > 0 {
		in = string(s.pend[:s.npend]) + in
		s.npend = 0
	}
	mark, carried := 0, true // b's offset of the column mark; seg still counts
	for i := 0; i < len(in); {
		c := in[i]
		switch s.st {
		case ground:
			if s.skipLF {
				s.skipLF = false
				if c == '\n' {
					i++
					continue
				}
			}
			if c >= utf8.RuneSelf && !final && !utf8.FullRuneInString(in[i:]) {
				s.npend = copy(s.pend[:], in[i:])
				i = len(in)
				continue
			}
			r, size := utf8.DecodeRuneInString(in[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b.WriteRune(utf8.RuneError)
			case r == esc:
				s.st = escape
			case r == c1CSI:
				s.st = csi
			case r == c1OSC:
				s.st, s.belEnds = ctrlStr, true
			case r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
				s.st, s.belEnds = ctrlStr, false
			case r == '\n' || r == '\r':
				b.WriteByte('\n')
				mark, carried, s.col = b.Len(), false, 0
				s.skipLF = r == '\r'
			case r == '\t':
				seg := b.String()[mark:]
				if carried {
					seg = string(s.seg) + seg
				}
				s.col += ansi.StringWidth(seg)
				n := tabWidth - s.col%tabWidth
				b.WriteString("    "[:n])
				mark, carried, s.col = b.Len(), false, s.col+n
			case r < 0x20 || r == del || (r >= 0x80 && r < 0xa0):
				// other controls are dropped
			default:
				b.WriteString(in[i : i+size])
			}
			i += size
		case escape:
			s.st = ground
			switch {
			case c == '[':
				s.st = csi
			case c == ']':
				s.st, s.belEnds = ctrlStr, true
			case c == 'P' || c == 'X' || c == '^' || c == '_':
				s.st, s.belEnds = ctrlStr, false
			case c >= 0x20 && c <= 0x2f:
				s.st = escInter
			case c >= 0x30 && c <= 0x7e: // Fp, Fe, Fs: ESC 7, ESC c, ESC M, …
			default:
				continue // a lone ESC: c is text again
			}
			i++
		case escInter:
			switch {
			case c >= 0x20 && c <= 0x2f:
			case c >= 0x30 && c <= 0x7e:
				s.st = ground
			default:
				s.st = ground
				continue
			}
			i++
		case csi:
			// Parameter and intermediate bytes, then one final byte; any
			// other byte ends the (malformed) sequence and is text again.
			switch {
			case c >= 0x20 && c <= 0x3f:
			case c >= 0x40 && c <= 0x7e:
				s.st = ground
			default:
				s.st = ground
				continue
			}
			i++
		case ctrlStr:
			switch {
			case c == bel && s.belEnds:
				s.st = ground
			case c == esc:
				s.st = ctrlEsc
			case c == 0xc2:
				s.st = ctrlC2
			}
			i++
		case ctrlEsc:
			if c == '\\' {
				s.st = ground
				i++
				continue
			}
			// Terminals abort the string at any ESC; the ESC then starts a
			// new sequence, which c continues.
			s.st = escape
		case ctrlC2:
			if c == c1ST {
				s.st = ground
				i++
				continue
			}
			s.st = ctrlStr
		}
	}
	tail := b.String()[mark:]
	if !carried {
		s.seg = s.seg[:0]
	}
	s.seg = append(s.seg, tail...)
}
