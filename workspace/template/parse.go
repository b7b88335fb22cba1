package template

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a node renders.
type kind uint8

const (
	textNode kind = iota
	varNode
	sectionNode
	invertedNode
	partialNode
)

// node is one piece of a parsed template. Text and names are substrings of
// the source, so rendering a text node copies nothing but the output.
type node struct {
	kind kind
	// text is the text of a text node, the name as written otherwise.
	text     string
	path     []string // the name split on dots; nil for "."
	children []node   // the body of a section
	// indent is the whitespace before a standalone partial tag: the spec
	// prepends it to every line of the included template.
	indent     string
	standalone bool
	// eol is the line ending a standalone partial's line had ("\n",
	// "\r\n"; empty at the end of the source). The line stays a line:
	// eol is written after the partial when its output does not end one.
	eol string
	// lineStart says the node begins a source line, and closeLineStart the
	// same of a section's close tag: an including standalone partial's
	// indentation goes there.
	lineStart, closeLineStart bool
}

// frame is a section being parsed.
type frame struct {
	n   node
	tag string // the opening tag as written, for errors
	at  int    // its offset
}

// parser holds the state of one Parse: the current delimiters and the
// sections open around the position.
type parser struct {
	src        string
	pos        int
	otag, ctag string
	frames     []frame // frames[0] holds the top level
}

// Parse parses src. Errors are *SyntaxError: an unclosed tag, a section
// never closed (reported at the end of src, naming where it opened), a
// mismatched or stray close tag, an empty or invalid name, a bad
// set-delimiter tag.
func Parse(src string) (*Template, error) {
	p := &parser{src: src, otag: "{{", ctag: "}}", frames: make([]frame, 1, 4)}
	for p.pos < len(src) {
		i := strings.Index(src[p.pos:], p.otag)
		if i < 0 {
			p.text(p.pos, len(src))
			break
		}
		if err := p.tag(p.pos + i); err != nil {
			return nil, err
		}
	}
	if len(p.frames) > 1 {
		f := p.frames[len(p.frames)-1]
		line, col := position(src, f.at)
		return nil, p.errAt(len(src), "%s opened at line %d, column %d is never closed", f.tag, line, col)
	}
	t := &Template{src: src, nodes: p.frames[0].n.children}
	vars, partials := map[string]struct{}{}, map[string]struct{}{}
	collect(t.nodes, true, vars, partials)
	t.vars, t.partials = sortedKeys(vars), sortedKeys(partials)
	return t, nil
}

func (p *parser) add(n node) {
	f := &p.frames[len(p.frames)-1]
	f.n.children = append(f.n.children, n)
}

func (p *parser) text(from, to int) {
	if to > from {
		p.add(node{kind: textNode, text: p.src[from:to], lineStart: atLineStart(p.src, from)})
	}
}

// tag parses the tag at start and everything it implies: the text before
// it, standalone-line removal, delimiter changes and section nesting.
func (p *parser) tag(start int) error {
	src := p.src
	from := start + len(p.otag)
	if from >= len(src) {
		return p.errAt(start, "unclosed tag %q", p.otag)
	}
	sigil := src[from]
	closer := p.ctag
	switch sigil {
	case '{':
		closer = "}" + p.ctag
	case '=':
		closer = "=" + p.ctag
	case '#', '^', '/', '!', '>', '&':
	default:
		sigil = 0
	}
	if sigil != 0 {
		from++
	}
	e := strings.Index(src[from:], closer)
	if e < 0 {
		return p.errAt(start, "unclosed tag %q", p.otag)
	}
	content := src[from : from+e]
	end := from + e + len(closer)
	written := src[start:end]
	name := strings.TrimSpace(content)

	// Standalone tags vanish with their line: the whitespace before them
	// and the line ending after them.
	textEnd, next, standalone := start, end, false
	switch sigil {
	case '#', '^', '/', '!', '>', '=':
		// Only the text since the previous tag can hold this line's start:
		// a line that began before it holds that tag too.
		ls := strings.LastIndexByte(src[p.pos:start], '\n') + 1 + p.pos
		if (ls > p.pos || atLineStart(src, p.pos)) && blank(src[ls:start]) {
			if after, ok := lineEnd(src, end); ok {
				textEnd, next, standalone = ls, after, true
			}
		}
	}
	lineStart := !standalone && atLineStart(src, start)
	p.text(p.pos, textEnd)
	p.pos = next

	switch sigil {
	case '!', '=':
		if sigil == '=' {
			delims := strings.Fields(content)
			if len(delims) != 2 || strings.Contains(content, "=") {
				return p.errAt(start, "bad set-delimiter tag %q: want two delimiters separated by a space, like %s", written, "{{=<% %>=}}")
			}
			p.otag, p.ctag = delims[0], delims[1]
		}
		if lineStart {
			// Nothing is output, but an including partial still indents here.
			p.add(node{kind: textNode, lineStart: true})
		}
		return nil
	case '>':
		if !validRef(name) {
			return p.nameErr(start, name, "partial name")
		}
		n := node{kind: partialNode, text: name, standalone: standalone, lineStart: lineStart}
		if standalone {
			n.indent = src[textEnd:start]
			n.eol = strings.TrimLeft(src[end:next], " \t")
		}
		p.add(n)
		return nil
	}

	path, ok := splitName(name)
	if !ok {
		return p.nameErr(start, name, "name")
	}
	switch sigil {
	case '#', '^':
		k := sectionNode
		if sigil == '^' {
			k = invertedNode
		}
		p.frames = append(p.frames, frame{
			n:   node{kind: k, text: name, path: path, lineStart: lineStart},
			tag: written,
			at:  start,
		})
	case '/':
		if len(p.frames) == 1 {
			return p.errAt(start, "%s closes no open section", written)
		}
		f := p.frames[len(p.frames)-1]
		if f.n.text != name {
			line, col := position(src, f.at)
			return p.errAt(start, "%s does not close %s opened at line %d, column %d", written, f.tag, line, col)
		}
		f.n.closeLineStart = lineStart
		p.frames = p.frames[:len(p.frames)-1]
		p.add(f.n)
	default:
		p.add(node{kind: varNode, text: name, path: path, lineStart: lineStart})
	}
	return nil
}

func (p *parser) nameErr(at int, name, what string) error {
	if name == "" {
		return p.errAt(at, "empty tag name")
	}
	return p.errAt(at, "invalid %s %q", what, name)
}

func (p *parser) errAt(off int, format string, args ...any) error {
	line, col := position(p.src, off)
	return &SyntaxError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// position converts a byte offset into a 1-based line and rune column.
func position(src string, off int) (line, col int) {
	before := src[:off]
	ls := strings.LastIndexByte(before, '\n') + 1
	return strings.Count(before, "\n") + 1, utf8.RuneCountInString(before[ls:]) + 1
}

func atLineStart(src string, off int) bool {
	return off == 0 || src[off-1] == '\n'
}

func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

// lineEnd reports whether only blanks follow off up to a line ending or the
// end of src, and the offset just past them.
func lineEnd(src string, off int) (int, bool) {
	for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
		off++
	}
	switch {
	case off == len(src):
		return off, true
	case src[off] == '\n':
		return off + 1, true
	case strings.HasPrefix(src[off:], "\r\n"):
		return off + 2, true
	}
	return off, false
}

// splitName validates a variable or section name: "." or dot-separated
// non-empty parts without whitespace.
func splitName(name string) ([]string, bool) {
	if name == "" || strings.ContainsFunc(name, unicode.IsSpace) {
		return nil, false
	}
	if name == "." {
		return nil, true
	}
	parts := strings.Split(name, ".")
	for _, part := range parts {
		if part == "" {
			return nil, false
		}
	}
	return parts, true
}

// validRef accepts a prompt name (a-z0-9-_/) with an optional @ref
// (letters, digits, '-', '_', '.').
func validRef(s string) bool {
	name, ref, hasRef := strings.Cut(s, "@")
	if name == "" || hasRef && ref == "" {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/') {
			return false
		}
	}
	for _, c := range ref {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
