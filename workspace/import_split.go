package workspace

import (
	"bytes"
	"regexp"
)

var topKey = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):(\s.*)?$`)

// splitSections cuts the file at its top-level keys and the lists of
// prompts, logs and runs at their items, so that each piece is decoded on
// its own: go-yaml's time and memory grow too fast on a single large
// document. ok is false for layouts this does not recognise, which are then
// read as one piece.
func splitSections(name string, data []byte) ([]section, bool, error) {
	var secs []section
	seen := map[string]int{}
	var bad, dupErr bool
	var dup error
	eachLine(data, func(i, offset int, l []byte) bool {
		trimmed := bytes.TrimRight(l, "\r")
		switch {
		case len(trimmed) == 0 || trimmed[0] == ' ' || trimmed[0] == '#' || trimmed[0] == '\t':
		case trimmed[0] == '-' && (len(trimmed) == 1 || trimmed[1] == ' '):
			bad = len(secs) == 0
		case string(trimmed) == "---" && len(secs) == 0:
		case topKey.Match(trimmed):
			key := string(topKey.FindSubmatch(trimmed)[1])
			if prev, ok := seen[key]; ok {
				dup, dupErr = invalidf("%s:%d: %s appears twice (first on line %d)", name, i+1, key, prev), true
				return false
			}
			seen[key] = i + 1
			if len(secs) > 0 {
				secs[len(secs)-1].text = data[secs[len(secs)-1].start0:offset]
			}
			secs = append(secs, section{key: key, start: i, start0: offset})
		default:
			bad = true
		}
		return !bad
	})
	switch {
	case dupErr:
		return nil, false, dup
	case bad || len(secs) == 0:
		return nil, false, nil
	}
	secs[len(secs)-1].text = data[secs[len(secs)-1].start0:]
	for i := range secs {
		s := &secs[i]
		switch s.key {
		case "schema", "taxonomy":
		case "prompts", "logs", "runs":
			s.items = splitItems(s.text, s.start)
		default:
			return nil, false, invalidf("%s:%d: unknown field %q; an export file has schema, taxonomy, prompts, logs and runs", name, s.start+1, s.key)
		}
	}
	return secs, true, nil
}

// eachLine calls fn with each line of data (without its newline), its
// index and byte offset, until fn returns false; it allocates nothing.
func eachLine(data []byte, fn func(i, offset int, line []byte) bool) {
	offset := 0
	for i := 0; offset < len(data); i++ {
		end := bytes.IndexByte(data[offset:], '\n')
		if end < 0 {
			end = len(data) - offset
		}
		if !fn(i, offset, data[offset:offset+end]) {
			return
		}
		offset += end + 1
	}
}

// splitItems cuts "key:\n- a\n- b" into its items; nil when the value is
// not a block list at column 0 (flow lists, "[]", indented lists).
func splitItems(text []byte, start int) []item {
	first, _, _ := bytes.Cut(text, []byte("\n"))
	if k := bytes.TrimSpace(first); !bytes.HasSuffix(k, []byte(":")) {
		return nil
	}
	var items []item
	ok := true
	eachLine(text, func(i, offset int, l []byte) bool {
		if i == 0 {
			return true
		}
		if len(l) > 0 && l[0] == '-' && (len(l) == 1 || l[1] == ' ') {
			if n := len(items); n > 0 {
				items[n-1].text = text[items[n-1].start0:offset]
			}
			items = append(items, item{line: start + i, start0: offset})
		} else if len(items) == 0 && len(bytes.TrimSpace(l)) > 0 && l[0] != '#' {
			ok = false
			return false
		}
		return true
	})
	if !ok || items == nil {
		return nil
	}
	items[len(items)-1].text = text[items[len(items)-1].start0:]
	return items
}
