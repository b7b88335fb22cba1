package workspace

import (
	"bytes"
	"strconv"
	"time"
)

// decodePromptFast decodes a prompt record laid out as encoding/json
// writes one (commit.go): a listing decodes every record of the library,
// and this takes a third of goccy/go-json's time. ok is false for anything
// else — an escape in a string, an unknown key, white space, another
// layout — which DecodePrompt then hands to goccy/go-json, so the fast path
// can only ever decline, never decode differently.
func decodePromptFast(b []byte) (p Prompt, ok bool) {
	d := promptScanner{b: b}
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
	if !whole || d.i != len(b) {
		return Prompt{}, false
	}
	return p, true
}

type promptScanner struct {
	b []byte
	i int
	// closed: the field just read consumed the rest of its object.
	closed bool
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
	end := bytes.IndexByte(d.b[d.i:], '"')
	if end < 0 {
		return nil, false
	}
	s := d.b[d.i : d.i+end]
	for _, c := range s {
		if c == '\\' || c < 0x20 { // escapes; raw control bytes are not JSON
			return nil, false
		}
	}
	d.i += end + 1
	return s, true
}

func (d *promptScanner) text() (string, bool) {
	s, ok := d.str()
	return string(s), ok
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
	var t time.Time
	if err := t.UnmarshalText(s); err != nil {
		return time.Time{}, false
	}
	return t, true
}

func (d *promptScanner) strings() ([]string, bool) {
	if !d.byte('[') {
		return nil, false
	}
	out := []string{}
	if d.byte(']') {
		return out, true
	}
	for {
		s, ok := d.text()
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

func (d *promptScanner) labels() (map[string]int, bool) {
	if !d.byte('{') {
		return nil, false
	}
	out := map[string]int{}
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
