package exportfile

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"promptbench/workspace/exportyaml"
)

// The fast reader: go-yaml needs about 9 s of CPU and 400 MB for the
// 40 MB export of 10,000 prompts × 10 versions, because it builds a token
// list, an AST and reflection values for every scalar. Export files are
// almost always written by export, in the small block subset exportyaml.Writer
// emits, so FastPrompt reads exactly that subset: block maps and lists,
// plain scalars that exportyaml.PlainSafe accepts, double quotes with exportyaml.Writer's
// escapes, and literal blocks with exportyaml.Writer's headers. Anything else —
// comments, flow style, other escapes, a schema, unknown or repeated keys —
// makes it give up, and go-yaml reads the piece instead; errors always come
// from go-yaml and validation. FuzzFastPrompt checks that whatever it
// accepts, go-yaml reads the same.

// fnode is a node of the subset: a scalar, a map or a list.
type fnode struct {
	kind  byte // 's', 'm', 'l'
	str   string
	plain bool
	keys  []string
	vals  []*fnode
	items []*fnode
}

type fastReader struct {
	lines []string
	i     int
}

// isFastKey matches [a-z_][a-z0-9_-]*.
func isFastKey(k string) bool {
	if k == "" || !(k[0] >= 'a' && k[0] <= 'z' || k[0] == '_') {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// FastPrompt reads one "- name: …" list item; ok is false when the text is
// outside the subset.
func FastPrompt(text []byte) (fp Prompt, ok bool) {
	n, ok := fastItem(text)
	if !ok {
		return fp, false
	}
	return toExportPrompt(n)
}

// FastVersion reads one "- number: …" list item.
func FastVersion(text []byte) (fv Version, ok bool) {
	n, ok := fastItem(text)
	if !ok {
		return fv, false
	}
	return toVersion(n)
}

// fastItem reads text that holds one list item at column 0.
func fastItem(text []byte) (*fnode, bool) {
	// The piece is read in place: the strings made from it share its
	// memory, so pieces are never reused (see splitter.take).
	s := unsafe.String(unsafe.SliceData(text), len(text))
	if !strings.HasSuffix(s, "\n") {
		return nil, false
	}
	r := &fastReader{lines: strings.Split(strings.TrimSuffix(s, "\n"), "\n")}
	n, ok := r.list(0)
	if !ok || r.i != len(r.lines) || len(n.items) != 1 {
		return nil, false
	}
	return n.items[0], true
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " "))
}

// list reads "- …" items at indent.
func (r *fastReader) list(indent int) (*fnode, bool) {
	n := &fnode{kind: 'l'}
	for r.i < len(r.lines) {
		line := r.lines[r.i]
		if indentOf(line) != indent || !strings.HasPrefix(line[indent:], "- ") {
			break
		}
		rest := line[indent+2:]
		if k, _, isMap := cutKey(rest); isMap && isFastKey(k) {
			// "- key: …": a map whose keys sit at indent+2.
			r.lines[r.i] = strings.Repeat(" ", indent+2) + rest
			m, ok := r.mapping(indent + 2)
			if !ok {
				return nil, false
			}
			n.items = append(n.items, m)
			continue
		}
		v, ok := r.inline(rest, indent, false)
		if !ok {
			return nil, false
		}
		r.i++
		n.items = append(n.items, v)
	}
	return n, len(n.items) > 0
}

// mapping reads "key: …" entries at indent.
func (r *fastReader) mapping(indent int) (*fnode, bool) {
	n := &fnode{kind: 'm', keys: make([]string, 0, 8), vals: make([]*fnode, 0, 8)}
	for r.i < len(r.lines) {
		line := r.lines[r.i]
		if indentOf(line) != indent || strings.HasPrefix(line[indent:], "- ") {
			break
		}
		k, v, ok := cutKey(line[indent:])
		if !ok || !isFastKey(k) || slices.Contains(n.keys, k) {
			return nil, false
		}
		var val *fnode
		if v == "" {
			r.i++
			if r.i >= len(r.lines) {
				return nil, false
			}
			next := r.lines[r.i]
			switch ni := indentOf(next); {
			case ni == indent && strings.HasPrefix(next[ni:], "- "):
				val, ok = r.list(indent)
			case ni > indent && strings.HasPrefix(next[ni:], "- "):
				val, ok = r.list(ni)
			case ni > indent:
				val, ok = r.mapping(ni)
			default:
				return nil, false
			}
		} else {
			val, ok = r.inline(v, indent, true)
			if ok && val.kind == 's' && !strings.HasPrefix(v, "|") {
				r.i++
			}
		}
		if !ok {
			return nil, false
		}
		n.keys = append(n.keys, k)
		n.vals = append(n.vals, val)
	}
	return n, len(n.keys) > 0
}

// cutKey splits "key: value" or "key:".
func cutKey(s string) (key, value string, ok bool) {
	if k, ok := strings.CutSuffix(s, ":"); ok && !strings.ContainsAny(k, " :\"'") {
		return k, "", true
	}
	k, v, found := strings.Cut(s, ": ")
	if !found || strings.ContainsAny(k, " \"'") {
		return "", "", false
	}
	return k, v, true
}

// inline reads the scalar after "key: " or "- "; a literal block (only
// after a key) consumes its lines, leaving r.i after them.
func (r *fastReader) inline(v string, indent int, block bool) (*fnode, bool) {
	switch {
	case v == "[]" || v == "{}":
		return nil, false
	case strings.HasPrefix(v, `"`):
		s, ok := unquoteFast(v)
		return &fnode{kind: 's', str: s}, ok
	case strings.HasPrefix(v, "|"):
		if !block {
			return nil, false
		}
		return r.literal(v, indent)
	case exportyaml.PlainSafe(v) || isFastNumber(v):
		return &fnode{kind: 's', str: v, plain: true}, true
	}
	return nil, false
}

// isFastNumber matches -?(0|[1-9][0-9]*)(\.[0-9]+)?: a decimal without
// leading zeros, which YAML 1.1 readers take for octal.
func isFastNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || whole[0] == '0' && len(whole) > 1 || !allDigits(whole) {
		return false
	}
	return !hasFrac || frac != "" && allDigits(frac)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// literal reads a block scalar with exportyaml.Writer's headers: |, |-, |+ and
// the same with indentation indicator 2; content is indented indent+2.
func (r *fastReader) literal(header string, indent int) (*fnode, bool) {
	h := header[1:]
	explicit := strings.HasPrefix(h, "2")
	h = strings.TrimPrefix(h, "2")
	if h != "" && h != "-" && h != "+" {
		return nil, false
	}
	ci := indent + 2
	pad := strings.Repeat(" ", ci)
	r.i++
	var body []string
	for r.i < len(r.lines) {
		line := r.lines[r.i]
		if line == "" {
			body = append(body, "")
			r.i++
			continue
		}
		if !strings.HasPrefix(line, pad) {
			break
		}
		body = append(body, line[ci:])
		r.i++
	}
	trailing := 0
	for len(body) > 0 && body[len(body)-1] == "" {
		body = body[:len(body)-1]
		trailing++
	}
	if len(body) == 0 || body[0] == "" {
		return nil, false
	}
	if strings.HasPrefix(body[0], " ") != explicit {
		return nil, false // auto-detected indentation would differ
	}
	text := strings.Join(body, "\n")
	if !exportyaml.LiteralSafe(text+"\n") || strings.ContainsRune(text, '\r') {
		return nil, false
	}
	switch h {
	case "-":
		if trailing > 0 {
			return nil, false
		}
	case "":
		if trailing > 0 {
			return nil, false
		}
		text += "\n"
	case "+":
		if trailing < 1 {
			return nil, false
		}
		text += strings.Repeat("\n", trailing+1)
	}
	return &fnode{kind: 's', str: text}, true
}

// unquoteFast decodes a double-quoted scalar that is the whole rest of the
// line, with exportyaml.Writer's escapes only.
func unquoteFast(v string) (string, bool) {
	if len(v) < 2 || v[len(v)-1] != '"' {
		return "", false
	}
	body := v[1 : len(v)-1]
	if !strings.ContainsAny(body, `\"`) {
		for _, r := range body {
			if !exportyaml.Printable(r) {
				return "", false
			}
		}
		return body, utf8.ValidString(body)
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			return "", false
		case c == '\\':
			if i+1 >= len(body) {
				return "", false
			}
			e := body[i+1]
			i += 2
			switch e {
			case '"', '\\':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if i+n > len(body) {
					return "", false
				}
				x, err := strconv.ParseUint(body[i:i+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(x)) {
					return "", false
				}
				b.WriteRune(rune(x))
				i += n
			default:
				return "", false
			}
		default:
			r, size := utf8.DecodeRuneInString(body[i:])
			if !exportyaml.Printable(r) {
				return "", false
			}
			b.WriteString(body[i : i+size])
			i += size
		}
	}
	return b.String(), true
}
