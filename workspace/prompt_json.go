package workspace

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
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
		for i, l := range encodedKeys(p.Labels) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(append(in2(b), l.key...), ": "...)
			b = strconv.AppendInt(b, int64(l.n), 10)
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
	if b, err = p.Created.AppendText(b); err != nil {
		return nil, err
	}
	b = append(in1(append(b, '"', ',')), `"updated": "`...)
	if b, err = p.Updated.AppendText(b); err != nil {
		return nil, err
	}
	b = append(b, '"', '\n')
	b = append(append(b, prefix...), '}')
	return b, nil
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
