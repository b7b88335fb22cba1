package workspace

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Limits on an import file, which may come from anywhere.
const (
	MaxImportSize     = 256 << 20 // bytes, checked before reading
	maxIndent         = 1024      // leading spaces on one line
	maxFlowDepth      = 64        // nested [ and { in one prompt
	maxImportPrompts  = 1_000_000
	maxPromptVersions = 100_000
	maxMessages       = 1_000
	maxLabels         = 256
	maxLabelHistory   = 100_000
	maxImportLogs     = 10_000_000
)

// parsedFile is an export file read and checked throughout: nothing in it
// can fail later except against the store.
type parsedFile struct {
	name     string
	taxonomy *Taxonomy
	prompts  []parsedPrompt
	logs     []fileLog
	runs     []fileRun
}

type parsedPrompt struct {
	name        string
	line        int
	description string
	created     time.Time
	tags        []Tag
	labels      []parsedLabel // by name
	versions    []Version     // in file numbering
}

type parsedLabel struct {
	name    string
	version int
	history []parsedMove
}

type parsedMove struct {
	version int
	author  string
	time    time.Time
}

// parseExport reads and validates an export file; every error is ErrInvalid
// and names the file, line and field.
func parseExport(name string, data []byte) (*parsedFile, error) {
	if len(data) > MaxImportSize {
		return nil, invalidf("%s is %d MB; import files are limited to %d MB", name, len(data)>>20, MaxImportSize>>20)
	}
	secs, ok, err := splitSections(name, data)
	if err != nil {
		return nil, err
	}
	pf := &parsedFile{name: name}
	if !ok {
		// Not the block layout export writes: read it as one piece.
		secs = []section{{key: "", start: 0, text: data}}
	}
	var schema *string
	var schemaLine int
	var jobs []chunk
	for _, s := range secs {
		if s.items != nil {
			for _, it := range s.items {
				jobs = append(jobs, chunk{kind: s.key, line: it.line, text: it.text})
			}
			continue
		}
		var doc fileDoc
		root, err := decodeChunk(name, s.text, s.start, &doc)
		if err != nil {
			return nil, err
		}
		if doc.Schema != "" {
			schema, schemaLine = &doc.Schema, s.start+lineOf(root, "$.schema")
		}
		if doc.Taxonomy != nil {
			pf.taxonomy = doc.Taxonomy
		}
		for i, fp := range doc.Prompts {
			p, ferr := validatePrompt(fp)
			if ferr != nil {
				return nil, ferr.at(name, root, s.start, fmt.Sprintf("$.prompts[%d]", i))
			}
			p.line = s.start + lineOf(root, fmt.Sprintf("$.prompts[%d]", i))
			pf.prompts = append(pf.prompts, p)
		}
		pf.logs = append(pf.logs, doc.Logs...)
		pf.runs = append(pf.runs, doc.Runs...)
	}
	switch {
	case schema == nil:
		return nil, invalidf("%s:1: missing schema; an export file starts with `schema: %s`", name, Schema)
	case *schema != Schema:
		return nil, invalidf("%s:%d: schema %q is not %s, the format this promptbench reads", name, schemaLine, *schema, Schema)
	}
	if err := decodeItems(name, jobs, pf); err != nil {
		return nil, err
	}
	if err := checkFile(pf); err != nil {
		return nil, err
	}
	return pf, nil
}

// section is one top-level key of the file; items holds its list entries
// one by one when the value is a block list (prompts, logs, runs).
type section struct {
	key    string
	start  int // line offset: the section's first line is start+1
	start0 int // byte offset
	text   []byte
	items  []item
}

type item struct {
	line   int // offset of the item's first line
	start0 int // byte offset in the section
	text   []byte
}

type chunk struct {
	kind string
	line int
	text []byte
}

// decodeChunk decodes one piece of the file into v after the guards: no
// anchors or aliases (so no alias bombs), bounded nesting. Line numbers in
// errors count from the file's start.
func decodeChunk(name string, text []byte, offset int, v any) (_ ast.Node, err error) {
	defer func() {
		// go-yaml panics on some malformed input (e.g. "k: !0000\n00").
		if r := recover(); r != nil {
			err = invalidf("%s:%d: not valid YAML (the parser failed: %v)", name, offset+1, r)
		}
	}()
	if err := guardNesting(name, text, offset); err != nil {
		return nil, err
	}
	tokens := lexer.Tokenize(string(text))
	for _, tk := range tokens {
		switch tk.Type {
		case token.AnchorType, token.AliasType:
			return nil, invalidf("%s:%d: anchors and aliases (&, *) are not allowed in import files", name, tk.Position.Line+offset)
		}
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, yamlErrorAt(name, err, offset)
	}
	if len(f.Docs) != 1 {
		return nil, invalidf("%s: an export file is one YAML document, not %d", name, len(f.Docs))
	}
	body := f.Docs[0].Body
	if body == nil {
		return nil, invalidf("%s:%d: empty document", name, offset+1)
	}
	if err := yaml.NodeToValue(body, v, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlErrorAt(name, err, offset)
	}
	return body, nil
}

// guardNesting refuses lines indented past maxIndent and flow nesting past
// maxFlowDepth before the YAML parser sees them: its time grows with the
// square of the depth. Brackets inside strings count too, which errs on the
// safe side.
func guardNesting(name string, text []byte, offset int) error {
	depth, line, indent, atStart := 0, 1, 0, true
	for _, c := range text {
		switch {
		case c == '\n':
			line++
			indent, atStart = 0, true
			continue
		case c == ' ' && atStart:
			indent++
			if indent > maxIndent {
				return invalidf("%s:%d: indented more than %d spaces; nesting this deep is refused", name, line+offset, maxIndent)
			}
			continue
		case c == '[' || c == '{':
			depth++
			if depth > maxFlowDepth {
				return invalidf("%s:%d: more than %d nested [ or {; nesting this deep is refused", name, line+offset, maxFlowDepth)
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
		atStart = false
	}
	return nil
}

// decodeItems decodes the list items of prompts, logs and runs on all
// cores; the first error in file order wins.
func decodeItems(name string, jobs []chunk, pf *parsedFile) error {
	type result struct {
		prompt *parsedPrompt
		log    *fileLog
		run    *fileRun
		err    error
	}
	results := make([]result, len(jobs))
	pf.prompts = slices.Grow(pf.prompts, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				results[i] = decodeItem(name, jobs[i])
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, r := range results {
		switch {
		case r.err != nil:
			return r.err
		case r.prompt != nil:
			pf.prompts = append(pf.prompts, *r.prompt)
		case r.log != nil:
			pf.logs = append(pf.logs, *r.log)
		case r.run != nil:
			pf.runs = append(pf.runs, *r.run)
		}
	}
	return nil
}

func decodeItem(name string, c chunk) (r struct {
	prompt *parsedPrompt
	log    *fileLog
	run    *fileRun
	err    error
}) {
	switch c.kind {
	case "prompts":
		if fp, ok := fastPrompt(c.text); ok {
			if p, ferr := validatePrompt(fp); ferr == nil {
				p.line = c.line + 1
				r.prompt = &p
				return r
			}
			// Let go-yaml read it again to place the error.
		}
		var fps []filePrompt
		root, err := decodeChunk(name, c.text, c.line, &fps)
		if err != nil {
			r.err = err
			return r
		}
		if len(fps) != 1 {
			r.err = invalidf("%s:%d: expected one prompt here", name, c.line+1)
			return r
		}
		p, ferr := validatePrompt(fps[0])
		if ferr != nil {
			r.err = ferr.at(name, root, c.line, "$[0]")
			return r
		}
		p.line = c.line + 1
		r.prompt = &p
	case "logs":
		var logs []fileLog
		if _, err := decodeChunk(name, c.text, c.line, &logs); err != nil || len(logs) != 1 {
			r.err = firstErr(err, invalidf("%s:%d: expected one log entry here", name, c.line+1))
			return r
		}
		r.log = &logs[0]
		r.log.line = c.line + 1
	case "runs":
		var runs []fileRun
		if _, err := decodeChunk(name, c.text, c.line, &runs); err != nil || len(runs) != 1 {
			r.err = firstErr(err, invalidf("%s:%d: expected one run here", name, c.line+1))
			return r
		}
		r.run = &runs[0]
	}
	return r
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkFile checks what spans prompts: unique names, counts, logs that
// point at known versions.
func checkFile(pf *parsedFile) error {
	if len(pf.prompts) > maxImportPrompts {
		return invalidf("%s: %d prompts; an import file holds at most %d", pf.name, len(pf.prompts), maxImportPrompts)
	}
	if len(pf.logs) > maxImportLogs {
		return invalidf("%s: %d log entries; an import file holds at most %d", pf.name, len(pf.logs), maxImportLogs)
	}
	lines := map[string]int{}
	versions := map[string]int{}
	for _, p := range pf.prompts {
		if prev, dup := lines[p.name]; dup {
			return invalidf("%s:%d: prompt %q appears twice (first on line %d)", pf.name, p.line, p.name, prev)
		}
		lines[p.name] = p.line
		versions[p.name] = len(p.versions)
	}
	for i, l := range pf.logs {
		n, ok := versions[l.Prompt]
		if !ok || l.Version < 1 || l.Version > n {
			return invalidf("%s: logs[%d]: %s@%d is not a version in this file", pf.name, i, l.Prompt, l.Version)
		}
		if l.ID == "" || strings.IndexByte(l.ID, 0) >= 0 {
			return invalidf("%s: logs[%d]: missing or malformed id", pf.name, i)
		}
		if _, err := json.Marshal(l.Entry); err != nil {
			return invalidf("%s: logs[%d].entry: %v", pf.name, i, err)
		}
	}
	for i, r := range pf.runs {
		if r.ID == "" || strings.IndexByte(r.ID, 0) >= 0 {
			return invalidf("%s: runs[%d]: missing or malformed id", pf.name, i)
		}
		if _, err := json.Marshal(r.Entry); err != nil {
			return invalidf("%s: runs[%d].entry: %v", pf.name, i, err)
		}
	}
	return nil
}
