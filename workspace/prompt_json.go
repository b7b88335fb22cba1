package workspace

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AppendJSON appends p as JSON, byte for byte as goccy/go-json's
// MarshalIndent(p, prefix, indent) writes it (the `list --json` output
// users rely on), without reflection: listing 10,000 prompts spent more
// time encoding them than reading them. Strings are escaped as goccy/go-json
// escapes them, which differs from encoding/json in one place only: a
// backspace or form feed is \u0008 or \u000c, not \b or \f. Times fail as
// their MarshalJSON fails, outside years 0–9999. A test holds every field of
// Prompt to goccy/go-json's bytes, so a field added to Prompt must be added
// here.
func (p *Prompt) AppendJSON(b []byte, prefix, indent string) ([]byte, error) {
	var err error
	in1 := func(b []byte) []byte { return append(append(append(b, '\n'), prefix...), indent...) }
	in2 := func(b []byte) []byte { return append(in1(b), indent...) }
	b = append(in1(append(b, '{')), `"name": `...)
	b = appendJSONString(b, p.Name)
	if p.Description != "" {
		b = append(in1(append(b, ',')), `"description": `...)
		b = appendJSONString(b, p.Description)
	}
	if len(p.Tags) > 0 {
		b = append(in1(append(b, ',')), `"tags": [`...)
		for i, t := range p.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(in2(b), t)
		}
		b = append(in1(b), ']')
	}
	if len(p.Labels) > 0 {
		b = append(in1(append(b, ',')), `"labels": {`...)
		var few [8]plainLabel
		if labels, ok := plainLabels(few[:0], p.Labels); ok {
			for i, l := range labels {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(append(append(in2(b), '"'), l.name...), `": `...)
				b = strconv.AppendInt(b, int64(l.n), 10)
			}
		} else {
			for i, l := range encodedKeys(p.Labels) {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(append(in2(b), l.key...), ": "...)
				b = strconv.AppendInt(b, int64(l.n), 10)
			}
		}
		b = append(in1(b), '}')
	}
	b = append(in1(append(b, ',')), `"latest": `...)
	b = strconv.AppendInt(b, int64(p.Latest), 10)
	b = append(in1(append(b, ',')), `"latest_hash": `...)
	b = appendJSONString(b, p.LatestHash)
	if p.Model != "" {
		b = append(in1(append(b, ',')), `"model": `...)
		b = appendJSONString(b, p.Model)
	}
	b = append(in1(append(b, ',')), `"created": "`...)
	if b, err = appendRecordTime(b, p.Created); err != nil {
		return nil, err
	}
	b = append(in1(append(b, '"', ',')), `"updated": "`...)
	if b, err = appendRecordTime(b, p.Updated); err != nil {
		return nil, err
	}
	b = append(b, '"', '\n')
	b = append(append(b, prefix...), '}')
	return b, nil
}

// plainLabel is a label whose name a JSON string holds as it is.
type plainLabel struct {
	name string
	n    int
}

// plainLabels appends the labels to few sorted by name, as labels are: ok
// is false when there are more than few holds or a name is not plain, of
// bytes above '"' that need no escape. Such names sort as their JSON
// strings do (a closing quote sorts before any of their bytes), so they
// are in goccy/go-json's order without being encoded first (encodedKeys).
func plainLabels(few []plainLabel, labels map[string]int) ([]plainLabel, bool) {
	if len(labels) > cap(few) {
		return nil, false
	}
	for name, n := range labels {
		for i := 0; i < len(name); i++ {
			if c := name[i]; c <= '"' || c >= utf8.RuneSelf || c == '\\' || c == '<' || c == '>' || c == '&' {
				return nil, false
			}
		}
		// Insertion sort: a prompt has a few labels.
		i := len(few)
		few = append(few, plainLabel{})
		for ; i > 0 && few[i-1].name > name; i-- {
			few[i] = few[i-1]
		}
		few[i] = plainLabel{name, n}
	}
	return few, true
}

// encodedLabel is a label's name as a JSON string, and its version.
type encodedLabel struct {
	name string
	key  []byte
	n    int
}

// encodedKeys are the labels in the order goccy/go-json writes a map's
// keys: by their encoded form, quotes and escapes included (which only
// differs from the names' order for names no label can have).
func encodedKeys(labels map[string]int) []encodedLabel {
	keys := make([]encodedLabel, 0, len(labels))
	for l, n := range labels {
		keys = append(keys, encodedLabel{l, appendJSONString(nil, l), n})
	}
	slices.SortFunc(keys, func(a, b encodedLabel) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		// Names that are not UTF-8 and read the same once encoded, which
		// no label can have: goccy/go-json leaves their order to chance.
		return strings.Compare(a.name, b.name)
	})
	return keys
}

// appendJSONString appends s as a JSON string with the escapes
// goccy/go-json writes (see AppendJSON): quote and backslash; \n, \r and
// \t; other bytes below 0x20, and <, > and &, as \u00XX; U+2028 and U+2029
// as \u2028 and \u2029; and each byte that is not UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && safeWord(s[i:i+8]) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// safeWord tells whether the eight bytes of w are ASCII that a JSON string
// holds as it is: none below 0x20, none of " \\ < > &, none of 0x80 or
// more (the usual test for a zero byte, on w xor each of those, and its
// form for bytes below a bound). Written out so that the compiler makes
// one load of the eight bytes and inlines it.
func safeWord(w string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	_ = w[7]
	v := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	q, bs, lt, gt, amp := v^('"'*ones), v^('\\'*ones), v^('<'*ones), v^('>'*ones), v^('&'*ones)
	bad := v | (v-0x20*ones)&^v | (q-ones)&^q | (bs-ones)&^bs | (lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp
	return bad&highs == 0
}

// appendRecordTime appends t as time.Time.AppendText does (RFC 3339 with
// nanoseconds, trailing zeros dropped): directly for a time in UTC in
// years 0–9999, as records hold them, at a fraction of the cost, and by
// AppendText for any other.
func appendRecordTime(b []byte, t time.Time) ([]byte, error) {
	year, month, day := t.Date()
	if t.Location() != time.UTC || year < 0 || year > 9999 {
		return t.AppendText(b)
	}
	hour, minute, sec := t.Clock()
	two := func(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
	b = two(two(b, year/100), year%100)
	b = two(append(b, '-'), int(month))
	b = two(append(b, '-'), day)
	b = two(append(b, 'T'), hour)
	b = two(append(b, ':'), minute)
	b = two(append(b, ':'), sec)
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i > 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z'), nil
}
