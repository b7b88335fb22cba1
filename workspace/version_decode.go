package workspace

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// decodeVersionFast decodes a version record laid out as encoding/json
// writes one (commit.go): an export decodes every version of the library,
// and this takes a fraction of goccy/go-json's time. ok is false for
// anything it does not expect — unknown keys, white space, a \u escape
// of a surrogate, bytes that are not UTF-8 — which DecodeVersion then
// hands to goccy/go-json: the fast path can decline, never decode
// differently (a fuzz test holds it to that).
func decodeVersionFast(b []byte) (v Version, ok bool) {
	return decodeVersionWith(&promptScanner{b: b}, nil)
}

// hashedParts are where a record's "messages" and "config" values stand
// in its bytes, found while decoding it, for recordHashMatches; keys is
// the record's keys (versionKeyBit), and dup tells that one came twice.
type hashedParts struct {
	messages, config []byte
	keys             int
	dup              bool
}

func decodeVersionWith(d *promptScanner, parts *hashedParts) (v Version, ok bool) {
	b := d.b
	whole := d.object(func(key []byte) (ok bool) {
		start := d.i
		switch string(key) {
		case "prompt":
			v.Prompt, ok = d.repeated()
		case "number":
			v.Number, ok = d.int()
		case "hash":
			v.Hash, ok = d.jsonString()
		case "parent":
			v.Parent, ok = d.int()
		case "messages":
			v.Messages, ok = d.messages()
		case "config":
			v.Config, ok = d.config()
		case "variables":
			if d.noVariables {
				ok = d.skipStrings()
			} else {
				v.Variables, ok = d.jsonStrings()
			}
		case "scorers":
			v.Scorers, ok = d.jsonStrings()
		case "message":
			v.Message, ok = d.jsonString()
		case "author":
			v.Author, ok = d.repeated()
		case "time":
			v.Time, ok = d.time()
		}
		if parts != nil {
			bit := versionKeyBit(key)
			parts.dup = parts.dup || parts.keys&bit != 0
			parts.keys |= bit
			switch bit {
			case keyMessages:
				parts.messages = b[start:d.i]
			case keyConfig:
				parts.config = b[start:d.i]
			}
		}
		return ok
	})
	if !whole || d.i != len(b) {
		return Version{}, false
	}
	return v, true
}

// jsonString reads a string with the escapes encoding/json writes.
func (d *promptScanner) jsonString() (string, bool) {
	if !d.byte('"') {
		return "", false
	}
	start, ascii := d.i, true
	for {
		// Eight bytes at a time to the first quote, backslash or control
		// byte, or while all is ASCII the first byte that is not: an
		// export reads every string of every version and audit event.
		for d.i+8 <= len(d.b) {
			v := binary.LittleEndian.Uint64(d.b[d.i:])
			m := specialBytes(v)
			if ascii {
				m |= v & highBits
			}
			if m != 0 {
				d.i += bits.TrailingZeros64(m) / 8
				break
			}
			d.i += 8
		}
		if d.i >= len(d.b) {
			return "", false
		}
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return d.keep(s), true
		case c == '\\':
			return d.escapedString(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
}

// escapedString finishes a string that holds escapes, begun at start.
func (d *promptScanner) escapedString(start int) (string, bool) {
	// In place, the string is appended to the scratch buffer from base.
	var out []byte
	base := 0
	if d.inPlace {
		out, base = d.scratch, len(d.scratch)
	} else {
		out = make([]byte, 0, d.i-start+64)
	}
	out = append(out, d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			s := out[base:]
			if !utf8.Valid(s) {
				return "", false
			}
			if d.inPlace {
				// When the buffer grew, the strings read before keep
				// the memory they share.
				d.scratch = out
				return inPlaceString(s), true
			}
			return string(s), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if d.i+4 > len(d.b) {
				return "", false
			}
			r, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
			if err != nil || r >= 0xd800 && r <= 0xdfff {
				return "", false // surrogates: goccy/go-json decides
			}
			d.i += 4
			out = utf8.AppendRune(out, rune(r))
		default:
			return "", false
		}
	}
	return "", false
}

func (d *promptScanner) jsonStrings() ([]string, bool) {
	if !d.byte('[') {
		return nil, false
	}
	out := []string{}
	if d.byte(']') {
		return out, true
	}
	for {
		s, ok := d.jsonString()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if d.byte(']') {
			return out, true
		}
		if !d.byte(',') {
			return nil, false
		}
	}
}

func (d *promptScanner) messages() ([]Message, bool) {
	if !d.byte('[') {
		return nil, false
	}
	out := []Message{}
	if d.inPlace {
		out = d.msgs[:0]
		defer func() { d.msgs = out[:0] }()
	}
	if d.byte(']') {
		return out, true
	}
	for {
		var m Message
		whole := d.object(func(key []byte) (ok bool) {
			switch string(key) {
			case "role":
				m.Role, ok = d.repeated()
			case "content":
				m.Content, ok = d.jsonString()
			}
			return ok
		})
		if !whole {
			return nil, false
		}
		out = append(out, m)
		if d.byte(']') {
			return out, true
		}
		if !d.byte(',') {
			return nil, false
		}
	}
}

// config reads the model config; one with a response format, the rare
// case, is decoded by goccy/go-json.
func (d *promptScanner) config() (ModelConfig, bool) {
	start := d.i
	var c ModelConfig
	whole := d.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "model":
			c.Model, ok = d.repeated()
		case "temperature":
			var f float64
			f, ok = d.float()
			c.Temperature = &f
		case "top_p":
			var f float64
			f, ok = d.float()
			c.TopP = &f
		case "max_tokens":
			c.MaxTokens, ok = d.int()
		case "stop":
			c.Stop, ok = d.jsonStrings()
		case "seed":
			var n int
			n, ok = d.int()
			seed := int64(n)
			c.Seed = &seed
		case "response_format":
			end := valueEnd(d.b, start)
			if end < 0 {
				return false
			}
			// Decoded into a variable of its own: c stays off the
			// heap for the usual config.
			var rf ModelConfig
			if gojson.Unmarshal(d.b[start:end], &rf) != nil {
				return false
			}
			c = rf
			d.i, d.closed = end, true
			return true
		}
		return ok
	})
	if !whole {
		return ModelConfig{}, false
	}
	return c, true
}

// float reads a JSON number into a float64 as encoding/json does
// (strconv.ParseFloat), after checking JSON's grammar, which is
// narrower than ParseFloat's: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *promptScanner) float() (float64, bool) {
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	d.byte('-')
	intStart := d.i
	if n := digits(); n == 0 || n > 1 && d.b[intStart] == '0' {
		return 0, false
	}
	if d.byte('.') && digits() == 0 {
		return 0, false
	}
	if d.byte('e') || d.byte('E') {
		if !d.byte('+') {
			d.byte('-')
		}
		if digits() == 0 {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(d.b[start:d.i]), 64)
	return f, err == nil
}
