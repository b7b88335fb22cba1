package exportfile

import (
	"bytes"
	"errors"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The general YAML reader (go-yaml) only ever sees small pieces of an
// import file: one version, one prompt's header, one log entry, one run, a
// short section, or a whole file in another layout when it is small. Its
// memory grows with the number of tokens (about 600 bytes each), so every
// piece is measured first: nesting, then an estimate of its tokens.

// DecodeChunk decodes one piece of the file into v after the guards: no
// anchors or aliases (so no alias bombs), bounded nesting and tokens. Line
// numbers in errors count from the file's start: the piece's first line is
// line offset+1.
func DecodeChunk(name string, text []byte, offset int, lim Limits, tokenLimit int, v any) (_ ast.Node, err error) {
	defer func() {
		// go-yaml panics on some malformed input (e.g. "k: !0000\n00").
		if r := recover(); r != nil {
			err = Invalidf("%s:%d: not valid YAML (the parser failed: %v)", name, offset+1, r)
		}
	}()
	if err := guardNesting(name, text, offset, lim); err != nil {
		return nil, err
	}
	if n := estimateTokens(text); n > tokenLimit {
		return nil, Invalidf("%s:%d: the piece starting here has about %d YAML tokens, more than the %d this reader takes at once; write lists as export does (one item per line, not [a, b, …])", name, offset+1, n, tokenLimit)
	}
	tokens := lexer.Tokenize(string(text))
	for _, tk := range tokens {
		switch tk.Type {
		case token.AnchorType, token.AliasType:
			return nil, Invalidf("%s:%d: anchors and aliases (&, *) are not allowed in import files", name, tk.Position.Line+offset)
		}
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, YAMLErrorAt(name, err, offset)
	}
	if len(f.Docs) != 1 {
		return nil, Invalidf("%s: an export file is one YAML document, not %d", name, len(f.Docs))
	}
	body := f.Docs[0].Body
	if body == nil {
		return nil, Invalidf("%s:%d: empty document", name, offset+1)
	}
	if err := yaml.NodeToValue(body, v, yaml.DisallowUnknownField()); err != nil {
		return nil, YAMLErrorAt(name, err, offset)
	}
	return body, nil
}

// guardNesting refuses lines indented past lim.Indent and flow nesting past
// lim.FlowDepth before any reader sees them: the YAML parser's time grows
// with the square of the depth. A compact "- - x" counts as indentation,
// and brackets inside strings count too, which errs on the safe side.
func guardNesting(name string, text []byte, offset int, lim Limits) error {
	depth, line, indent, atStart := 0, 1, 0, true
	for i, c := range text {
		switch {
		case c == '\n':
			line++
			indent, atStart = 0, true
			continue
		case atStart && (c == ' ' || (c == '-' || c == '?') && (i+1 == len(text) || text[i+1] == ' ')):
			indent++
			if indent > lim.Indent {
				return Invalidf("%s:%d: indented more than %d spaces; nesting this deep is refused", name, line+offset, lim.Indent)
			}
			continue
		case c == '[' || c == '{':
			depth++
			if depth > lim.FlowDepth {
				return Invalidf("%s:%d: more than %d nested [ or {; nesting this deep is refused", name, line+offset, lim.FlowDepth)
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
		atStart = false
	}
	return nil
}

// estimateTokens counts, generously, the tokens go-yaml would make of
// text: one per line and one per indicator character, a quoted string and
// the lines of a block scalar counting once.
func estimateTokens(text []byte) int {
	n, block := 0, -1
	EachLine(text, func(_, _ int, l []byte) bool {
		ind := 0
		for ind < len(l) && l[ind] == ' ' {
			ind++
		}
		rest := l[ind:]
		if block >= 0 {
			if len(rest) == 0 || ind > block {
				return true
			}
			block = -1
		}
		if len(rest) == 0 {
			return true
		}
		n++
		last := byte(0)
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			switch c {
			case '"', '\'':
				end := closingQuote(rest, i)
				if end < 0 {
					return true // the rest of the line is in the string
				}
				i = end
				n++
			case ',', '[', ']', '{', '}', ':', '-', '?', '&', '*', '!', '#':
				n++
			}
			if c != ' ' {
				last = c
			}
		}
		if t := lastWord(rest); len(t) > 0 && (t[0] == '|' || t[0] == '>') || last == '|' {
			block = ind
		}
		return true
	})
	return n
}

func closingQuote(s []byte, open int) int {
	q := s[open]
	for i := open + 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

func lastWord(s []byte) []byte {
	end := len(s)
	for end > 0 && s[end-1] == ' ' {
		end--
	}
	start := end
	for start > 0 && s[start-1] != ' ' {
		start--
	}
	return s[start:end]
}

// YAMLErrorAt words a go-yaml error as an ErrInvalid naming file, line
// and column, the line moved by offset (the piece's place in the file).
func YAMLErrorAt(file string, err error, offset int) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tok := ye.GetToken(); tok != nil && tok.Position != nil {
			return Invalidf("%s:%d:%d: %s", file, tok.Position.Line+offset, tok.Position.Column, ye.GetMessage())
		}
		return Invalidf("%s: %s", file, ye.GetMessage())
	}
	return Invalidf("%s: %v", file, err)
}

// EachLine calls fn with each line of data (without its newline), its
// index and byte offset, until fn returns false; it allocates nothing.
func EachLine(data []byte, fn func(i, offset int, line []byte) bool) {
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
