package exchange

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"promptbench/workspace"
)

// The general YAML reader (go-yaml) only ever sees small pieces of an
// import file: one version, one prompt's header, one log entry, one run, a
// short section, or a whole file in another layout when it is small. Its
// memory grows with the number of tokens (about 600 bytes each), so every
// piece is measured first: nesting, then an estimate of its tokens.

// decodeChunk decodes one piece of the file into v after the guards: no
// anchors or aliases (so no alias bombs), bounded nesting and tokens. Line
// numbers in errors count from the file's start: the piece's first line is
// line offset+1.
func decodeChunk(name string, text []byte, offset int, lim workspace.ImportLimits, tokenLimit int, v any) (_ ast.Node, err error) {
	defer func() {
		// go-yaml panics on some malformed input (e.g. "k: !0000\n00").
		if r := recover(); r != nil {
			err = workspace.Invalidf("%s:%d: not valid YAML (the parser failed: %v)", name, offset+1, r)
		}
	}()
	if err := guardNesting(name, text, offset, lim); err != nil {
		return nil, err
	}
	if n := estimateTokens(text); n > tokenLimit {
		return nil, workspace.Invalidf("%s:%d: the piece starting here has about %d YAML tokens, more than the %d this reader takes at once; write lists as export does (one item per line, not [a, b, …])", name, offset+1, n, tokenLimit)
	}
	tokens := lexer.Tokenize(string(text))
	for _, tk := range tokens {
		switch tk.Type {
		case token.AnchorType, token.AliasType:
			return nil, workspace.Invalidf("%s:%d: anchors and aliases (&, *) are not allowed in import files", name, tk.Position.Line+offset)
		}
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, yamlErrorAt(name, err, offset)
	}
	if len(f.Docs) != 1 {
		return nil, workspace.Invalidf("%s: an export file is one YAML document, not %d", name, len(f.Docs))
	}
	body := f.Docs[0].Body
	if body == nil {
		return nil, workspace.Invalidf("%s:%d: empty document", name, offset+1)
	}
	if err := yaml.NodeToValue(body, v, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlErrorAt(name, err, offset)
	}
	return body, nil
}

// guardNesting refuses lines indented past lim.Indent and flow nesting past
// lim.FlowDepth before any reader sees them: the YAML parser's time grows
// with the square of the depth. A compact "- - x" counts as indentation,
// and brackets inside strings count too, which errs on the safe side.
func guardNesting(name string, text []byte, offset int, lim workspace.ImportLimits) error {
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
				return workspace.Invalidf("%s:%d: indented more than %d spaces; nesting this deep is refused", name, line+offset, lim.Indent)
			}
			continue
		case c == '[' || c == '{':
			depth++
			if depth > lim.FlowDepth {
				return workspace.Invalidf("%s:%d: more than %d nested [ or {; nesting this deep is refused", name, line+offset, lim.FlowDepth)
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
	eachLine(text, func(_, _ int, l []byte) bool {
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

// pieceDecoder decodes the pieces of one file: the fast reader first, the
// general one when the fast one gives up, and the general one again to
// place an error found later in the piece. The fast reader needs no guard:
// it reads only export's fixed shape, and its depth follows indentation.
type pieceDecoder struct {
	name string
	lim  workspace.ImportLimits
}

// placeIn places field errors in a piece holding one list item, at path
// lookup below the item ("" for the item itself).
func (d pieceDecoder) placeIn(text []byte, line int, lookup, shown string, v any) placer {
	return func(fe *fieldError) error {
		root, err := decodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, v)
		if err != nil {
			return err
		}
		return fe.at(d.name, root, line-1, "$[0]"+lookup, shown)
	}
}

// head decodes a prompt's header: the item without its versions.
func (d pieceDecoder) head(text []byte, line int) (exportPrompt, placer, error) {
	var probe []exportPrompt
	place := d.placeIn(text, line, "", "", &probe)
	if fp, ok := fastPrompt(text); ok {
		return fp, place, nil
	}
	var fps []exportPrompt
	if _, err := decodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &fps); err != nil {
		return exportPrompt{}, nil, err
	}
	if len(fps) != 1 {
		return exportPrompt{}, nil, workspace.Invalidf("%s:%d: expected one prompt here", d.name, line)
	}
	return fps[0], place, nil
}

// version decodes one version.
func (d pieceDecoder) version(text []byte, line int) (fileVersion, error) {
	if fv, ok := fastVersion(text); ok {
		return fv, nil
	}
	var fvs []fileVersion
	if _, err := decodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &fvs); err != nil {
		return fileVersion{}, err
	}
	if len(fvs) != 1 {
		return fileVersion{}, workspace.Invalidf("%s:%d: expected one version here", d.name, line)
	}
	return fvs[0], nil
}

// log decodes one log entry, i its index in the file.
func (d pieceDecoder) log(text []byte, line, i int) (fileLog, placer, error) {
	var logs []fileLog
	if _, err := decodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &logs); err != nil {
		return fileLog{}, nil, err
	}
	if len(logs) != 1 {
		return fileLog{}, nil, workspace.Invalidf("%s:%d: expected one log entry here", d.name, line)
	}
	var probe []fileLog
	return logs[0], d.placeIn(text, line, "", fmt.Sprintf("logs[%d]", i), &probe), nil
}

// run decodes one run, i its index in the file.
func (d pieceDecoder) run(text []byte, line, i int) (fileRun, placer, error) {
	var runs []fileRun
	if _, err := decodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &runs); err != nil {
		return fileRun{}, nil, err
	}
	if len(runs) != 1 {
		return fileRun{}, nil, workspace.Invalidf("%s:%d: expected one run here", d.name, line)
	}
	var probe []fileRun
	return runs[0], d.placeIn(text, line, "", fmt.Sprintf("runs[%d]", i), &probe), nil
}

// document decodes a section, or a whole file in another layout, into a
// fileDoc and hands its contents to the importer one by one, placing errors
// through the document's tree.
func (d pieceDecoder) document(im *importer, text []byte, line, tokenLimit int) error {
	var doc fileDoc
	root, err := decodeChunk(d.name, text, line-1, d.lim, tokenLimit, &doc)
	if err != nil {
		return err
	}
	at := func(lookup, shown string) placer {
		return func(fe *fieldError) error { return fe.at(d.name, root, line-1, lookup, shown) }
	}
	if doc.Schema != "" {
		if err := im.schema(doc.Schema, line-1+lineOf(root, "$.schema")); err != nil {
			return err
		}
	}
	if doc.Taxonomy != nil {
		im.taxonomy = doc.Taxonomy
	}
	for i, fp := range doc.Prompts {
		base := fmt.Sprintf("$.prompts[%d]", i)
		versions := fp.Versions
		fp.Versions = nil
		if err := im.beginPrompt(fp, line-1+lineOf(root, base), at(base, "")); err != nil {
			return err
		}
		for j, fv := range versions {
			if err := im.version(fv, at(fmt.Sprintf("%s.versions[%d]", base, j), fmt.Sprintf("versions[%d]", j))); err != nil {
				return err
			}
		}
		if err := im.endPrompt(); err != nil {
			return err
		}
	}
	for j, l := range doc.Logs {
		i := im.logCount
		path := fmt.Sprintf("$.logs[%d]", j)
		if err := im.log(l, at(path, fmt.Sprintf("logs[%d]", i)), line-1+lineOf(root, path), text, line); err != nil {
			return err
		}
	}
	for j, r := range doc.Runs {
		i := im.runCount
		path := fmt.Sprintf("$.runs[%d]", j)
		if err := im.run(r, at(path, fmt.Sprintf("runs[%d]", i)), line-1+lineOf(root, path), text, line); err != nil {
			return err
		}
	}
	return nil
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
