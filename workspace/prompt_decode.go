package workspace

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// decodePromptFast decodes a prompt record laid out as encoding/json
// writes one (commit.go): a listing decodes every record of the library,
// and this takes a third of goccy/go-json's time. ok is false for anything
// else — an escape in a string, an unknown key, white space, another
// layout — which DecodePrompt then hands to goccy/go-json, so the fast path
// can only ever decline, never decode differently.
func decodePromptFast(b []byte) (p Prompt, ok bool) {
	d := promptScanner{b: b}
	return d.prompt()
}

// prompt reads the whole of d.b as a prompt record (decodePromptFast).
func (d *promptScanner) prompt() (p Prompt, ok bool) {
	whole := d.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "name":
			p.Name, ok = d.text()
		case "description":
			p.Description, ok = d.text()
		case "latest_hash":
			p.LatestHash, ok = d.text()
		case "model":
			p.Model, ok = d.text()
		case "latest":
			p.Latest, ok = d.int()
		case "created":
			p.Created, ok = d.time()
		case "updated":
			p.Updated, ok = d.time()
		case "tags":
			p.Tags, ok = d.strings()
		case "labels":
			p.Labels, ok = d.labels()
		}
		return ok
	})
	if !whole || d.i != len(d.b) {
		return Prompt{}, false
	}
	return p, true
}

type promptScanner struct {
	b []byte
	i int
	// closed: the field just read consumed the rest of its object.
	closed bool
	// arena, when set, keeps the strings read, and slab is where lists of
	// strings are carved from: a listing (promptListing) makes a few
	// allocations for all its prompts instead of several for each.
	arena *stringArena
	slab  *[]string
	// borrow, when set, makes strings share d.b instead of copying it, and
	// labels reuses this map: for a reader that is done with the prompt
	// before d.b changes (a listing's visitor, promptListing.visit).
	borrow *map[string]int
	// shared, when set, hands out one string for each value of the
	// fields records repeat (names, authors, roles, models) instead of
	// a new one per record.
	shared map[string]string
	// noVariables skips a version's variables, for a reader that does
	// not use them (an export: they derive from the messages).
	noVariables bool
	// inPlace hands out strings sharing the record's memory, and scratch
	// holds the unescaped ones (decode_inplace.go); msgs is the list
	// the last version's messages were read into, reused.
	inPlace bool
	scratch []byte
	msgs    []Message
}

// maxShared bounds the strings a scanner shares.
const maxShared = 4096

// repeated reads a string of a field whose values repeat across records.
func (d *promptScanner) repeated() (string, bool) {
	if d.shared == nil || d.inPlace {
		return d.jsonString()
	}
	start := d.i
	b, ok := d.str()
	if !ok || !utf8.Valid(b) {
		d.i = start
		return d.jsonString()
	}
	if s, ok := d.shared[string(b)]; ok {
		return s, true
	}
	s := string(b)
	if len(d.shared) < maxShared {
		d.shared[s] = s
	}
	return s, true
}

// object reads a JSON object, handing each key to field, which reads the
// value and returns false to decline (an unknown key, a value it cannot
// read). A field that read the whole object itself sets d.closed.
func (d *promptScanner) object(field func(key []byte) bool) bool {
	if !d.byte('{') {
		return false
	}
	if d.byte('}') {
		return true
	}
	for {
		key, ok := d.str()
		if !ok || !d.byte(':') || !field(key) {
			return false
		}
		if d.closed {
			d.closed = false
			return true
		}
		if d.byte('}') {
			return true
		}
		if !d.byte(',') {
			return false
		}
	}
}

func (d *promptScanner) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *promptScanner) byte(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.i++
	return true
}

// str reads a string without escapes; the bytes are the record's.
func (d *promptScanner) str() ([]byte, bool) {
	if !d.byte('"') {
		return nil, false
	}
	// Eight bytes at a time: the first quote, backslash or control byte
	// of a word ends the string or declines it. A listing reads every
	// string of every record.
	j := d.i
	for ; j+8 <= len(d.b); j += 8 {
		if m := specialBytes(binary.LittleEndian.Uint64(d.b[j:])); m != 0 {
			j += bits.TrailingZeros64(m) / 8
			return d.strEnd(j)
		}
	}
	for ; j < len(d.b); j++ {
		if c := d.b[j]; c == '"' || c == '\\' || c < 0x20 {
			return d.strEnd(j)
		}
	}
	return nil, false
}

// strEnd finishes a string at d.b[j], its first quote, backslash or
// control byte: only a quote ends a string str reads (a backslash starts
// an escape; raw control bytes are not JSON).
func (d *promptScanner) strEnd(j int) ([]byte, bool) {
	if d.b[j] != '"' {
		return nil, false
	}
	s := d.b[d.i:j]
	d.i = j + 1
	return s, true
}

// specialBytes sets the high bit of the first byte of v (in memory order)
// that is a quote, a backslash or below 0x20, and is 0 when there is none
// (the usual test for a zero byte, on v^'"' and v^'\\', and its form for
// bytes below a bound; bytes after the first may be marked too).
func specialBytes(v uint64) uint64 {
	const ones = 0x0101010101010101
	quote, backslash := v^('"'*ones), v^('\\'*ones)
	return ((quote-ones)&^quote | (backslash-ones)&^backslash | (v-0x20*ones)&^v) & highBits
}

// highBits is the high bit of each byte of a word: set in v&highBits for
// the bytes of v that are not ASCII.
const highBits = 0x8080808080808080

func (d *promptScanner) text() (string, bool) {
	s, ok := d.str()
	if !ok {
		return "", false
	}
	switch {
	case d.borrow != nil:
		return borrowString(s), true
	case d.arena != nil:
		return d.arena.add(s), true
	}
	return string(s), true
}

// borrowString is a string sharing b's memory, which must not change while
// the string is in use.
func borrowString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (d *promptScanner) int() (int, bool) {
	start := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == start || d.i-start > 1 && d.b[start] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(string(d.b[start:d.i]))
	return n, err == nil
}

// time reads a time as time.Time's MarshalJSON writes it.
func (d *promptScanner) time() (time.Time, bool) {
	s, ok := d.str()
	if !ok {
		return time.Time{}, false
	}
	return recordTime(s)
}

func (d *promptScanner) strings() ([]string, bool) {
	if !d.byte('[') {
		return nil, false
	}
	if d.byte(']') {
		return []string{}, true
	}
	var out []string
	if d.slab != nil {
		if cap(*d.slab)-len(*d.slab) < 16 {
			*d.slab = make([]string, 0, 1024)
		}
		out = (*d.slab)[len(*d.slab):]
	}
	for {
		s, ok := d.text()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if d.byte(']') {
			break
		}
		if !d.byte(',') {
			return nil, false
		}
	}
	if d.slab != nil {
		if len(*d.slab)+len(out) <= cap(*d.slab) {
			// out is still in the slab: take its place there, and cap it
			// so that an append to one prompt's tags never writes into
			// the next prompt's.
			*d.slab = (*d.slab)[:len(*d.slab)+len(out)]
		}
		out = out[:len(out):len(out)]
	}
	return out, true
}

func (d *promptScanner) labels() (map[string]int, bool) {
	if !d.byte('{') {
		return nil, false
	}
	var out map[string]int
	if d.borrow != nil {
		if *d.borrow == nil {
			*d.borrow = map[string]int{}
		}
		out = *d.borrow
		clear(out)
	} else {
		out = map[string]int{}
	}
	if d.byte('}') {
		return out, true
	}
	for {
		k, ok := d.text()
		if !ok || !d.byte(':') {
			return nil, false
		}
		n, ok := d.int()
		if !ok {
			return nil, false
		}
		out[k] = n
		if d.byte('}') {
			return out, true
		}
		if !d.byte(',') {
			return nil, false
		}
	}
}
